// The targets of issue 5 on the real transcripts: every transcript of at least 20,000 source
// tokens compressed by 90% or more, the reviewers' facts kept (90% per file and overall), and the
// 2.8 MB transcript ingested in under 2 s. Skipped, with the reason printed, without the fixtures.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { SUMMARY_CORE_CHARS } from "./compress-transcript";
import type { FactList, TranscriptEvaluation } from "./evaluation/recall-evaluation";
import {
  MIN_EVAL_SOURCE_TOKENS,
  TARGET_FACTS_KEPT,
  TARGET_REDUCTION,
  evaluateTranscript,
  listTranscripts,
  missedTargets,
  parseFactList,
} from "./evaluation/recall-evaluation";

const REPO_ROOT = resolve(__dirname, "../../..");
const TRANSCRIPTS = resolve(process.env["MSP_TRANSCRIPTS_DIR"] ?? resolve(REPO_ROOT, "../shared/fixtures/transcripts"));
const FACTS = join(REPO_ROOT, "tools/recall-eval/facts");
const available = existsSync(TRANSCRIPTS);
if (!available) console.warn(`eval.spec: skipped, transcripts folder not found: ${TRANSCRIPTS} (set MSP_TRANSCRIPTS_DIR)`);

/** The real redactor when it is importable, as the recall service would use it. */
function redactor(): (text: string) => string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: built by another project
    const module = require("@msp/redaction") as { redact?: (text: string) => string };
    if (typeof module.redact === "function") return module.redact;
  } catch {
    // not there: identity
  }
  return (text) => text;
}

(available ? describe : describe.skip)("compression of the real transcripts", () => {
  const factLists = new Map<string, FactList>();
  const results: TranscriptEvaluation[] = [];

  beforeAll(() => {
    for (const name of readdirSync(FACTS).filter((file) => file.endsWith(".json"))) {
      const list = parseFactList(JSON.parse(readFileSync(join(FACTS, name), "utf8")), name);
      factLists.set(list.transcript, list);
    }
    const redact = redactor();
    for (const file of listTranscripts(TRANSCRIPTS)) {
      results.push(evaluateTranscript(file, readFileSync(join(TRANSCRIPTS, file), "utf8"), redact, factLists.get(file)));
    }
  }, 120_000);

  it("has fact lists for at least three transcripts of 20,000 tokens or more, all present", () => {
    const eligible = results.filter((result) => result.sourceTokens >= MIN_EVAL_SOURCE_TOKENS && result.factsTotal !== undefined);
    expect(eligible.length).toBeGreaterThanOrEqual(3);
    for (const path of factLists.keys()) expect(results.map((result) => result.file)).toContain(path);
  });

  it("reduces every transcript of 20,000 tokens or more by at least 90%", () => {
    const weak = results.filter((result) => result.sourceTokens >= MIN_EVAL_SOURCE_TOKENS && result.reduction < TARGET_REDUCTION);
    expect(weak.map((result) => `${result.file}: ${(result.reduction * 100).toFixed(1)}%`)).toEqual([]);
  });

  it("keeps at least 90% of the facts, per file and overall", () => {
    const withFacts = results.filter((result) => result.factsTotal !== undefined);
    for (const result of withFacts) {
      expect({
        file: result.file,
        missed: result.missedFacts,
        kept: (result.factsKept ?? 0) / (result.factsTotal ?? 1) >= TARGET_FACTS_KEPT,
      }).toEqual({
        file: result.file,
        missed: result.missedFacts,
        kept: true,
      });
    }
    const kept = withFacts.reduce((sum, result) => sum + (result.factsKept ?? 0), 0);
    const total = withFacts.reduce((sum, result) => sum + (result.factsTotal ?? 0), 0);
    expect(kept / total).toBeGreaterThanOrEqual(TARGET_FACTS_KEPT);
  });

  it("ingests the 2.8 MB transcript and never fails on a file (speed: tools/recall-eval/eval.ts, tools/bench/ingest-bench.ts)", () => {
    const largest = [...results].sort((a, b) => b.bytes - a.bytes)[0];
    expect(largest?.bytes).toBeGreaterThan(2_000_000);
    // Time is the benchmark's to report; every other target must hold here.
    expect(missedTargets(results).filter((miss) => !miss.includes(": ingest took "))).toEqual([]);
  });

  it("keeps every summary within 6,500 characters, and within 12,000 with its appendix of lines left out", () => {
    expect(results.filter((result) => result.coreChars > SUMMARY_CORE_CHARS).map((result) => result.file)).toEqual([]);
    expect(results.filter((result) => result.summaryChars > 12_000).map((result) => result.file)).toEqual([]);
  });
});
