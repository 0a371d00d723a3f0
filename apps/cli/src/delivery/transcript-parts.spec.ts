import { encodedBytes, maxPartBytes, splitTranscriptParts } from "./transcript-parts";

describe("splitTranscriptParts", () => {
  it("keeps a small transcript in one part", () => {
    expect(splitTranscriptParts('{"a":1}\n{"b":2}\n')).toEqual(['{"a":1}\n{"b":2}\n']);
    expect(splitTranscriptParts("")).toEqual([""]);
  });

  it("cuts a large transcript at line ends into parts that fit 512 KiB once JSON-escaped, and joins back exactly", () => {
    // Lines full of quotes and backslashes, which grow when escaped.
    const line = `${JSON.stringify({ type: "user", message: { content: '"quoted" \\ path\\to\\file '.repeat(200) } })}\n`;
    const text = line.repeat(400);
    const parts = splitTranscriptParts(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(encodedBytes(part)).toBeLessThanOrEqual(maxPartBytes);
      expect(part.endsWith("\n")).toBe(true);
    }
    expect(parts.join("")).toBe(text);
  });

  it("cuts one oversized line between characters, never inside a surrogate pair", () => {
    const text = `${"😀".repeat(300_000)}\n`;
    const parts = splitTranscriptParts(text, 64 * 1024);
    expect(parts.join("")).toBe(text);
    for (const part of parts) {
      expect(encodedBytes(part)).toBeLessThanOrEqual(64 * 1024);
      expect(part.charCodeAt(part.length - 1) >= 0xd800 && part.charCodeAt(part.length - 1) <= 0xdbff).toBe(false);
    }
  });
});
