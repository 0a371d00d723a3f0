// Issue 18: identity takes effect at once. Every access token carries its user's security
// version and is held against the user's current state; refresh tokens work once, a reuse ends
// their sign-in; revoking other users' tokens needs the admin role and identity:write; failed
// logins are throttled per address. Runs on SQLite, and on MariaDB with MSP_TEST_DATABASE_URL.
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import type { Principal } from "@msp/auth";
import { createTokenSigner, verifyAccessToken } from "@msp/auth";
import type { Database } from "@msp/db";
import { createDatabase, migrateUp } from "@msp/db";
import { DomainError } from "@msp/errors";
import { migrations } from "@msp/migrations";
import type { MutationContext, ResourceStore } from "@msp/resource-kit";
import { createResourceStore } from "@msp/resource-kit";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase, withSlowness } from "@msp/testing";
import type { ApiKey } from "@msp/proto/src/gen/ts/msp/identity/v1/api_key";
import type { User } from "@msp/proto/src/gen/ts/msp/identity/v1/user";
import { UserRole } from "@msp/proto/src/gen/ts/msp/identity/v1/user";
import { apiKeyResource } from "./api-key.resource";
import { createApiKey, revokeApiKey } from "./api-keys";
import type { AuthLogic } from "./auth-service";
import { createAuthLogic } from "./auth-service";
import type { IdentityConfig } from "./identity-config";
import { RefreshTokenModel, identityModels } from "./models";
import { hashPassword } from "./passwords";
import { resetPassword } from "./password-reset";
import { userResource } from "./user.resource";
import { setUserPassword } from "./user-passwords";

jest.setTimeout(withSlowness(60_000));

const secret = randomBytes(32).toString("hex");
const password = "sessions-password-123";
const config: IdentityConfig = {
  jwtSecret: secret,
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 3600,
  lockoutThreshold: 5,
  lockoutSeconds: 900,
  loginThrottleFailures: 3,
  loginThrottleWindowSeconds: 60,
};

let database: TestDatabase;
let db: Database;
let auth: AuthLogic;
let users: ResourceStore<User>;
let keys: ResourceStore<ApiKey>;
let passwordHash: string;

const ctx = (sourceIp = "10.0.0.1"): MutationContext => ({ service: "gateway", method: "test", principal: "test", sourceIp });

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.config, identityModels);
  await migrateUp(db, migrations);
  auth = createAuthLogic(db, createTokenSigner(secret), config);
  users = createResourceStore<User>(db, userResource);
  keys = createResourceStore<ApiKey>(db, apiKeyResource);
  passwordHash = await hashPassword(password);
  // Demoting or disabling an admin needs another active admin.
  await newUser("root-admin", UserRole.USER_ROLE_ADMIN);
});

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

async function newUser(username: string, role = UserRole.USER_ROLE_TECHNICIAN): Promise<User> {
  return users.create({ id: "", username, role, isActive: true, failedLogins: 0, etag: "" }, ctx(), { password_hash: passwordHash });
}

/** Logs in and returns the tokens with the access token's principal. */
async function signIn(username: string) {
  const tokens = await auth.login(username, password, ctx());
  return { ...tokens, principal: await verifyAccessToken(tokens.accessToken, secret) };
}

/** The message of the unauthenticated (or other) DomainError a promise rejects with. */
async function refusal(promise: Promise<unknown>, code = "unauthenticated"): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return (error as DomainError).message;
}

describe("an access token is held against its user's current state", () => {
  it("carries the user's security version and works while nothing changed", async () => {
    await newUser("steady-tech");
    const { principal } = await signIn("steady-tech");
    expect(principal.securityVersion).toBe(0);
    expect(principal.familyId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(auth.tokenRefusal(principal)).resolves.toBeUndefined();
  });

  it("is refused once its user is demoted, and a new login gets the new role", async () => {
    const admin = await newUser("demoted-admin", UserRole.USER_ROLE_ADMIN);
    const before = await signIn("demoted-admin");
    await users.update({ ...admin, role: UserRole.USER_ROLE_TECHNICIAN }, ["role"], ctx());
    expect(await auth.tokenRefusal(before.principal)).toBe("its user's role is now technician; log in again");
    const after = await signIn("demoted-admin");
    expect([after.principal.role, after.principal.securityVersion]).toEqual(["technician", 1]);
    await expect(auth.tokenRefusal(after.principal)).resolves.toBeUndefined();
    // The refresh token outlives a role change: it re-reads the user and gives the new role.
    const refreshed = await auth.refresh(before.refreshToken, ctx());
    expect(refreshed.role).toBe("technician");
  });

  it("is refused once its user is disabled, and so is every refresh token of theirs", async () => {
    const admin = await newUser("disabled-admin", UserRole.USER_ROLE_ADMIN);
    const tokens = await signIn("disabled-admin");
    await users.update({ ...admin, isActive: false }, ["is_active"], ctx());
    expect(await auth.tokenRefusal(tokens.principal)).toBe("its user is disabled");
    await users.update({ ...(await users.get(admin.id)), isActive: true }, ["is_active"], ctx());
    // Enabled again: the old tokens stay dead.
    expect(await auth.tokenRefusal(tokens.principal)).toMatch(/sign-ins were ended/);
    expect(await refusal(auth.refresh(tokens.refreshToken, ctx()))).toBe("refresh token revoked");
  });

  it("is refused once its user is deleted", async () => {
    const admin = await newUser("deleted-admin", UserRole.USER_ROLE_ADMIN);
    const tokens = await signIn("deleted-admin");
    await users.delete(admin.id, "", ctx());
    expect(await auth.tokenRefusal(tokens.principal)).toBe("its user no longer exists");
    expect(await refusal(auth.refresh(tokens.refreshToken, ctx()))).toBe("user is disabled");
    expect(await RefreshTokenModel.count({ where: { user_id: admin.id } })).toBe(0);
  });

  it("is refused, with every refresh token, after a password change or an operator's reset", async () => {
    const tech = await newUser("password-tech");
    const first = await signIn("password-tech");
    await setUserPassword(users, tech.id, `${password}-2`, ctx());
    expect(await auth.tokenRefusal(first.principal)).toMatch(/sign-ins were ended \(password changed/);
    expect(await refusal(auth.refresh(first.refreshToken, ctx()))).toBe("refresh token revoked");

    const second = await auth.login("password-tech", `${password}-2`, ctx());
    await resetPassword(db, "password-tech", `${password}-3`);
    expect(await auth.tokenRefusal(await verifyAccessToken(second.accessToken, secret))).toMatch(/sign-ins were ended/);
    expect(await refusal(auth.refresh(second.refreshToken, ctx()))).toBe("refresh token revoked");
  });
});

describe("a token obtained with an API key", () => {
  it("names the key and dies when the key is revoked or deleted", async () => {
    const tech = await newUser("keyed-tech");
    const caller = (await signIn("keyed-tech")).principal;
    const made = await createApiKey(keys, { name: "laptop", scopes: ["work:write"], machineId: "", userId: "" }, caller, ctx());
    const exchanged = await verifyAccessToken((await auth.exchangeApiKey(made.key, ctx())).accessToken, secret);
    expect([exchanged.kind, exchanged.subject, exchanged.userId, exchanged.securityVersion]).toEqual([
      "api_key",
      made.apiKey!.id,
      tech.id,
      0,
    ]);
    await expect(auth.tokenRefusal(exchanged)).resolves.toBeUndefined();
    await revokeApiKey(keys, made.apiKey!.id, caller, ctx());
    expect(await auth.tokenRefusal(exchanged)).toBe("its API key was revoked");

    const other = await createApiKey(keys, { name: "desktop", scopes: [], machineId: "", userId: "" }, caller, ctx());
    const otherToken = await verifyAccessToken((await auth.exchangeApiKey(other.key, ctx())).accessToken, secret);
    await keys.delete(other.apiKey!.id, "", ctx());
    expect(await auth.tokenRefusal(otherToken)).toBe("its API key was deleted");
  });
});

describe("refresh rotation", () => {
  it("gives exactly one of 20 refreshes of one token at once new tokens, and the others end the sign-in", async () => {
    await newUser("racing-tech");
    const first = await signIn("racing-tech");
    const elsewhere = await signIn("racing-tech");
    const answers = await Promise.allSettled(Array.from({ length: 20 }, () => auth.refresh(first.refreshToken, ctx())));
    const won = answers.filter((a): a is PromiseFulfilledResult<Awaited<ReturnType<AuthLogic["refresh"]>>> => a.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const lost of answers) {
      if (lost.status === "rejected") expect((lost.reason as DomainError).code).toBe("unauthenticated");
    }
    // The losers used an already-rotated token: the winner's tokens went with the sign-in.
    const winner = won[0]!.value;
    expect(await refusal(auth.refresh(winner.refreshToken, ctx()))).toBe("refresh token revoked");
    expect(await auth.tokenRefusal(await verifyAccessToken(winner.accessToken, secret))).toMatch(/sign-in was ended/);
    expect(await auth.tokenRefusal(first.principal)).toMatch(/sign-in was ended/);
    // Another sign-in of the same user goes on.
    await expect(auth.tokenRefusal(elsewhere.principal)).resolves.toBeUndefined();
    await expect(auth.refresh(elsewhere.refreshToken, ctx())).resolves.toMatchObject({ tokenType: "Bearer" });
  });

  it("ends the whole sign-in when a rotated refresh token is used again", async () => {
    await newUser("replay-tech");
    const first = await signIn("replay-tech");
    const second = await auth.refresh(first.refreshToken, ctx());
    const third = await auth.refresh(second.refreshToken, ctx());
    expect(await refusal(auth.refresh(first.refreshToken, ctx()))).toBe("refresh token already used: its sign-in is ended; log in again");
    expect(await refusal(auth.refresh(third.refreshToken, ctx()))).toBe("refresh token revoked");
    expect(await auth.tokenRefusal(await verifyAccessToken(third.accessToken, secret))).toMatch(/sign-in was ended/);
  });

  it("lets a refresh token issued before families existed work once", async () => {
    const tech = await newUser("legacy-tech");
    const legacy = await new SignJWT({ typ: "refresh", uid: tech.id, name: "legacy-tech" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(tech.id)
      .setIssuer("msp-platform")
      .setJti(randomBytes(16).toString("hex"))
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(Buffer.from(secret, "utf8"));
    const answers = await Promise.allSettled([auth.refresh(legacy, ctx()), auth.refresh(legacy, ctx())]);
    expect(answers.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    expect(await refusal(auth.refresh(legacy, ctx()))).toMatch(/already used|revoked/);
  });
});

describe("revoking tokens", () => {
  let victim: Awaited<ReturnType<typeof signIn>>;
  let admin: Principal;
  beforeAll(async () => {
    await newUser("victim-tech");
    await newUser("revoking-admin", UserRole.USER_ROLE_ADMIN);
    victim = await signIn("victim-tech");
    admin = (await signIn("revoking-admin")).principal;
  });

  /** The principal of a token exchanged for a new key of the admin's with these scopes. */
  async function adminKey(scopes: string[]): Promise<Principal> {
    const made = await createApiKey(keys, { name: `scoped ${scopes.join(" ")}`, scopes, machineId: "", userId: "" }, admin, ctx());
    return verifyAccessToken((await auth.exchangeApiKey(made.key, ctx())).accessToken, secret);
  }

  it("refuses another user's token to a technician and to an admin's key scoped to context:write", async () => {
    const tech = (await signIn("steady-tech")).principal;
    const request = { token: victim.accessToken, all: false, userId: "" };
    expect(await refusal(auth.revoke(request, tech, ctx()), "permission_denied")).toBe("only admins can revoke other users' tokens");
    const contextKey = await adminKey(["context:write"]);
    expect(await refusal(auth.revoke(request, contextKey, ctx()), "permission_denied")).toMatch(/needs scope identity:write/);
    expect(
      await refusal(auth.revoke({ token: "", all: true, userId: victim.principal.userId }, contextKey, ctx()), "permission_denied"),
    ).toMatch(/identity:write/);
    await expect(auth.tokenRefusal(victim.principal)).resolves.toBeUndefined();
    // Its own user's tokens it may always revoke.
    const own = await signIn("revoking-admin");
    await auth.revoke({ token: own.accessToken, all: false, userId: "" }, contextKey, ctx());
    expect(await auth.tokenRefusal(own.principal)).toBe("revoked");
  });

  it("lets an admin key with identity:write revoke another user's token, and a refresh token ends its sign-in", async () => {
    const identityKey = await adminKey(["identity:write"]);
    await auth.revoke({ token: victim.refreshToken, all: false, userId: "" }, identityKey, ctx());
    expect(await refusal(auth.refresh(victim.refreshToken, ctx()))).toBe("refresh token revoked");
    expect(await auth.tokenRefusal(victim.principal)).toMatch(/sign-in was ended/);
  });

  it("logs a user out everywhere: their own always, another user's for admins", async () => {
    await newUser("everywhere-tech");
    const phone = await signIn("everywhere-tech");
    const laptop = await signIn("everywhere-tech");
    await auth.revoke({ token: "", all: true, userId: "" }, phone.principal, ctx());
    for (const device of [phone, laptop]) {
      expect(await auth.tokenRefusal(device.principal)).toMatch(/sign-ins were ended/);
      expect(await refusal(auth.refresh(device.refreshToken, ctx()))).toBe("refresh token revoked");
    }
    const again = await signIn("everywhere-tech");
    const tech = (await signIn("steady-tech")).principal;
    const byTech = auth.revoke({ token: "", all: true, userId: again.principal.userId }, tech, ctx());
    expect(await refusal(byTech, "permission_denied")).toBe("only admins can revoke other users' tokens");
    await auth.revoke({ token: "", all: true, userId: again.principal.userId }, admin, ctx());
    expect(await auth.tokenRefusal(again.principal)).toMatch(/sign-ins were ended/);
    const unknown = auth.revoke({ token: "", all: true, userId: "0190a0b0-0000-7000-8000-000000000000" }, admin, ctx());
    expect(await refusal(unknown, "not_found")).toMatch(/not found/);
    expect(await refusal(auth.revoke({ token: "", all: false, userId: tech.userId }, admin, ctx()), "invalid_argument")).toMatch(
      /^user_id:/,
    );
  });
});

describe("the login throttle", () => {
  it("refuses an address after too many failed logins, before any password check, and no other address", async () => {
    const user = await newUser("throttled-tech");
    const from = ctx("10.9.9.9");
    for (let i = 0; i < config.loginThrottleFailures; i++) {
      await refusal(auth.login("throttled-tech", `wrong-password-${i}`, from));
    }
    const message = await refusal(auth.login("throttled-tech", password, from), "resource_exhausted");
    expect(message).toMatch(/^too many failed logins from this address: try again in \d+ seconds?$/);
    const wait = auth.loginRetryAfterSeconds("10.9.9.9");
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(config.loginThrottleWindowSeconds);
    // The throttled attempt never reached the account: only the three failures count there.
    expect((await users.get(user.id)).failedLogins).toBe(config.loginThrottleFailures);
    expect(auth.loginRetryAfterSeconds("10.9.9.8")).toBe(0);
    await expect(auth.login("throttled-tech", password, ctx("10.9.9.8"))).resolves.toMatchObject({ tokenType: "Bearer" });
  });
});
