// Issue 3: logins, lockout, refresh rotation, revocation, API keys (shown once, stored hashed,
// usable as bearer keys or exchanged, through the gateway or straight to a service over gRPC
// (issue 17), limited by scopes, revocable at once), what technicians may see, the bootstrap
// admin's password, a service calling another for a user (the recall service checks an Ingest's
// work session with the work service, with a service token), and a 503 when a backend is down.
import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { status } from "@grpc/grpc-js";
import type { Database } from "@msp/db";
import { createDatabase } from "@msp/db";
import type { TestDatabase } from "@msp/testing";
import { bearerMetadata, call, connect, createTestDatabase, expectStatus, withSlowness } from "@msp/testing";
import { ApiKeyServiceClient } from "@msp/proto/src/gen/ts/msp/identity/v1/api_key";
import { Client, ClientServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { isUuid, jwtClaims } from "./e2e-support";
import type { Json, PlatformStack } from "./platform-stack";
import { startPlatform } from "./platform-stack";

jest.setTimeout(withSlowness(60_000));

const lockoutSeconds = 3;
/** Every refused login's answer, whatever the reason. */
const refusedMessage = "invalid username or password (after 5 failed logins in a row an account is locked for 3 seconds)";
const password = "identity-password-123";
const keyPattern = /^msp_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

let platform: PlatformStack;
let database: TestDatabase;
let adminToken: string;
let adminId: string;

const api = (method: string, path: string, token: string | undefined, body?: unknown) =>
  platform.api(method, path, { token, ...(body !== undefined ? { body } : {}) });
const login = (username: string, pass: string) => api("POST", "/api/v1/auth/token", undefined, { username, password: pass });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const run = promisify(execFile);

async function createUser(username: string, role: string): Promise<Json> {
  const { status: code, json } = await api("POST", "/api/v1/users", adminToken, { user: { username, role }, password });
  if (code !== 200) throw new Error(`creating ${username}: ${code} ${JSON.stringify(json)}`);
  return json;
}

async function createKey(token: string, body: Json): Promise<{ key: string; apiKey: Json }> {
  const { status: code, json } = await api("POST", "/api/v1/apiKeys", token, body);
  if (code !== 200) throw new Error(`creating a key: ${code} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  // A database of our own, to look at what is stored.
  database = await createTestDatabase();
  platform = await startPlatform({ database: database.config, env: { LOCKOUT_SECONDS: String(lockoutSeconds) } });
  adminToken = await platform.login();
  adminId = String(jwtClaims(adminToken)["uid"]);
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
}, 60_000);

describe("logging in", () => {
  it("gives an access token, a refresh token and expiresIn for the bootstrap admin's password (MSP_BOOTSTRAP_ADMIN_PASSWORD)", async () => {
    const { status: code, json } = await login("admin", platform.adminPassword);
    expect(code).toBe(200);
    expect(json).toMatchObject({ tokenType: "Bearer", expiresIn: 900, role: "admin" });
    expect(json.accessToken.split(".")).toHaveLength(3);
    expect(json.refreshToken.split(".")).toHaveLength(3);
    const claims = jwtClaims(json.accessToken);
    expect(claims).toMatchObject({ typ: "access", role: "admin", name: "admin", iss: "msp-platform" });
    expect(Number(claims["exp"]) - Number(claims["iat"])).toBe(900);
    expect(Date.parse(json.expiresAt)).toBe(Number(claims["exp"]) * 1000);
    expect((await api("GET", "/api/v1/clients", json.accessToken)).status).toBe(200);
    // Usernames are case-insensitive.
    expect((await login("ADMIN", platform.adminPassword)).status).toBe(200);
  });

  it("refuses a wrong password with 401 and the same answer as for an unknown or disabled user", async () => {
    const disabled = await createUser("disabled-tech", "USER_ROLE_TECHNICIAN");
    const off = await api("PATCH", `/api/v1/users/${disabled.id}?updateMask=isActive`, adminToken, { isActive: false });
    expect(off.status).toBe(200);

    const wrongPassword = await login("admin", "not-the-admin-password");
    const unknownUser = await login("nobody-at-all", "not-the-admin-password");
    const disabledUser = await login("disabled-tech", password);
    expect(wrongPassword).toEqual({ status: 401, json: { code: "unauthenticated", message: refusedMessage, details: [] } });
    expect(unknownUser).toEqual(wrongPassword);
    expect(disabledUser).toEqual(wrongPassword);
  });

  it("refuses an empty username or password with 400 naming the field", async () => {
    const noPassword = await login("admin", "");
    expect([noPassword.status, noPassword.json.message]).toEqual([400, "password: is required"]);
    const noUser = await login("", "whatever-password");
    expect([noUser.status, noUser.json.message]).toEqual([400, "username: is required"]);
  });

  it(`locks an account after 5 failed logins, refusing even the right password until the lock ends (${lockoutSeconds} s here)`, async () => {
    const user = await createUser("lockout-tech", "USER_ROLE_TECHNICIAN");
    for (let i = 0; i < 5; i++) {
      const failed = await login("lockout-tech", `wrong-password-${i}`);
      expect([failed.status, failed.json.message]).toEqual([401, refusedMessage]);
    }
    // Locked: the right password gets the answer an unknown user gets, which tells nothing.
    const refused = await login("lockout-tech", password);
    expect([refused.status, refused.json.message]).toEqual([401, refusedMessage]);
    expect(await login(`nobody-${Date.now()}`, password)).toEqual(refused);
    const until = Date.parse((await api("GET", `/api/v1/users/${user.id}`, adminToken)).json.lockedUntil);
    expect(until - Date.now()).toBeLessThanOrEqual(lockoutSeconds * 1000);
    expect(until).toBeGreaterThan(Date.now());

    await sleep(until - Date.now() + 200);
    expect((await login("lockout-tech", password)).status).toBe(200);
  });

  it("locks an account when 40 wrong passwords arrive at once, checking no more than the threshold", async () => {
    const user = await createUser("burst-tech", "USER_ROLE_TECHNICIAN");
    const burstStart = Date.now();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login("burst-tech", `burst-guess-${i}`)));
    expect(answers.every((a) => a.status === 401 && a.json.message === refusedMessage)).toBe(true);
    const lockedUntil = Date.parse((await api("GET", `/api/v1/users/${user.id}`, adminToken)).json.lockedUntil);
    expect(lockedUntil).toBeGreaterThan(burstStart);
    // The lock is short here (3 s), and 40 password hashes on a loaded machine can outlast it: only
    // an answer that came back before the lock's end says anything (the test above proves that a
    // lock refuses the right password, and waits for its end).
    const right = await login("burst-tech", password);
    if (Date.now() < lockedUntil) expect(right.status).toBe(401);
  });

  it("counts failed logins in a row only: a success starts the count again", async () => {
    await createUser("resets-tech", "USER_ROLE_TECHNICIAN");
    for (let i = 0; i < 4; i++) expect((await login("resets-tech", "wrong-password-x")).status).toBe(401);
    expect((await login("resets-tech", password)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login("resets-tech", "wrong-password-x")).status).toBe(401);
    expect((await login("resets-tech", password)).status).toBe(200);
  });

  it("lets an admin lift a lockout by setting a new password", async () => {
    const user = await createUser("unlock-tech", "USER_ROLE_TECHNICIAN");
    for (let i = 0; i < 5; i++) await login("unlock-tech", "wrong-password-x");
    expect((await login("unlock-tech", password)).status).toBe(401);
    const set = await api("POST", `/api/v1/users/${user.id}:setPassword`, adminToken, { password: `${password}-2` });
    expect(set.status).toBe(200);
    expect((await login("unlock-tech", `${password}-2`)).status).toBe(200);
  });
});

describe("the README's snippets, as written", () => {
  const readme = () => readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
  const shell = (script: string, env: NodeJS.ProcessEnv = {}) =>
    run("bash", ["-c", script], { env: { ...process.env, ...env } }).then(
      (done) => ({ code: 0, ...done }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  it("make a technician (as an admin), who logs in; a wrong password says so in one line, no traceback", async () => {
    const create = /```sh\n(curl -s -X POST \$GW\/api\/v1\/users [\s\S]*?)```/.exec(readme())?.[1];
    expect(create).toContain('"username": "mike"');
    const made = await shell(create!, { GW: platform.baseUrl, TOKEN: adminToken });
    expect(JSON.parse(made.stdout)).toMatchObject({ username: "mike", role: "USER_ROLE_TECHNICIAN" });

    const login = /```sh\n(GW=http:\/\/127\.0\.0\.1:8080\nTOKEN=[\s\S]*?)```/.exec(readme())?.[1];
    expect(login).toContain('"username": "admin", "password": "..."');
    const loginAs = (pass: string) =>
      `${login!
        .replace("http://127.0.0.1:8080", platform.baseUrl)
        .replace('"username": "admin"', '"username": "mike"')
        .replace('"password": "..."', `"password": "${pass}"`)}\nprintf '%s' "$TOKEN"`;
    const ok = await shell(loginAs("a-long-first-password"));
    expect(ok.stderr).toBe("");
    expect((await api("GET", "/api/v1/clients", ok.stdout)).status).toBe(200);

    const wrong = await shell(loginAs("not-the-password"));
    expect([wrong.stdout, wrong.stderr]).toEqual(["", `login failed: ${refusedMessage}\n`]);
    const nobody = await shell(loginAs("x").replace(platform.baseUrl, "http://127.0.0.1:9"));
    expect(nobody.stderr).toBe("login failed: no answer: is the platform running?\n");
  });
});

describe("refresh and revoke", () => {
  it("refreshes once: the old refresh token is refused the second time, and ends its sign-in (issue 18)", async () => {
    const first = (await login("admin", platform.adminPassword)).json;
    const refreshed = await api("POST", "/api/v1/auth/refresh", undefined, { refreshToken: first.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toMatchObject({ tokenType: "Bearer", expiresIn: 900, role: "admin" });
    expect(refreshed.json.refreshToken).not.toBe(first.refreshToken);
    expect((await api("GET", "/api/v1/clients", refreshed.json.accessToken)).status).toBe(200);
    const next = await api("POST", "/api/v1/auth/refresh", undefined, { refreshToken: refreshed.json.refreshToken });
    expect(next.status).toBe(200);

    const replayed = await api("POST", "/api/v1/auth/refresh", undefined, { refreshToken: first.refreshToken });
    expect([replayed.status, replayed.json.message]).toEqual([401, "refresh token already used: its sign-in is ended; log in again"]);
    const afterReplay = await api("POST", "/api/v1/auth/refresh", undefined, { refreshToken: next.json.refreshToken });
    expect([afterReplay.status, afterReplay.json.message]).toEqual([401, "refresh token revoked"]);
  });

  it("refuses an access token as a refresh token", async () => {
    const { status: code, json } = await api("POST", "/api/v1/auth/refresh", undefined, { refreshToken: adminToken });
    expect([code, json.code]).toEqual([401, "unauthenticated"]);
  });

  it("revokes the caller's own token: the gateway refuses it at once, the work service within its cache time", async () => {
    const token = await platform.login();
    expect((await api("GET", "/api/v1/clients", token)).status).toBe(200);
    const grpc = connect(ClientServiceClient, platform.workAddress);
    try {
      // The work service now has this token's "not revoked" answer cached.
      await call(grpc, "listClients", { pageSize: 1, pageToken: "", filter: "", orderBy: "" }, bearerMetadata(token));
      expect((await api("POST", "/api/v1/auth/revoke", token, {})).status).toBe(200);
      const after = await api("GET", "/api/v1/clients", token);
      expect([after.status, after.json.code]).toEqual([401, "unauthenticated"]);

      const started = Date.now();
      let code: number | undefined;
      while (Date.now() - started < 10_000) {
        code = await call(grpc, "listClients", { pageSize: 1, pageToken: "", filter: "", orderBy: "" }, bearerMetadata(token)).then(
          () => undefined,
          (error: { code: number }) => error.code,
        );
        if (code !== undefined) break;
        await sleep(250);
      }
      expect(code).toBe(status.UNAUTHENTICATED);
    } finally {
      grpc.close();
    }
  });

  it("revokes another of the caller's tokens by value, and a refresh token", async () => {
    const other = (await login("admin", platform.adminPassword)).json;
    expect((await api("POST", "/api/v1/auth/revoke", adminToken, { token: other.accessToken })).status).toBe(200);
    expect((await api("POST", "/api/v1/auth/revoke", adminToken, { token: other.refreshToken })).status).toBe(200);
    expect((await api("GET", "/api/v1/clients", other.accessToken)).status).toBe(401);
    expect((await api("POST", "/api/v1/auth/refresh", undefined, { refreshToken: other.refreshToken })).status).toBe(401);
    expect((await api("GET", "/api/v1/clients", adminToken)).status).toBe(200);
  });

  it("does not let a technician revoke someone else's token", async () => {
    await createUser("revoker-tech", "USER_ROLE_TECHNICIAN");
    const tech = await platform.login("revoker-tech", password);
    const victim = await platform.login();
    const tried = await api("POST", "/api/v1/auth/revoke", tech, { token: victim });
    expect([tried.status, tried.json.code]).toEqual([403, "permission_denied"]);
    expect((await api("GET", "/api/v1/clients", victim)).status).toBe(200);
  });
});

describe("API keys", () => {
  let db: Database;
  beforeAll(() => {
    db = createDatabase(database.config);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("shows a new key once and stores only its hash", async () => {
    const { key, apiKey } = await createKey(adminToken, { name: "laptop hooks", scopes: ["work:write", "context:write"] });
    expect(key).toMatch(keyPattern);
    expect(apiKey).toMatchObject({
      name: "laptop hooks",
      userId: adminId,
      scopes: ["work:write", "context:write"],
      prefix: keyPattern.exec(key)![1],
    });
    expect(isUuid(apiKey.id)).toBe(true);

    const secret = key.slice(key.lastIndexOf("_") + 1);
    const got = await api("GET", `/api/v1/apiKeys/${apiKey.id}`, adminToken);
    const listed = await api("GET", "/api/v1/apiKeys", adminToken);
    expect(got.status).toBe(200);
    expect(listed.status).toBe(200);
    expect(listed.json.apiKeys.map((k: Json) => k.id)).toContain(apiKey.id);
    for (const shown of [got.json, ...listed.json.apiKeys]) {
      expect(Object.keys(shown)).not.toContain("key");
      expect(JSON.stringify(shown)).not.toContain(secret);
    }

    const rows = await db.select<Record<string, unknown>>("SELECT * FROM api_keys WHERE id = ?", [apiKey.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!["key_hash"]).toBe(createHash("sha256").update(key).digest("hex"));
    expect(JSON.stringify(rows[0])).not.toContain(secret);
  });

  it("works as a bearer key and when exchanged for a token", async () => {
    const { key, apiKey } = await createKey(adminToken, { name: "all of the user's rights" });
    expect((await api("GET", "/api/v1/clients", key)).status).toBe(200);
    expect((await api("POST", "/api/v1/clients", key, { name: "Made with a key" })).status).toBe(200);

    const exchanged = await api("POST", "/api/v1/auth/token", undefined, { apiKey: key });
    expect(exchanged.status).toBe(200);
    expect(exchanged.json).toMatchObject({ tokenType: "Bearer", refreshToken: "", role: "admin", scopes: [] });
    expect(jwtClaims(exchanged.json.accessToken)).toMatchObject({ kind: "api_key", sub: apiKey.id, uid: adminId });
    expect((await api("GET", "/api/v1/clients", exchanged.json.accessToken)).status).toBe(200);

    const used = (await api("GET", `/api/v1/apiKeys/${apiKey.id}`, adminToken)).json;
    expect(Number.isNaN(Date.parse(used.lastUsedAt))).toBe(false);
  });

  it("refuses a malformed or unknown key", async () => {
    const { key } = await createKey(adminToken, { name: "to be mangled" });
    for (const bad of [`${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`, "msp_0123456789abcdef_" + "A".repeat(43), "msp_short"]) {
      expect((await api("GET", "/api/v1/clients", bad)).status).toBe(401);
      expect((await api("POST", "/api/v1/auth/token", undefined, { apiKey: bad })).status).toBe(401);
    }
  });

  it("is limited by its scopes: work:read reads clients but cannot create one", async () => {
    const { key } = await createKey(adminToken, { name: "reader", scopes: ["work:read"] });
    const exchanged = (await api("POST", "/api/v1/auth/token", undefined, { apiKey: key })).json;
    expect(exchanged.scopes).toEqual(["work:read"]);
    for (const bearer of [key, exchanged.accessToken]) {
      expect((await api("GET", "/api/v1/clients", bearer)).status).toBe(200);
      const post = await api("POST", "/api/v1/clients", bearer, { name: `Not allowed ${bearer.length}` });
      expect([post.status, post.json.message]).toEqual([403, "API key lacks scope work:write"]);
      expect((await api("GET", "/api/v1/users", bearer)).status).toBe(403);
    }
    // A key never makes keys, whatever its scopes.
    const unscoped = await createKey(adminToken, { name: "unscoped" });
    const made = await api("POST", "/api/v1/apiKeys", unscoped.key, { name: "child key" });
    expect([made.status, made.json.code]).toEqual([403, "permission_denied"]);
  });

  it("stops working within a few seconds of being revoked, as a bearer key and for exchange", async () => {
    const { key, apiKey } = await createKey(adminToken, { name: "soon revoked" });
    expect((await api("GET", "/api/v1/clients", key)).status).toBe(200); // the gateway has it cached now
    const revoked = await api("POST", `/api/v1/apiKeys/${apiKey.id}:revoke`, adminToken, {});
    expect(revoked.status).toBe(200);
    expect(Number.isNaN(Date.parse(revoked.json.revokedAt))).toBe(false);

    const started = Date.now();
    let answer = 200;
    while (answer === 200 && Date.now() - started < 5_000) {
      answer = (await api("GET", "/api/v1/clients", key)).status;
      if (answer === 200) await sleep(200);
    }
    console.log(`API key refused ${Date.now() - started} ms after its revocation`);
    expect(answer).toBe(401);
    const exchange = await api("POST", "/api/v1/auth/token", undefined, { apiKey: key });
    expect([exchange.status, exchange.json.message]).toEqual([401, "API key revoked"]);
  });

  it("works as the bearer token of a gRPC call straight to a service, and stops there once revoked (issue 17)", async () => {
    const { key, apiKey } = await createKey(adminToken, { name: "straight to the services", scopes: ["work:read", "identity:read"] });
    const work = connect(ClientServiceClient, platform.workAddress);
    const identity = connect(ApiKeyServiceClient, platform.identityAddress);
    const listClients = () => call(work, "listClients", { pageSize: 1, pageToken: "", filter: "", orderBy: "" }, bearerMetadata(key));
    try {
      expect(Array.isArray((await listClients()).clients)).toBe(true);
      expect(await call(identity, "getApiKey", { id: apiKey.id }, bearerMetadata(key))).toMatchObject({ id: apiKey.id });
      // The key's scopes hold there as they do through the gateway.
      const client = Client.fromPartial({ name: "Not with a read key" });
      await expectStatus(
        call(work, "createClient", { client }, bearerMetadata(key)),
        status.PERMISSION_DENIED,
        "API key lacks scope work:write",
      );

      expect((await api("POST", `/api/v1/apiKeys/${apiKey.id}:revoke`, adminToken, {})).status).toBe(200);
      // The identity port checks keys itself: at once. The work service holds a "not revoked" answer
      // for its token up to 5 s (as for any token), then hears why.
      await expectStatus(call(identity, "getApiKey", { id: apiKey.id }, bearerMetadata(key)), status.UNAUTHENTICATED, "API key revoked");
      let refusal: { code: number; details: string } | undefined;
      for (let attempt = 0; attempt < 200 && refusal === undefined; attempt++) {
        refusal = await listClients().then(
          () => undefined,
          (error: { code: number; details: string }) => error,
        );
        if (refusal === undefined) await sleep(100);
      }
      expect(refusal).toMatchObject({ code: status.UNAUTHENTICATED, details: "API key revoked" });
    } finally {
      work.close();
      identity.close();
    }
  });

  it("works in the README's buf curl examples, as written, as does an access token", async () => {
    const readme = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
    const block = /```sh\n(BUF=node_modules\/\.bin\/buf\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toContain("--list-methods");
    // The examples name the work service's default port; this platform's runs elsewhere.
    const script = `set -e\n${block!.replaceAll("127.0.0.1:50051", platform.workAddress)}`;
    const { key } = await createKey(adminToken, { name: "README examples", scopes: ["work:read"] });
    for (const token of [adminToken, key]) {
      const { stdout } = await run("bash", ["-c", script], {
        cwd: join(__dirname, "..", "..", ".."),
        env: { ...process.env, TOKEN: token },
      });
      expect(stdout).toContain("msp.work.v1.ClientService\n");
      expect(stdout).toContain("msp.work.v1.ClientService/ListClients\n");
      expect(stdout).toContain('"status": "SERVING"');
    }
  });

  it("stops working once deleted", async () => {
    const { key, apiKey } = await createKey(adminToken, { name: "soon deleted" });
    expect((await api("GET", "/api/v1/clients", key)).status).toBe(200);
    expect((await api("DELETE", `/api/v1/apiKeys/${apiKey.id}`, adminToken)).status).toBe(200);
    expect((await api("GET", "/api/v1/clients", key)).status).toBe(401);
  });
});

describe("a technician", () => {
  let tech: string;
  let techId: string;
  let adminKeyId: string;

  beforeAll(async () => {
    techId = (await createUser("keys-tech", "USER_ROLE_TECHNICIAN")).id;
    tech = await platform.login("keys-tech", password);
    adminKeyId = (await createKey(adminToken, { name: "the admin's own" })).apiKey.id;
  });

  it("cannot list or read users (403)", async () => {
    const list = await api("GET", "/api/v1/users", tech);
    expect([list.status, list.json.code]).toEqual([403, "permission_denied"]);
    expect((await api("GET", `/api/v1/users/${adminId}`, tech)).status).toBe(403);
  });

  it("sees and manages only their own keys", async () => {
    const own = await createKey(tech, { name: "tech laptop" });
    expect(own.apiKey.userId).toBe(techId);
    const forAdmin = await api("POST", "/api/v1/apiKeys", tech, { name: "for the admin", userId: adminId });
    expect([forAdmin.status, forAdmin.json.code]).toEqual([403, "permission_denied"]);

    const listed = await api("GET", "/api/v1/apiKeys", tech);
    expect(listed.status).toBe(200);
    expect(listed.json.apiKeys.map((k: Json) => k.id)).toEqual([own.apiKey.id]);
    const asking = await api("GET", `/api/v1/apiKeys?filter=${encodeURIComponent(`user_id = "${adminId}"`)}`, tech);
    expect([asking.status, asking.json.apiKeys]).toEqual([200, []]);

    // Someone else's key does not exist for them.
    expect((await api("GET", `/api/v1/apiKeys/${adminKeyId}`, tech)).status).toBe(404);
    expect((await api("POST", `/api/v1/apiKeys/${adminKeyId}:revoke`, tech, {})).status).toBe(404);
    expect((await api("DELETE", `/api/v1/apiKeys/${adminKeyId}`, tech)).status).toBe(404);
    expect((await api("GET", `/api/v1/apiKeys/${adminKeyId}`, adminToken)).json.revokedAt).toBeUndefined();

    // The admin sees both.
    const all = (await api("GET", "/api/v1/apiKeys?pageSize=500", adminToken)).json.apiKeys.map((k: Json) => k.id);
    expect(all).toEqual(expect.arrayContaining([own.apiKey.id, adminKeyId]));
  });
});

/** An Ingest of a one-line transcript naming `workSessionId`, as `token`. */
const ingestFor = (token: string, workSessionId: string) => {
  const claudeSessionId = `peer-${randomUUID()}`;
  const transcript = `${JSON.stringify({ type: "user", sessionId: claudeSessionId, timestamp: "2026-01-05T10:00:00Z", message: { role: "user", content: "Restart nginx on web01" } })}\n`;
  return api("POST", "/api/v1/memory:ingest", token, {
    claudeSessionId,
    idempotencyKey: claudeSessionId,
    workSessionId,
    transcript,
    trigger: "manual",
  });
};

describe("a service calling another for a user", () => {
  it("stores an Ingest whose work session the work service knows, for a key scoped to memory only", async () => {
    const client = await api("POST", "/api/v1/clients", adminToken, { name: `Peer client ${randomUUID()}` });
    const session = await api("POST", "/api/v1/sessions", adminToken, { clientId: client.json.id, title: "Peer session" });
    expect(session.status).toBe(200);
    // The key may not read work records itself: the recall service asks with its own service token.
    const { key } = await createKey(adminToken, { name: "memory only", scopes: ["context:write"] });
    const own = await api("GET", `/api/v1/sessions/${session.json.id}`, key);
    expect([own.status, own.json.code]).toEqual([403, "permission_denied"]);

    const stored = await ingestFor(key, session.json.id);
    expect([stored.status, stored.json.status]).toEqual([200, "stored"]);
    expect(stored.json.context.sessionId).toBe(session.json.id);
  });

  it("refuses a work session the work service does not know, naming the field", async () => {
    const refused = await ingestFor(adminToken, randomUUID());
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      code: "invalid_argument",
      message: "work_session_id: no work session with this id",
      details: [{ fieldViolations: [{ field: "work_session_id", description: "no work session with this id" }] }],
    });
  });
});

// Last: it stops the work service.
describe("a backend that is down", () => {
  it("makes a service that must ask it answer 503, saying which service it could not ask", async () => {
    await platform.stopWork();
    const refused = await ingestFor(adminToken, randomUUID());
    expect([refused.status, refused.json.code]).toEqual([503, "unavailable"]);
    expect(refused.json.message).toBe("msp.work.v1.SessionService is unavailable; try again shortly");
    // Memory that needs no other service still works.
    expect((await api("POST", "/api/v1/memory:recall", adminToken, { scope: {} })).status).toBe(200);
  });

  it("gives 503 quickly, while the gateway's own identity services keep working", async () => {
    await platform.stopWork();
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const { status: code, json } = await api("GET", "/api/v1/clients", adminToken);
      const ms = Date.now() - started;
      expect([code, json.code]).toEqual([503, "unavailable"]);
      expect(json.message).not.toMatch(/\d+\.\d+\.\d+\.\d+|ECONNREFUSED/); // no internal addresses
      expect(ms).toBeLessThan(withSlowness(2_000));
    }
    const connectCall = await fetch(`${platform.baseUrl}/msp.work.v1.ClientService/ListClients`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
      body: "{}",
    });
    expect(connectCall.status).toBe(503);
    expect(((await connectCall.json()) as Json).code).toBe("unavailable");

    expect((await api("GET", "/api/v1/users", adminToken)).status).toBe(200);
    expect((await login("admin", platform.adminPassword)).status).toBe(200);
  });
});
