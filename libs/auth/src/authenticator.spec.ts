import { randomBytes } from "node:crypto";
import { DomainError } from "@msp/errors";
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
      message: 'authorization missing: send "authorization: Bearer <token>"',
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
