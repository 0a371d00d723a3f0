// Issue 18: identity takes effect at once, through the gateway. A deleted, disabled or demoted
// user's token fails on its next call; a password change ends every session; a token obtained
// with an API key dies with the key; a refresh token works once, even 20 at once, and its reuse
// ends the sign-in; only admins holding identity:write revoke other users' tokens; "log out
// everywhere"; and failed logins are throttled per address (429 with Retry-After).
import { request } from "node:http";
import { status } from "@grpc/grpc-js";
import { bearerMetadata, call, connect, withSlowness } from "@msp/testing";
import { ClientServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { jwtClaims } from "./e2e-support";
import type { Json, PlatformStack } from "./platform-stack";
import { startPlatform } from "./platform-stack";

jest.setTimeout(withSlowness(90_000));

const password = "sessions-password-123";
const throttleFailures = 5;
const throttleWindowSeconds = 120;

let platform: PlatformStack;
let adminToken: string;

const api = (method: string, path: string, token: string | undefined, body?: unknown) =>
  platform.api(method, path, { token, ...(body !== undefined ? { body } : {}) });
const login = (username: string, pass = password) => api("POST", "/api/v1/auth/token", undefined, { username, password: pass });
const refresh = (refreshToken: string) => api("POST", "/api/v1/auth/refresh", undefined, { refreshToken });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let serial = 0;
const unique = (name: string) => `${name}-${++serial}`;

async function createUser(username: string, role: string): Promise<Json> {
  const { status: code, json } = await api("POST", "/api/v1/users", adminToken, { user: { username, role }, password });
  if (code !== 200) throw new Error(`creating ${username}: ${code} ${JSON.stringify(json)}`);
  return json;
}

async function tokensOf(username: string): Promise<Json> {
  const { status: code, json } = await login(username);
  if (code !== 200) throw new Error(`login as ${username}: ${code} ${JSON.stringify(json)}`);
  return json;
}

/** What creating a user with `token` answers: the call a deleted admin must no longer make. */
const createUserWith = (token: string) =>
  api("POST", "/api/v1/users", token, { user: { username: unique("made-by"), role: "USER_ROLE_ADMIN" }, password });

/** A POST from another loopback address than the other tests' (the throttle counts per address). */
function postFrom(localAddress: string, path: string, body: unknown): Promise<{ status: number; headers: Json; json: Json }> {
  const url = new URL(platform.baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        localAddress,
        method: "POST",
        path,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
        res.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

beforeAll(async () => {
  platform = await startPlatform({
    env: { LOGIN_THROTTLE_FAILURES: String(throttleFailures), LOGIN_THROTTLE_WINDOW_SECONDS: String(throttleWindowSeconds) },
  });
  adminToken = await platform.login();
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

describe("a user's existing token, through the gateway", () => {
  it("of a deleted admin cannot create a user: 401 at once", async () => {
    const admin = await createUser(unique("deleted-admin"), "USER_ROLE_ADMIN");
    const token = (await tokensOf(admin.username)).accessToken;
    expect((await api("GET", "/api/v1/users", token)).status).toBe(200); // the gateway has it cached as fine now
    expect((await api("DELETE", `/api/v1/users/${admin.id}`, adminToken)).status).toBe(200);
    const tried = await createUserWith(token);
    expect([tried.status, tried.json.code, tried.json.message]).toEqual([
      401,
      "unauthenticated",
      "invalid token: its user no longer exists",
    ]);
  });

  it("of a disabled admin cannot create a user, and the work service refuses it within seconds over gRPC", async () => {
    const admin = await createUser(unique("disabled-admin"), "USER_ROLE_ADMIN");
    const token = (await tokensOf(admin.username)).accessToken;
    expect((await api("GET", "/api/v1/users", token)).status).toBe(200);
    const grpc = connect(ClientServiceClient, platform.workAddress);
    const listClients = () =>
      call(grpc, "listClients", { pageSize: 1, pageToken: "", filter: "", orderBy: "" }, bearerMetadata(token)).then(
        () => undefined,
        (error: { code: number; details: string }) => error,
      );
    try {
      expect(await listClients()).toBeUndefined(); // cached as fine by the work service too
      const off = await api("PATCH", `/api/v1/users/${admin.id}?updateMask=isActive`, adminToken, { isActive: false });
      expect(off.status).toBe(200);
      const tried = await createUserWith(token);
      expect([tried.status, tried.json.message]).toEqual([401, "invalid token: its user is disabled"]);

      const started = Date.now();
      let refused: { code: number; details: string } | undefined;
      while (refused === undefined && Date.now() - started < 15_000) {
        refused = await listClients();
        if (refused === undefined) await sleep(250);
      }
      console.log(`work service refused a disabled user's token ${Date.now() - started} ms after the change`);
      expect([refused?.code, refused?.details]).toEqual([status.UNAUTHENTICATED, "invalid token: its user is disabled"]);
    } finally {
      grpc.close();
    }
  });

  it("of a demoted admin cannot create a user; a new login gets the new role", async () => {
    const admin = await createUser(unique("demoted-admin"), "USER_ROLE_ADMIN");
    const token = (await tokensOf(admin.username)).accessToken;
    expect((await api("GET", "/api/v1/users", token)).status).toBe(200);
    const demoted = await api("PATCH", `/api/v1/users/${admin.id}?updateMask=role`, adminToken, { role: "USER_ROLE_TECHNICIAN" });
    expect(demoted.status).toBe(200);
    const tried = await createUserWith(token);
    expect([tried.status, tried.json.message]).toEqual([401, "invalid token: its user's role is now technician; log in again"]);
    const again = (await tokensOf(admin.username)).accessToken;
    expect(jwtClaims(again)["role"]).toBe("technician");
    expect((await createUserWith(again)).status).toBe(403);
  });

  it("ends with a password change: access and refresh tokens alike", async () => {
    const tech = await createUser(unique("password-tech"), "USER_ROLE_TECHNICIAN");
    const tokens = await tokensOf(tech.username);
    expect((await api("GET", "/api/v1/clients", tokens.accessToken)).status).toBe(200);
    expect((await api("POST", `/api/v1/users/${tech.id}:setPassword`, adminToken, { password: `${password}-2` })).status).toBe(200);
    const after = await api("GET", "/api/v1/clients", tokens.accessToken);
    expect([after.status, after.json.message]).toEqual([401, expect.stringMatching(/^invalid token: its user's sign-ins were ended/)]);
    const refreshed = await refresh(tokens.refreshToken);
    expect([refreshed.status, refreshed.json.message]).toEqual([401, "refresh token revoked"]);
    expect((await login(tech.username, `${password}-2`)).status).toBe(200);
  });
});

describe("a token obtained with an API key", () => {
  async function exchanged(name: string): Promise<{ id: string; token: string }> {
    const made = await api("POST", "/api/v1/apiKeys", adminToken, { name });
    expect(made.status).toBe(200);
    const token = await api("POST", "/api/v1/auth/token", undefined, { apiKey: made.json.key });
    expect(token.status).toBe(200);
    expect(jwtClaims(token.json.accessToken)).toMatchObject({ kind: "api_key", sub: made.json.apiKey.id });
    expect((await api("GET", "/api/v1/clients", token.json.accessToken)).status).toBe(200);
    return { id: made.json.apiKey.id, token: token.json.accessToken };
  }

  it("dies at once when the key is revoked", async () => {
    const key = await exchanged("revoked soon");
    expect((await api("POST", `/api/v1/apiKeys/${key.id}:revoke`, adminToken, {})).status).toBe(200);
    const after = await api("GET", "/api/v1/clients", key.token);
    expect([after.status, after.json.message]).toEqual([401, "invalid token: its API key was revoked"]);
  });

  it("dies at once when the key is deleted", async () => {
    const key = await exchanged("deleted soon");
    expect((await api("DELETE", `/api/v1/apiKeys/${key.id}`, adminToken)).status).toBe(200);
    const after = await api("GET", "/api/v1/clients", key.token);
    expect([after.status, after.json.message]).toEqual([401, "invalid token: its API key was deleted"]);
  });
});

describe("refresh rotation", () => {
  it("gives exactly one of 20 parallel refreshes of one token new tokens", async () => {
    await createUser("racing-tech", "USER_ROLE_TECHNICIAN");
    const tokens = await tokensOf("racing-tech");
    const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(tokens.refreshToken)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(19);
  });

  it("ends the whole sign-in when a rotated refresh token is used again", async () => {
    await createUser("replay-tech", "USER_ROLE_TECHNICIAN");
    const first = await tokensOf("replay-tech");
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    expect((await api("GET", "/api/v1/clients", second.json.accessToken)).status).toBe(200);
    const replayed = await refresh(first.refreshToken);
    expect([replayed.status, replayed.json.message]).toEqual([401, "refresh token already used: its sign-in is ended; log in again"]);
    expect((await refresh(second.json.refreshToken)).status).toBe(401);
    const after = await api("GET", "/api/v1/clients", second.json.accessToken);
    expect([after.status, after.json.message]).toEqual([401, expect.stringMatching(/^invalid token: its sign-in was ended/)]);
  });
});

describe("revoking tokens", () => {
  it("refuses another user's token to an admin's API key scoped to context:write (403), allows it with identity:write", async () => {
    await createUser("victim-tech", "USER_ROLE_TECHNICIAN");
    const victim = (await tokensOf("victim-tech")).accessToken;
    const contextKey = (await api("POST", "/api/v1/apiKeys", adminToken, { name: "memory only", scopes: ["context:write"] })).json.key;
    const tried = await api("POST", "/api/v1/auth/revoke", contextKey, { token: victim });
    expect([tried.status, tried.json.code]).toEqual([403, "permission_denied"]);
    expect(tried.json.message).toMatch(/identity:write/);
    const everywhere = await api("POST", "/api/v1/auth/revoke", contextKey, { all: true, userId: jwtClaims(victim)["uid"] });
    expect(everywhere.status).toBe(403);
    expect((await api("GET", "/api/v1/clients", victim)).status).toBe(200);

    const identityKey = (await api("POST", "/api/v1/apiKeys", adminToken, { name: "identity admin", scopes: ["identity:write"] })).json.key;
    expect((await api("POST", "/api/v1/auth/revoke", identityKey, { token: victim })).status).toBe(200);
    expect((await api("GET", "/api/v1/clients", victim)).status).toBe(401);
  });

  it("logs a user out everywhere with all: true: their own always, another user's for an admin", async () => {
    await createUser("everywhere-tech", "USER_ROLE_TECHNICIAN");
    const phone = await tokensOf("everywhere-tech");
    const laptop = await tokensOf("everywhere-tech");
    expect((await api("POST", "/api/v1/auth/revoke", phone.accessToken, { all: true })).status).toBe(200);
    for (const device of [phone, laptop]) {
      expect((await api("GET", "/api/v1/clients", device.accessToken)).status).toBe(401);
      expect((await refresh(device.refreshToken)).status).toBe(401);
    }
    const again = await tokensOf("everywhere-tech");
    const other = await api("POST", "/api/v1/auth/revoke", again.accessToken, { all: true, userId: jwtClaims(adminToken)["uid"] });
    expect([other.status, other.json.code]).toEqual([403, "permission_denied"]);
    const byAdmin = await api("POST", "/api/v1/auth/revoke", adminToken, { all: true, userId: jwtClaims(again.accessToken)["uid"] });
    expect(byAdmin.status).toBe(200);
    expect((await api("GET", "/api/v1/clients", again.accessToken)).status).toBe(401);
    expect((await api("GET", "/api/v1/clients", adminToken)).status).toBe(200);
  });
});

describe("the login throttle", () => {
  it(`answers 429 with Retry-After after ${throttleFailures} failed logins from one address, over REST and Connect`, async () => {
    await createUser("throttled-tech", "USER_ROLE_TECHNICIAN");
    const from = "127.0.0.9";
    for (let i = 0; i < throttleFailures; i++) {
      // Unknown users: the failures count against the address without locking throttled-tech.
      const failed = await postFrom(from, "/api/v1/auth/token", { username: `nobody-${i}`, password: `wrong-password-${i}` });
      expect(failed.status).toBe(401);
    }
    const throttled = await postFrom(from, "/api/v1/auth/token", { username: "throttled-tech", password });
    expect([throttled.status, throttled.json.code]).toEqual([429, "resource_exhausted"]);
    expect(throttled.json.message).toMatch(/^too many failed logins from this address: try again in \d+ seconds?$/);
    const wait = Number(throttled.headers["retry-after"]);
    expect(Number.isInteger(wait) && wait >= 1 && wait <= throttleWindowSeconds).toBe(true);

    const overConnect = await postFrom(from, "/msp.identity.v1.AuthService/CreateToken", { username: "throttled-tech", password });
    expect([overConnect.status, overConnect.json.code]).toEqual([429, "resource_exhausted"]);
    expect(Number(overConnect.headers["retry-after"])).toBeGreaterThanOrEqual(1);

    // Another address logs in as ever.
    expect((await postFrom("127.0.0.10", "/api/v1/auth/token", { username: "throttled-tech", password })).status).toBe(200);
  });
});
