import { createHmac, createSecretKey, randomBytes } from "node:crypto";
import { canonicalEventBytes, canonicalEventText } from "./canonical";
import { appendEvents, eventHash, isChainHash, LinkedHasher, linkedTextHash } from "./chain";
import { genesisHash } from "./event";
import { chainOf, hmacKey, otherHmacKey, unchainedEvents } from "./spec-fixtures";

describe("eventHash", () => {
  const [event] = chainOf(1);

  it("is HMAC-SHA256 over the previous hash's bytes and the canonical event bytes", () => {
    const expected = createHmac("sha256", hmacKey)
      .update(Buffer.concat([Buffer.from(genesisHash, "hex"), canonicalEventBytes(event!)]))
      .digest("hex");
    expect(eventHash(hmacKey, genesisHash, event!)).toBe(expected);
    expect(event!.hash).toBe(expected);
  });

  it("depends on the key, the link and every field", () => {
    const hash = eventHash(hmacKey, genesisHash, event!);
    expect(eventHash(otherHmacKey, genesisHash, event!)).not.toBe(hash);
    expect(eventHash(hmacKey, "1".repeat(64), event!)).not.toBe(hash);
    for (const change of [{ seq: 2 }, { id: "x" }, { occurredAt: new Date(0) }, { resourceId: "other" }, { sourceIp: null }]) {
      expect(eventHash(hmacKey, genesisHash, { ...event!, ...change })).not.toBe(hash);
    }
  });

  it("refuses a prevHash that is not 64 lower-case hex digits", () => {
    for (const bad of ["", "0".repeat(63), "0".repeat(65), "G".repeat(64), "AB".repeat(32)]) {
      expect(() => eventHash(hmacKey, bad, event!)).toThrow(/prevHash must be 64 lower-case hex digits/);
    }
  });
});

describe("appendEvents", () => {
  it("gives dense seqs after the head and links each event to the one before", () => {
    const first = appendEvents(hmacKey, { seq: 0, hash: genesisHash }, unchainedEvents(3));
    expect(first.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(first[0]!.prevHash).toBe(genesisHash);
    expect(first[1]!.prevHash).toBe(first[0]!.hash);
    expect(first[2]!.prevHash).toBe(first[1]!.hash);
    for (const e of first) {
      expect(isChainHash(e.hash)).toBe(true);
      expect(e.hash).toBe(eventHash(hmacKey, e.prevHash, e));
    }
    const next = appendEvents(hmacKey, { seq: 3, hash: first[2]!.hash }, unchainedEvents(2, 4));
    expect(next.map((e) => [e.seq, e.prevHash])).toEqual([
      [4, first[2]!.hash],
      [5, next[0]!.hash],
    ]);
  });

  it("appends in batches to the same chain as in one go", () => {
    const all = chainOf(10);
    const head = all[5]!;
    const rest = appendEvents(hmacKey, { seq: head.seq, hash: head.hash }, unchainedEvents(4, 7));
    expect(rest).toEqual(all.slice(6));
  });

  it("does not modify its input and copies only the chain's fields", () => {
    const input = unchainedEvents(1).map((e) => ({ ...e, extra: "ignored" }));
    const before = JSON.stringify(input);
    const [chained] = appendEvents(hmacKey, { seq: 0, hash: genesisHash }, input);
    expect(JSON.stringify(input)).toBe(before);
    expect(chained).not.toHaveProperty("extra");
  });

  it("refuses a bad head or key", () => {
    expect(() => appendEvents(hmacKey, { seq: -1, hash: genesisHash }, [])).toThrow(/head.seq/);
    expect(() => appendEvents(hmacKey, { seq: 0, hash: "x" }, [])).toThrow(/head.hash/);
    expect(() => appendEvents(Buffer.alloc(16), { seq: 0, hash: genesisHash }, [])).toThrow(/32-byte/);
  });
});

describe("LinkedHasher", () => {
  it("hashes as linkedTextHash does, event after event, whatever the text's length and characters", () => {
    const hasher = new LinkedHasher(hmacKey);
    const texts = [
      canonicalEventText(chainOf(1)[0]!),
      "",
      'é ü ß € 日本 😀 \u0001 "quoted"',
      "x".repeat(5000),
      "😀".repeat(3000),
      "a lone surrogate \ud800 and its pair \ud83d\ude00",
      "short again",
    ];
    let prevHash = genesisHash;
    for (const text of texts) {
      const hash = hasher.hash(prevHash, text);
      expect(hash).toBe(linkedTextHash(hmacKey, prevHash, text));
      prevHash = hash;
    }
  });

  it("is node:crypto's HMAC-SHA256 for keys of any length, given as bytes or as a KeyObject", () => {
    const text = canonicalEventText(chainOf(1)[0]!);
    for (const length of [1, 31, 32, 63, 64, 65, 100, 200]) {
      const key = randomBytes(length);
      const expected = createHmac("sha256", key).update(Buffer.from(genesisHash, "hex")).update(text, "utf8").digest("hex");
      expect(new LinkedHasher(key).hash(genesisHash, text)).toBe(expected);
      expect(new LinkedHasher(createSecretKey(key)).hash(genesisHash, text)).toBe(expected);
    }
  });

  it("refuses a prevHash that is not 64 hex digits", () => {
    const hasher = new LinkedHasher(hmacKey);
    for (const bad of ["", "0".repeat(63), "0".repeat(65), "G".repeat(64), `${"0".repeat(62)}zz`]) {
      expect(() => hasher.hash(bad, "text")).toThrow(/prevHash must be 64 hex digits/);
    }
  });
});
