import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What the stand-in `claude` does when run. */
export interface StandInBehaviour {
  /** The summary it answers with (`result` of the JSON answer). */
  result?: string;
  /** Its usage object; the default adds up to 1,234 tokens. */
  usage?: Record<string, number>;
  /** Printed instead of the JSON answer (a broken claude). */
  stdout?: string;
  exitCode?: number;
  /** It answers only after this long (a claude that hangs). */
  delayMs?: number;
  /** Answers `is_error` with this subtype. */
  errorSubtype?: string;
}

/** One run of the stand-in, as it recorded itself. */
export interface StandInCall {
  args: string[];
  stdin: string;
  cwd: string;
  summarizerEnv: string | null;
}

/**
 * Writes an executable named `claude` into `dir` (put `dir` first on PATH, or name the file): it
 * records its arguments, stdin, folder and the summarizer's environment variable in calls.jsonl
 * beside it, then answers as `claude -p --output-format json` does, with `behaviour`.
 */
export function writeStandInClaude(dir: string, behaviour: StandInBehaviour = {}): string {
  const path = join(dir, "claude");
  const answer =
    behaviour.stdout ??
    JSON.stringify({
      type: "result",
      subtype: behaviour.errorSubtype ?? "success",
      is_error: behaviour.errorSubtype !== undefined,
      duration_ms: 1200,
      num_turns: 1,
      result: behaviour.result ?? "Goal: a stand-in summary.",
      session_id: "00000000-0000-4000-8000-000000000000",
      total_cost_usd: 0.0012,
      usage: behaviour.usage ?? { input_tokens: 1000, cache_creation_input_tokens: 100, cache_read_input_tokens: 34, output_tokens: 100 },
      modelUsage: { "claude-haiku-4-5-20251001": { inputTokens: 1000, outputTokens: 100 } },
    });
  const script = `#!${process.execPath}
const { appendFileSync } = require("node:fs");
let stdin = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (stdin += chunk));
process.stdin.on("end", () => {
  appendFileSync(${JSON.stringify(join(dir, "calls.jsonl"))}, JSON.stringify({
    args: process.argv.slice(2),
    stdin,
    cwd: process.cwd(),
    summarizerEnv: process.env.MSP_SUMMARIZER_RUN ?? null,
  }) + "\\n");
  setTimeout(() => {
    process.stdout.write(${JSON.stringify(answer)});
    process.exit(${behaviour.exitCode ?? 0});
  }, ${behaviour.delayMs ?? 0});
});
`;
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return path;
}

/** What the stand-in in `dir` was run with, in order. */
export function standInCalls(dir: string): StandInCall[] {
  const path = join(dir, "calls.jsonl");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as StandInCall);
}
