import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TranscriptParser, parseTranscript } from "./parse-transcript";

const fixture = (name: string) => readFileSync(join(__dirname, "fixtures", name), "utf8");

describe("parseTranscript", () => {
  it("counts lines, records, malformed lines and record types, and flags a torn last line", () => {
    const { events, stats } = parseTranscript(fixture("deploy-session.jsonl"));
    expect(stats.malformed).toBe(4); // not JSON, a JSON array, an object without type, the torn last line
    expect(stats.tornLastLine).toBe(true);
    expect(stats.records).toBe(events.length);
    expect(stats.lines).toBe(stats.records + stats.malformed);
    expect(stats.byType["user"]).toBeGreaterThan(10);
    expect(stats.byType["system/compact_boundary"]).toBe(1);
    expect(stats.byType["system/api_error"]).toBe(1);
    expect(events.some((event) => event.uuid === "torn")).toBe(false);
  });

  it("reads every record shape of the zoo, CRLF line ends included", () => {
    const { events, stats } = parseTranscript(fixture("record-zoo.jsonl"));
    expect(stats.malformed).toBe(0);
    expect(stats.tornLastLine).toBe(false);
    const kinds = new Set(events.map((event) => event.kind));
    for (const kind of [
      "prompt",
      "tool_results",
      "compact_summary",
      "compact_boundary",
      "meta",
      "slash_command",
      "command_output",
      "interrupt",
      "assistant",
      "api_error",
      "summary",
      "away_summary",
      "system",
      "attachment",
      "progress",
      "bookkeeping",
      "journal",
      "unknown",
    ] as const) {
      expect(kinds).toContain(kind);
    }
    expect(stats.byType["brand-new-type"]).toBe(1);
  });

  it("gives the same events whatever the chunk size, a record split across chunks included", () => {
    const text = fixture("deploy-session.jsonl");
    const whole = parseTranscript(text);
    for (const size of [1, 7, 100, 4096]) {
      const parser = new TranscriptParser();
      for (let offset = 0; offset < text.length; offset += size) parser.push(text.slice(offset, offset + size));
      expect(parser.end()).toEqual(whole);
    }
  });

  it("skips a byte order mark and blank lines", () => {
    const line = JSON.stringify({ type: "user", message: { role: "user", content: "hi" } });
    const { events, stats } = parseTranscript(`\uFEFF${line}\n\n   \n${line}`);
    expect(events).toHaveLength(2);
    expect(stats).toEqual({ lines: 2, records: 2, malformed: 0, byType: { user: 2 }, tornLastLine: false });
  });

  it("returns nothing for an empty transcript", () => {
    expect(parseTranscript("")).toEqual({ events: [], stats: { lines: 0, records: 0, malformed: 0, byType: {}, tornLastLine: false } });
  });

  it("refuses input that is not text, and chunks after end()", () => {
    expect(() => parseTranscript(42 as unknown as string)).toThrow(TypeError);
    const parser = new TranscriptParser();
    parser.end();
    expect(() => parser.push("{}")).toThrow("after end()");
    expect(() => new TranscriptParser().push(undefined as unknown as string)).toThrow(TypeError);
  });

  it("parses a several-megabyte transcript", () => {
    const text = fixture("deploy-session.jsonl").split("\n").slice(0, -1).join("\n");
    const big = Array.from({ length: 80 }, () => text).join("\n");
    expect(big.length).toBeGreaterThan(2_000_000);
    const { stats } = parseTranscript(big);
    expect(stats.records).toBeGreaterThan(3_000);
  });
});
