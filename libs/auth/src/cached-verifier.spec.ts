import { createCachedVerifier } from "./cached-verifier";
import { createTokenSigner } from "./tokens";

const secret = "a".repeat(40);
const claims = { subject: "u1", userId: "u1", username: "alice", role: "technician" as const, scopes: [], kind: "user" as const };

describe("createCachedVerifier", () => {
  it("returns the same principal for the same token, and refuses other secrets' tokens", async () => {
    const verify = createCachedVerifier(secret);
    const { token } = await createTokenSigner(secret).issueAccessToken(claims, 60);
    const first = await verify(token);
    expect(await verify(token)).toBe(first);
    const forged = (await createTokenSigner("b".repeat(40)).issueAccessToken(claims, 60)).token;
    await expect(verify(forged)).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("does not keep accepting a remembered token once it has expired", async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ["nextTick", "setImmediate"] });
    try {
      const { token } = await createTokenSigner(secret).issueAccessToken(claims, 60);
      const verify = createCachedVerifier(secret);
      await verify(token);
      jest.setSystemTime(Date.now() + 61_000);
      await expect(verify(token)).rejects.toMatchObject({ code: "unauthenticated" });
    } finally {
      jest.useRealTimers();
    }
  });
});
