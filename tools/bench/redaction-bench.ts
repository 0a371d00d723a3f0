// Speed of the secret redactor over the real transcripts (a benchmark, not a test; not in CI).
// Prints, per file, its size, the time of one cold and the best of several warm redactions, and
// what was redacted per kind; then the overall throughput, by wall clock and by CPU time (the
// CPU figure stays meaningful on a machine shared with other work).
//   npx tsx tools/bench/redaction-bench.ts [--runs 5]
//   Transcripts: MSP_TRANSCRIPTS_DIR, else ../shared/fixtures/transcripts beside the repository.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { redactText } from "@msp/redaction";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Math.max(1, Number(args.runs));
const dir = resolve(process.env["MSP_TRANSCRIPTS_DIR"] ?? resolve(__dirname, "../..", "../shared/fixtures/transcripts"));

function transcriptFiles(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return transcriptFiles(path);
      return name.endsWith(".jsonl") ? [path] : [];
    });
}

let cpuMicros = 0;

/** Wall-clock milliseconds of `run`; its CPU time is added to cpuMicros. */
function time(run: () => void): number {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  run();
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  cpuMicros += cpu.user + cpu.system;
  return wall;
}

if (!existsSync(dir)) {
  console.error(`redaction-bench: transcripts folder not found: ${dir} (set MSP_TRANSCRIPTS_DIR)`);
  process.exit(1);
}

let totalBytes = 0;
let totalBestMs = 0;
let timedBytes = 0;
for (const file of transcriptFiles(dir)) {
  const text = readFileSync(file, "utf8");
  const bytes = Buffer.byteLength(text);
  const coldMs = time(() => redactText(text));
  let bestMs = coldMs;
  for (let run = 1; run < runs; run++)
    bestMs = Math.min(
      bestMs,
      time(() => redactText(text)),
    );
  timedBytes += bytes * runs;
  const { redactions, total } = redactText(text);
  totalBytes += bytes;
  totalBestMs += bestMs;
  const kinds = redactions.map((redaction) => `${redaction.kind}=${redaction.count}`).join(" ");
  console.log(
    `${relative(dir, file)}  ${(bytes / 1e6).toFixed(2)} MB  first ${coldMs.toFixed(0)} ms  best ${bestMs.toFixed(0)} ms  ${(bytes / 1e6 / (bestMs / 1000)).toFixed(1)} MB/s  redacted ${total}${kinds === "" ? "" : `: ${kinds}`}`,
  );
}
console.log(
  `all: ${(totalBytes / 1e6).toFixed(2)} MB in ${totalBestMs.toFixed(0)} ms (best runs) = ${(totalBytes / 1e6 / (totalBestMs / 1000)).toFixed(1)} MB/s wall`,
);
console.log(
  `CPU: ${(timedBytes / 1e6).toFixed(1)} MB redacted in ${(cpuMicros / 1000).toFixed(0)} ms of CPU = ${(timedBytes / 1e6 / (cpuMicros / 1e6)).toFixed(1)} MB/s`,
);
