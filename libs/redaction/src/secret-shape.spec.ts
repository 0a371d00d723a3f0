import { isCodeReference, isContentHash, isPlaceholder, looksRandom, shannonEntropy } from "./secret-shape";
import { syntheticText } from "./testing";

describe("shannonEntropy", () => {
  it("is 0 for one repeated character and log2(n) for n equally frequent ones", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBeCloseTo(2);
    expect(shannonEntropy("0123456789abcdef")).toBeCloseTo(4);
  });
});

describe("looksRandom", () => {
  it("accepts generated keys", () => {
    expect(looksRandom(syntheticText("a", 24))).toBe(true);
    expect(looksRandom(syntheticText("b", 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"))).toBe(true);
  });

  it("rejects words, identifiers, hashes, UUIDs, paths, versions and short values", () => {
    for (const value of [
      "ThisIsAVeryLongIdentifierName",
      "created_at_descending_then_name",
      "9fceb02d0ae598e95dc970b74767f19372d61af8",
      "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
      "/workspace/ssl/private/key.pem",
      "src/components/HeaderBar.tsx",
      "1.14.3-rc.1+build.7",
      "aB3dE5",
    ]) {
      expect([value, looksRandom(value)]).toEqual([value, false]);
    }
  });
});

describe("isContentHash", () => {
  it("knows hex digests of the usual lengths and labelled digests", () => {
    expect(isContentHash("9fceb02")).toBe(true);
    expect(isContentHash("9fceb02d0ae598e95dc970b74767f19372d61af8")).toBe(true);
    expect(isContentHash("sha256:" + "a".repeat(64))).toBe(true);
    expect(isContentHash("sha512-AbC+/=")).toBe(true);
    expect(isContentHash("9fceb02d0ae598e95dc970b74767f19372d61af")).toBe(false);
  });
});

describe("isPlaceholder and isCodeReference", () => {
  it.each([
    "",
    "null",
    "string",
    "********",
    "xxxx",
    "$DB_PASSWORD",
    "${TOKEN}",
    "$(cat /run/secrets/pw)",
    "%PASSWORD%",
    "{{ pw }}",
    "<password>",
    "your_password",
    "[REDACTED:password]",
    "username:password",
  ])("placeholder: %j", (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each(["hunter2", "Gr8Pass2025", "changeme", "password"])("not a placeholder: %j", (value) => {
    expect(isPlaceholder(value)).toBe(false);
  });

  it.each([
    "process.env.DB_PASSWORD",
    "config.db.password",
    "os.getenv(",
    "getPassword()",
    "args[1]",
    "secrets.GITHUB_TOKEN",
    "req.headers.authorization?.split(",
    "process.env.JWT_SECRET!",
  ])("code: %j", (value) => {
    expect(isCodeReference(value)).toBe(true);
  });

  it.each(["hunter2", "Pa55.word9", "S3cr3t!", "hunter.2", "Summer.Sale2024"])("not code: %j", (value) => {
    expect(isCodeReference(value)).toBe(false);
  });
});
