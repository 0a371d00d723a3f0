import type { TranscriptEvaluation } from "./recall-evaluation";
import { coreOf, evaluateTranscript, factKept, missedTargets, parseFactList } from "./recall-evaluation";

const result = (overrides: Partial<TranscriptEvaluation>): TranscriptEvaluation => ({
  file: "a.jsonl",
  bytes: 1_000,
  lines: 1,
  malformed: 0,
  sourceTokens: 30_000,
  summaryTokens: 1_000,
  summaryChars: 4_000,
  coreChars: 4_000,
  reduction: 1 - 1_000 / 30_000,
  missedFacts: [],
  ms: 10,
  summary: "",
  ...overrides,
});

describe("fact lists", () => {
  it("validates a fact list and names the file in errors", () => {
    expect(parseFactList({ transcript: "a.jsonl", facts: [{ fact: "f", match: ["x", "/y+/"] }] }, "a.json")).toEqual({
      transcript: "a.jsonl",
      facts: [{ fact: "f", match: ["x", "/y+/"] }],
    });
    expect(() => parseFactList({ facts: [] }, "b.json")).toThrow('fact list b.json: "transcript" must be a non-empty path');
    expect(() => parseFactList({ transcript: "a", facts: [{ fact: "f", match: [] }] }, "c.json")).toThrow("facts[0].match");
    expect(() => parseFactList({ transcript: "a", facts: [{ fact: "f", match: ["/(/"] }] }, "d.json")).toThrow("invalid regex");
  });

  it("keeps a fact only when every entry matches, substrings and regexes case-insensitively", () => {
    const summary = "Fixed with HTPASSWD; host 142.93.216.121";
    expect(factKept({ fact: "f", match: ["htpasswd"] }, summary)).toBe(true);
    expect(factKept({ fact: "f", match: ["htpasswd", "/142\\.93\\.\\d+\\.\\d+/"] }, summary)).toBe(true);
    expect(factKept({ fact: "f", match: ["htpasswd", "nginx"] }, summary)).toBe(false);
  });
});

describe("targets", () => {
  it("reports each missed target and nothing when all are met", () => {
    expect(missedTargets([result({})])).toEqual([]);
    expect(missedTargets([result({ reduction: 0.85 })])).toEqual(["a.jsonl: reduction 85.0% < 90%"]);
    expect(missedTargets([result({ sourceTokens: 5_000, reduction: 0.5 })])).toEqual([]);
    expect(missedTargets([result({ factsKept: 7, factsTotal: 10, missedFacts: ["x"] })])).toEqual([
      "a.jsonl: facts kept 7/10 (missed: x)",
      "facts kept overall 7/10 < 90%",
    ]);
    expect(missedTargets([result({ bytes: 2_800_000, ms: 2_500 })])).toEqual(["a.jsonl: ingest took 2500 ms >= 2000 ms"]);
  });

  it("evaluates one transcript: tokens, reduction and facts", () => {
    const line = JSON.stringify({
      type: "user",
      message: { role: "user", content: "Install nginx on web01 and open port 443 in the firewall" },
    });
    const evaluation = evaluateTranscript("t.jsonl", `${line}\n`, (text) => text, {
      transcript: "t.jsonl",
      facts: [
        { fact: "nginx", match: ["nginx"] },
        { fact: "absent", match: ["kubernetes"] },
      ],
    });
    expect(evaluation).toMatchObject({ file: "t.jsonl", lines: 1, malformed: 0, factsKept: 1, factsTotal: 2, missedFacts: ["absent"] });
    expect(evaluation.sourceTokens).toBeGreaterThan(5);
    expect(evaluation.summary).toContain("Install nginx on web01");
  });
});

describe("coreOf", () => {
  it("cuts a summary before its More: appendix", () => {
    expect(coreOf("# T\n## State at end\n- next: x\n## More: Files\n- created: a.ts")).toBe("# T\n## State at end\n- next: x");
    expect(coreOf("# T\n- a")).toBe("# T\n- a");
  });
});
