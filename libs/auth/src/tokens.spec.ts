import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { DomainError } from "@msp/errors";
import type { Principal } from "./principal";
import { createTokenSigner, verifyAccessToken, verifyRefreshToken } from "./tokens";

const secret = randomBytes(32).toString("hex");
const otherSecret = randomBytes(32).toString("hex");
const signer = createTokenSigner(secret);

const alice: Omit<Principal, "tokenId" | "expiresAt"> = {
  subject: "0190a0b0-0000-7000-8000-000000000001",
  userId: "0190a0b0-0000-7000-8000-000000000001",
  username: "alice",
  role: "technician",
  scopes: [],
  kind: "user",
};
const family = "0190a0b0-0000-7000-8000-0000000000ff";
const aliceRefresh = { subject: alice.subject, userId: alice.userId, username: "alice", familyId: family };
const aliceKey: Omit<Principal, "tokenId" | "expiresAt"> = {
  ...alice,
  subject: "0190a0b0-0000-7000-8000-0000000000aa",
  kind: "api_key",
  scopes: ["work:write", "context:read"],
};

/** Expects an unauthenticated DomainError whose message matches `reason`. */
async function expectRefused(promise: Promise<unknown>, reason: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe("unauthenticated");
  expect((error as DomainError).message).toMatch(reason);
}

/** Signs an arbitrary payload with `secret` the way a forger who knew it (or a bug) would. */
const forge = (payload: Record<string, unknown>, alg = "HS256", key = secret) =>
  new SignJWT(payload).setProtectedHeader({ alg }).setIssuedAt().setExpirationTime("1h").sign(Buffer.from(key, "utf8"));

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("access tokens", () => {
  it("round-trip every principal field, with a fresh jti and the expiry asked for", async () => {
    const before = Date.now();
    const issued = await signer.issueAccessToken(aliceKey, 900);
    const principal = await verifyAccessToken(issued.token, secret);
    expect(principal).toEqual({ ...aliceKey, tokenId: issued.tokenId, expiresAt: issued.expiresAt });
    expect(issued.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(issued.expiresAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 900_000);
    expect(issued.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 900_000);
    const second = await signer.issueAccessToken(aliceKey, 900);
    expect(second.tokenId).not.toBe(issued.tokenId);
  });

  it("carry the documented claims", async () => {
    const issued = await signer.issueAccessToken(aliceKey, 60);
    const [header, payload] = issued.token
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()) as unknown);
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload).toEqual({
      sub: aliceKey.subject,
      uid: aliceKey.userId,
      name: "alice",
      role: "technician",
      scopes: ["work:write", "context:read"],
      kind: "api_key",
      jti: issued.tokenId,
      iat: expect.any(Number),
      exp: issued.expiresAt.getTime() / 1000,
      iss: "msp-platform",
      typ: "access",
    });
  });

  it("refuse a tampered signature or payload", async () => {
    const { token } = await signer.issueAccessToken(alice, 60);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const middle = Math.floor(signature.length / 2);
    const flipped = `${signature.slice(0, middle)}${signature[middle] === "A" ? "B" : "A"}${signature.slice(middle + 1)}`;
    await expectRefused(verifyAccessToken(`${header}.${payload}.${flipped}`, secret), /signature does not verify/);
    const promoted = base64url({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), role: "admin" });
    await expectRefused(verifyAccessToken(`${header}.${promoted}.${signature}`, secret), /signature does not verify/);
  });

  it("refuse a token signed with another secret", async () => {
    const { token } = await createTokenSigner(otherSecret).issueAccessToken(alice, 60);
    await expectRefused(verifyAccessToken(token, secret), /signature does not verify/);
  });

  it("refuse an expired token", async () => {
    const past = createTokenSigner(secret, { now: () => Date.now() - 3600_000 });
    const { token } = await past.issueAccessToken(alice, 60);
    await expectRefused(verifyAccessToken(token, secret), /expired/);
  });

  it("are not refresh tokens, and refresh tokens are not access tokens", async () => {
    const access = await signer.issueAccessToken(alice, 60);
    const refresh = await signer.issueRefreshToken(aliceRefresh, 60);
    await expectRefused(verifyRefreshToken(access.token, secret), /not a refresh token/);
    await expectRefused(verifyAccessToken(refresh.token, secret), /not an access token/);
  });

  it.each([
    ["empty", ""],
    ["one part", "abc"],
    ["three garbage parts", "a.b.c"],
    ["no signature", "eyJhbGciOiJIUzI1NiJ9.e30."],
    ["huge", "a".repeat(10_000)],
  ])("refuse a malformed token (%s)", async (_name, token) => {
    await expectRefused(verifyAccessToken(token, secret), /invalid token/);
  });

  it("refuse alg none and any algorithm but HS256", async () => {
    const claims = { sub: "x", uid: "x", name: "x", role: "admin", scopes: [], kind: "user", jti: "j", iss: "msp-platform", typ: "access" };
    const unsigned = `${base64url({ alg: "none" })}.${base64url({ ...claims, iat: 1, exp: 4102444800 })}.`;
    await expectRefused(verifyAccessToken(unsigned, secret), /invalid token/);
    await expectRefused(verifyAccessToken(await forge({ ...claims }, "HS512"), secret), /algorithm not allowed/);
  });

  it("refuse a validly signed token with the wrong issuer, missing claims or an unknown role", async () => {
    const claims = { sub: "x", uid: "x", name: "x", role: "admin", scopes: [], kind: "user", jti: "j", iss: "msp-platform", typ: "access" };
    await expectRefused(verifyAccessToken(await forge({ ...claims, iss: "someone-else" }), secret), /iss claim rejected/);
    await expectRefused(verifyAccessToken(await forge({ ...claims, jti: undefined }), secret), /jti claim missing/);
    await expectRefused(verifyAccessToken(await forge({ ...claims, uid: undefined }), secret), /malformed/);
    await expectRefused(verifyAccessToken(await forge({ ...claims, role: "root" }), secret), /malformed/);
    await expectRefused(verifyAccessToken(await forge({ ...claims, scopes: "work:write" }), secret), /malformed/);
    await expectRefused(verifyAccessToken(await forge({ ...claims, kind: "robot" }), secret), /malformed/);
    await expect(verifyAccessToken(await forge(claims), secret)).resolves.toMatchObject({ role: "admin" });
  });

  it("carry the user's security version and sign-in family when given, and refuse a malformed version", async () => {
    const issued = await signer.issueAccessToken({ ...alice, securityVersion: 3, familyId: family }, 60);
    const payload = JSON.parse(Buffer.from(issued.token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect([payload["sv"], payload["fam"]]).toEqual([3, family]);
    await expect(verifyAccessToken(issued.token, secret)).resolves.toMatchObject({ securityVersion: 3, familyId: family });
    const without = await verifyAccessToken((await signer.issueAccessToken(alice, 60)).token, secret);
    expect(without).not.toHaveProperty("securityVersion");
    expect(without).not.toHaveProperty("familyId");

    await expect(signer.issueAccessToken({ ...alice, securityVersion: -1 }, 60)).rejects.toThrow(/securityVersion/);
    const claims = { sub: "x", uid: "x", name: "x", role: "admin", scopes: [], kind: "user", jti: "j", iss: "msp-platform", typ: "access" };
    for (const sv of ["3", -1, 1.5, null]) {
      await expectRefused(verifyAccessToken(await forge({ ...claims, sv }), secret), /malformed/);
    }
    await expectRefused(verifyAccessToken(await forge({ ...claims, fam: "" }), secret), /malformed/);
  });
});

describe("refresh tokens", () => {
  it("round-trip whom they were issued to and their family, and carry no role", async () => {
    const issued = await signer.issueRefreshToken(aliceRefresh, 86_400);
    await expect(verifyRefreshToken(issued.token, secret)).resolves.toEqual({
      subject: alice.subject,
      userId: alice.userId,
      username: "alice",
      tokenId: issued.tokenId,
      expiresAt: issued.expiresAt,
      familyId: family,
    });
    const payload = JSON.parse(Buffer.from(issued.token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(payload).not.toHaveProperty("role");
    expect(payload).not.toHaveProperty("scopes");
    expect(payload["typ"]).toBe("refresh");
  });

  it("need a family to be issued; one without (issued before families existed) still verifies", async () => {
    await expect(signer.issueRefreshToken({ ...aliceRefresh, familyId: "" }, 60)).rejects.toThrow(/names its family/);
    const legacy = await forge({ sub: alice.subject, uid: alice.userId, name: "alice", jti: "j", iss: "msp-platform", typ: "refresh" });
    const claims = await verifyRefreshToken(legacy, secret);
    expect(claims.familyId).toBeUndefined();
    const badFamily = await forge({ sub: "x", uid: "x", name: "x", jti: "j", iss: "msp-platform", typ: "refresh", fam: 7 });
    await expectRefused(verifyRefreshToken(badFamily, secret), /malformed/);
  });

  it("refuse another secret and expiry", async () => {
    const other = await createTokenSigner(otherSecret).issueRefreshToken(aliceRefresh, 60);
    await expectRefused(verifyRefreshToken(other.token, secret), /signature/);
    const old = await createTokenSigner(secret, { now: () => Date.now() - 7200_000 }).issueRefreshToken(aliceRefresh, 60);
    await expectRefused(verifyRefreshToken(old.token, secret), /expired/);
  });
});

describe("the signer", () => {
  it("wants a secret of at least 32 characters", () => {
    expect(() => createTokenSigner("too-short")).toThrow(/at least 32 characters/);
    expect(() => createTokenSigner("x".repeat(32))).not.toThrow();
  });

  it("wants a positive whole ttl and a known role", async () => {
    await expect(signer.issueAccessToken(alice, 0)).rejects.toThrow(RangeError);
    await expect(signer.issueAccessToken(alice, 1.5)).rejects.toThrow(RangeError);
    await expect(signer.issueAccessToken({ ...alice, role: "root" as Principal["role"] }, 60)).rejects.toThrow(/unknown role/);
  });
});
