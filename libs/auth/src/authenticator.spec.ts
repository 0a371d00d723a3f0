import { randomBytes } from "node:crypto";
import { DomainError } from "@msp/errors";
import { createApiKeyExchanger } from "./api-keys";
import { createAuthenticator } from "./authenticator";
import type { MethodPolicy } from "./policy";
import { methodPolicy } from "./policy";
import type { Principal } from "./principal";
import type { RevocationChecker } from "./revocation-client";
import { createTokenSigner } from "./tokens";

const secret = randomBytes(32).toString("hex");
const signer = createTokenSigner(secret);
const revoked = new Set<string>();
const lookups: { tokenId: string; bearer: string }[] = [];
const revocation: RevocationChecker = {
  isRevoked: (tokenId, _expiresAt, bearer) => {
    lookups.push({ tokenId, bearer });
    return Promise.resolve(revoked.has(tokenId));
  },
};
const authenticator = createAuthenticator({ secret, revocation });
const createClient = methodPolicy("/msp.work.v1.ClientService/CreateClient");
const getClient = methodPolicy("/msp.work.v1.ClientService/GetClient");

const user = (role: Principal["role"]): Omit<Principal, "tokenId" | "expiresAt"> => ({
  subject: "u1",
  userId: "u1",
  username: "alice",
  role,
  scopes: [],
  kind: "user",
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(DomainError);
      const { code, message } = error as DomainError;
      return { code, message };
    },
  );

beforeEach(() => {
  lookups.length = 0;
});

describe("createAuthenticator", () => {
  it("returns the principal of a valid, unrevoked, allowed token, asking revocation with the token itself", async () => {
    const { token, tokenId } = await signer.issueAccessToken(user("technician"), 60);
    await expect(authenticator.authenticate(`Bearer ${token}`, createClient)).resolves.toMatchObject({ username: "alice", tokenId });
    expect(lookups).toEqual([{ tokenId, bearer: token }]);
  });

  it("refuses a call without a bearer token, before any lookup", async () => {
    expect(await refusal(authenticator.authenticate(undefined, getClient))).toEqual({
      code: "unauthenticated",
      message: 'authorization missing: send "authorization: Bearer <token>" (an access token or an API key)',
    });
    expect((await refusal(authenticator.authenticate("Basic dXNlcjpwYXNz", getClient))).code).toBe("unauthenticated");
    expect(lookups).toHaveLength(0);
  });

  it("refuses a revoked token", async () => {
    const { token, tokenId } = await signer.issueAccessToken(user("admin"), 60);
    revoked.add(tokenId);
    expect(await refusal(authenticator.authenticate(`Bearer ${token}`, getClient))).toEqual({
      code: "unauthenticated",
      message: "invalid token: revoked",
    });
  });

  it("refuses what the role does not allow", async () => {
    const { token } = await signer.issueAccessToken(user("readonly"), 60);
    await expect(authenticator.authenticate(`Bearer ${token}`, getClient)).resolves.toMatchObject({ role: "readonly" });
    expect(await refusal(authenticator.authenticate(`Bearer ${token}`, createClient))).toEqual({
      code: "permission_denied",
      message: "readonly users cannot call msp.work.v1.ClientService/CreateClient",
    });
  });

  it("holds an API key to the scope the method's policy names", async () => {
    const reveal: MethodPolicy = {
      service: "msp.vault.v1.CredentialService",
      method: "RevealCredential",
      access: "write",
      scope: "vault:reveal",
      grantingScopes: ["vault:reveal"],
      adminOnly: false,
      ownToken: false,
      serviceLogsRefusals: false,
    };
    const key = (scopes: string[]) => signer.issueAccessToken({ ...user("technician"), kind: "api_key", scopes }, 60);
    const revealing = await key(["vault:reveal"]);
    await expect(authenticator.authenticate(`Bearer ${revealing.token}`, reveal)).resolves.toMatchObject({ scopes: ["vault:reveal"] });
    const writing = await key(["vault:write", "work:write"]);
    expect(await refusal(authenticator.authenticate(`Bearer ${writing.token}`, reveal))).toEqual({
      code: "permission_denied",
      message: "API key lacks scope vault:reveal",
    });
    await expect(authenticator.authenticate(`Bearer ${writing.token}`, createClient)).resolves.toMatchObject({ kind: "api_key" });
  });

  it("passes on a revocation check that cannot be made", async () => {
    const failing = createAuthenticator({
      secret,
      revocation: {
        isRevoked: () => Promise.reject(new DomainError("unavailable", "cannot check token revocation: identity service unreachable")),
      },
    });
    const { token } = await signer.issueAccessToken(user("admin"), 60);
    expect((await refusal(failing.authenticate(`Bearer ${token}`, getClient))).code).toBe("unavailable");
  });

  it("gives the checker what the token says, and passes on its refusal naming why", async () => {
    const seen: (Principal | undefined)[] = [];
    const versioned = createAuthenticator({
      secret,
      revocation: {
        isRevoked: (_tokenId, _expiresAt, _bearer, principal) => {
          seen.push(principal);
          return Promise.reject(new DomainError("unauthenticated", "invalid token: the user was disabled; log in again"));
        },
      },
    });
    const { token, tokenId } = await signer.issueAccessToken({ ...user("admin"), securityVersion: 4 }, 60);
    expect(await refusal(versioned.authenticate(`Bearer ${token}`, getClient))).toEqual({
      code: "unauthenticated",
      message: "invalid token: the user was disabled; log in again",
    });
    expect(seen).toEqual([expect.objectContaining({ tokenId, securityVersion: 4, userId: "u1" })]);
  });

  it("wants a secret of at least 32 characters", () => {
    expect(() => createAuthenticator({ secret: "short", revocation })).toThrow(/at least 32 characters/);
  });
});

describe("an API key as the bearer token (issue 17)", () => {
  const key = `msp_0123456789abcdef_${"k".repeat(43)}`;
  /** The keys the identity service would know, and whether each is revoked. */
  const keys = new Map<string, { revoked: boolean }>();
  let exchanges = 0;
  let clock = 1_000_000;
  const exchanger = createApiKeyExchanger({
    now: () => clock,
    exchange: async (given) => {
      exchanges++;
      const known = keys.get(given);
      if (!known) throw new DomainError("unauthenticated", "invalid API key");
      if (known.revoked) throw new DomainError("unauthenticated", "API key revoked");
      return signer.issueAccessToken({ ...user("technician"), subject: "key-1", kind: "api_key", scopes: ["work:read"] }, 900);
    },
  });
  const withKeys = createAuthenticator({ secret, revocation, apiKeys: exchanger });

  beforeEach(() => {
    keys.clear();
    keys.set(key, { revoked: false });
    exchanger.forget(key);
    exchanges = 0;
  });

  it("is exchanged once for a token of the key, then that token is reused and checked on every call", async () => {
    const first = await withKeys.authenticate(`Bearer ${key}`, getClient);
    expect(first).toMatchObject({ kind: "api_key", subject: "key-1", scopes: ["work:read"] });
    await expect(withKeys.authenticate(`Bearer ${key}`, getClient)).resolves.toMatchObject({ tokenId: first.tokenId });
    expect(exchanges).toBe(1);
    expect(lookups.map((l) => l.tokenId)).toEqual([first.tokenId, first.tokenId]);
    expect(await refusal(withKeys.authenticate(`Bearer ${key}`, createClient))).toEqual({
      code: "permission_denied",
      message: "API key lacks scope work:write",
    });
  });

  it("shares one exchange among calls made at once", async () => {
    await Promise.all(Array.from({ length: 5 }, () => withKeys.authenticate(`Bearer ${key}`, getClient)));
    expect(exchanges).toBe(1);
  });

  it("is refused once revoked, saying so, as soon as its token is refused", async () => {
    const first = await withKeys.authenticate(`Bearer ${key}`, getClient);
    keys.set(key, { revoked: true });
    revoked.add(first.tokenId); // the identity service's check refuses the key's token now
    expect(await refusal(withKeys.authenticate(`Bearer ${key}`, getClient))).toEqual({
      code: "unauthenticated",
      message: "API key revoked",
    });
    expect(exchanges).toBe(2);
    // The refusal is given again for a while without asking, then asked again.
    await refusal(withKeys.authenticate(`Bearer ${key}`, getClient));
    expect(exchanges).toBe(2);
    clock += 5_001;
    await refusal(withKeys.authenticate(`Bearer ${key}`, getClient));
    expect(exchanges).toBe(3);
  });

  it("keeps working with a new token when its old one was refused but the key was not (its user logged out everywhere)", async () => {
    const first = await withKeys.authenticate(`Bearer ${key}`, getClient);
    revoked.add(first.tokenId);
    const second = await withKeys.authenticate(`Bearer ${key}`, getClient);
    expect(second.tokenId).not.toBe(first.tokenId);
    expect(exchanges).toBe(2);
  });

  it("refuses an unknown key in the identity service's words", async () => {
    expect(await refusal(withKeys.authenticate(`Bearer msp_ffffffffffffffff_${"x".repeat(43)}`, getClient))).toEqual({
      code: "unauthenticated",
      message: "invalid API key",
    });
  });

  it("is refused, saying what to do, where no exchanger is given", async () => {
    expect(await refusal(authenticator.authenticate(`Bearer ${key}`, getClient))).toEqual({
      code: "unauthenticated",
      message: "API keys are not taken here: exchange the key at AuthService/CreateToken and send its access token",
    });
  });
});
