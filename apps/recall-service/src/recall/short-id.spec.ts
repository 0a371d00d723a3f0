import { memoryKinds } from "./candidate";
import { isShortId, normalizeShortId, shortIdOf } from "./short-id";

describe("shortIdOf", () => {
  const id = "01936b2a-5c1e-7d3f-8a9b-0c1d2e3f4a5b";

  it("is 8 lower-case base32 characters, the same every time for the same item", () => {
    const shortId = shortIdOf("context", id);
    expect(shortId).toMatch(/^[a-z2-7]{8}$/);
    expect(shortIdOf("context", id)).toBe(shortId);
    expect(shortIdOf("context", id.toUpperCase())).toBe(shortId);
    expect(isShortId(shortId)).toBe(true);
  });

  it("depends on the kind as well as the id", () => {
    const ids = memoryKinds.map((kind) => shortIdOf(kind, id));
    expect(new Set(ids).size).toBe(memoryKinds.length);
  });

  it("spreads 20,000 ids without a collision in practice (40 bits)", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(shortIdOf("snippet", `01936b2a-5c1e-7d3f-8a9b-${String(i).padStart(12, "0")}`));
    expect(seen.size).toBe(20_000);
  });

  it("matches a known value (the derivation is part of the contract with stored lines)", () => {
    // base32 of sha256("context:" + id), first 8 characters (computed independently, bit by bit).
    expect(shortIdOf("context", "00000000-0000-7000-8000-000000000001")).toBe("tdr7cs76");
  });
});

describe("isShortId / normalizeShortId", () => {
  it("accepts only 8 base32 characters after normalization", () => {
    expect(isShortId(normalizeShortId("  ABCDEFGH "))).toBe(true);
    expect(isShortId("abcdefg")).toBe(false);
    expect(isShortId("abcdefgh1")).toBe(false);
    expect(isShortId("abcdefg1")).toBe(false);
    expect(isShortId("abcd-fgh")).toBe(false);
  });
});
