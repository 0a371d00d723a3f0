// Evaluation of transcript compression on the real transcripts in ../shared/fixtures/transcripts
// (or MSP_TRANSCRIPTS_DIR): per transcript of at least 20,000 source tokens, the token
// reduction, the facts of its fact list kept, and the ingest time. Exits 1 when a target is
// missed, 2 when the run cannot start.
//
//   npx tsx tools/recall-eval/eval.ts [--json] [--all] [--show <substring of a path>]
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { FactList, TranscriptEvaluation } from "@msp/transcript";
import { MIN_EVAL_SOURCE_TOKENS, countTokens, evaluateTranscript, listTranscripts, missedTargets, parseFactList } from "@msp/transcript";
import { loadRedactor } from "./load-redactor";

const REPO_ROOT = resolve(__dirname, "../..");
const FACTS_DIR = join(__dirname, "facts");

function transcriptsDir(): string {
  return resolve(process.env["MSP_TRANSCRIPTS_DIR"] ?? resolve(REPO_ROOT, "../shared/fixtures/transcripts"));
}

function loadFactLists(): Map<string, FactList> {
  const lists = new Map<string, FactList>();
  for (const name of readdirSync(FACTS_DIR)
    .filter((file) => file.endsWith(".json"))
    .sort()) {
    const list = parseFactList(JSON.parse(readFileSync(join(FACTS_DIR, name), "utf8")), name);
    lists.set(list.transcript, list);
  }
  return lists;
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function table(results: readonly TranscriptEvaluation[]): string {
  const rows = results.map((result) => [
    result.file.length > 70 ? `…${result.file.slice(-69)}` : result.file,
    String(result.sourceTokens),
    String(result.summaryTokens),
    `${(result.reduction * 100).toFixed(1)}%`,
    result.factsTotal === undefined ? "-" : `${result.factsKept}/${result.factsTotal}`,
    result.ms.toFixed(0),
  ]);
  const header = ["file", "source tokens", "summary tokens", "reduction", "facts kept", "time ms"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, column) => pad(cell, widths[column] ?? 0, column > 0)).join("  ");
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

function main(): number {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const all = args.includes("--all");
  const showAt = args.indexOf("--show");
  const show = showAt === -1 ? undefined : args[showAt + 1];
  const dir = transcriptsDir();
  if (!existsSync(dir)) {
    console.error(`recall-eval: transcripts folder not found: ${dir} (set MSP_TRANSCRIPTS_DIR)`);
    return 2;
  }
  const factLists = loadFactLists();
  const redactor = loadRedactor();
  countTokens("warm up the tokenizer before timing");

  const results: TranscriptEvaluation[] = [];
  for (const file of listTranscripts(dir)) {
    const result = evaluateTranscript(file, readFileSync(join(dir, file), "utf8"), redactor.redact, factLists.get(file));
    if (all || result.sourceTokens >= MIN_EVAL_SOURCE_TOKENS) results.push(result);
    if (show && file.includes(show)) console.log(`\n===== ${file}\n${result.summary}\n`);
  }
  const unknown = [...factLists.keys()].filter((path) => !existsSync(join(dir, path)));
  const missed = [...missedTargets(results), ...unknown.map((path) => `fact list names a transcript that is not there: ${path}`)];
  const eligible = results.filter((result) => result.sourceTokens >= MIN_EVAL_SOURCE_TOKENS);
  const kept = eligible.reduce((sum, result) => sum + (result.factsKept ?? 0), 0);
  const total = eligible.reduce((sum, result) => sum + (result.factsTotal ?? 0), 0);

  if (json) {
    const report = {
      transcriptsDir: dir,
      redactor: redactor.name,
      minSourceTokens: MIN_EVAL_SOURCE_TOKENS,
      results: results.map(({ summary: _summary, ...rest }) => rest),
      factsKept: kept,
      factsTotal: total,
      missed,
    };
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`transcripts: ${dir}\nredactor: ${redactor.name}\n`);
    console.log(table(results));
    console.log(`\nfacts kept overall: ${kept}/${total}`);
    for (const result of results) for (const fact of result.missedFacts) console.log(`missed fact in ${result.file}: ${fact}`);
    console.log(missed.length === 0 ? "all targets met" : `targets missed:\n- ${missed.join("\n- ")}`);
  }
  return missed.length === 0 ? 0 : 1;
}

process.exitCode = main();
