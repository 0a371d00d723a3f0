// The blind evaluation of memory (issue 16): what Claude is actually shown, scored against facts
// written from the transcripts alone before any tuning (tools/recall-eval/blind). The real path:
// the whole platform as processes; per transcript, machine A (its own HOME) runs Claude Code's
// Stop hook on the transcript in a project folder and `msp sync`; machine B (another HOME, another
// clone of the same repository) runs SessionStart there (the injection, 8,000 characters) and
// `msp recall QUESTION` for each question. Facts are counted in the injection and in the answers,
// beside two baselines computed from the transcript's own text: its first and its last 8,000
// characters. Prints a table and one summary line (for BENCHMARKS.md); --json for the details.
// With --summaries model, machine A runs with the model summarizer on (`msp setup --summarizer
// claude`, the given claude executable: the real Claude Code spends your tokens) and B's recall
// prefers the model summaries, so the same facts score the model's summaries instead.
//
//   npm run eval:blind -- [--only <substring>] [--json] [--show <substring>]
//                         [--summaries deterministic|model] [--claude PATH] [--model MODEL]
//                         [--dump DIR]   (writes each injection and recall answer to DIR)
//   (transcripts from ../shared/fixtures/transcripts or MSP_TRANSCRIPTS_DIR)
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { TestMachine } from "../../apps/cli/src/e2e/cli-harness";
import { buildBundles, claudeHook, createMachine, gitClone, msp, ok, removeMachine } from "../../apps/cli/src/e2e/cli-harness";
import { startRestartablePlatform } from "../../apps/cli/src/e2e/restartable-platform";

const { values: args } = parseArgs({
  options: {
    only: { type: "string" },
    json: { type: "boolean", default: false },
    show: { type: "string" },
    dump: { type: "string" },
    summaries: { type: "string", default: "deterministic" },
    claude: { type: "string" },
    model: { type: "string" },
  },
});
const modelSummaries = args.summaries === "model";
/** Machine A's summarizer tokens of the day, as last read. */
let tokensSoFar = 0;

const BLIND_DIR = join(__dirname, "..", "recall-eval", "blind");
const BUDGET = 8_000;

interface BlindFact {
  id: string;
  kind: string;
  fact: string;
  mustAppear: string[][];
}
interface BlindSet {
  transcript: string;
  facts: BlindFact[];
  questions: { id: string; question: string; facts: string[] }[];
}

function transcriptsDir(): string {
  return resolve(process.env["MSP_TRANSCRIPTS_DIR"] ?? resolve(__dirname, "../../../shared/fixtures/transcripts"));
}

/** Every group of the fact matched, case-insensitively, by one of its alternatives. */
export function factFound(fact: BlindFact, text: string): boolean {
  const haystack = text.toLowerCase();
  return fact.mustAppear.every((group) => group.some((term) => haystack.includes(term.toLowerCase())));
}

/** The conversation's own words: user and assistant text, in order, as a person would read them. */
function transcriptText(path: string): string {
  const parts: string[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    let record: { message?: { role?: string; content?: unknown } };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      continue;
    }
    const content = record.message?.content;
    if (typeof content === "string") parts.push(content);
    else if (Array.isArray(content)) {
      for (const block of content as { type?: string; text?: string }[]) if (block.type === "text" && block.text) parts.push(block.text);
    }
  }
  return parts.join("\n");
}

/** Finds a transcript by file name anywhere under the fixtures folder. */
function findTranscript(root: string, name: string): string | undefined {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      const found = findTranscript(path, name);
      if (found) return found;
    } else if (entry.name === name || entry.name === `${name}.jsonl`) return path;
  }
  return undefined;
}

interface Score {
  found: number;
  total: number;
}
const add = (a: Score, b: Score): Score => ({ found: a.found + b.found, total: a.total + b.total });
const pct = (s: Score) => (s.total === 0 ? "-" : `${((100 * s.found) / s.total).toFixed(1)}%`);

interface Result {
  transcript: string;
  injection: Score;
  injectionChars: number;
  queries: Score;
  answerChars: number;
  firstBaseline: Score;
  lastBaseline: Score;
  firstQueries: Score;
  lastQueries: Score;
  missed: string[];
  /** Query facts missing from their question's answer: "question id / fact id". */
  missedQueries: string[];
  /** Tokens the model summary of this transcript cost (--summaries model); 0 otherwise. */
  modelSummaryTokens: number;
}

async function main(): Promise<number> {
  if (args.summaries !== "model" && args.summaries !== "deterministic") {
    console.error(`blind-eval: --summaries is deterministic or model, not "${args.summaries}"`);
    return 2;
  }
  const dir = transcriptsDir();
  if (!existsSync(dir)) {
    console.error(`blind-eval: transcripts folder not found: ${dir} (set MSP_TRANSCRIPTS_DIR)`);
    return 2;
  }
  const sets = readdirSync(BLIND_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(BLIND_DIR, f), "utf8")) as BlindSet)
    .filter((s) => !args.only || s.transcript.includes(args.only));
  buildBundles();
  const platform = await startRestartablePlatform();
  const A = createMachine("EVAL-A", "blind-eval-machine-a");
  const B = createMachine("EVAL-B", "blind-eval-machine-b");
  const results: Result[] = [];
  try {
    const client = await platform.api("POST", "/api/v1/clients", { name: "Blind Evaluation Client" });
    const clientId = (client.json as { id?: string }).id ?? "";
    // Every project exists before the machines are set up, as a shop's projects do: a project made
    // seconds before a session is unknown to the machines' project lists for up to 30 s (the CLI
    // looks an unknown repository up again after that), which made runs differ.
    const work: { set: BlindSet; source: string; repoA: string; repoB: string; i: number }[] = [];
    for (const [i, set] of sets.entries()) {
      const source = findTranscript(dir, set.transcript);
      if (!source) {
        console.error(`blind-eval: ${set.transcript} not found under ${dir}; skipped`);
        continue;
      }
      const remote = `https://github.com/blind-eval/project-${i}.git`;
      await platform.api("POST", "/api/v1/projects", { clientId, name: `Blind project ${i}`, slug: `blind-${i}`, repoUrl: remote });
      work.push({ set, source, repoA: gitClone(A.home, `work/project-${i}`, remote), repoB: gitClone(B.home, `src/project-${i}`, remote), i });
    }
    const first = work[0];
    if (first) {
      for (const [machine, cwd] of [
        [A, first.repoA],
        [B, first.repoB],
      ] as const) {
        const summarizer = machine === A && modelSummaries ? summarizerOptions() : [];
        ok(
          await msp(machine, ["setup", "--server", platform.baseUrl, "--user", "admin", "--name", machine.name, ...summarizer, "--json"], {
            cwd,
            env: { MSP_PASSWORD: platform.adminPassword },
          }),
        );
      }
      if (modelSummaries) preferModelSummaries(B);
    }
    for (const { set, source, repoA, repoB, i } of work) {
      results.push(await evaluate(set, source, A, B, repoA, repoB, i));
      const r = results[results.length - 1]!;
      console.error(
        `${set.transcript}: injection ${r.injection.found}/${r.injection.total}, queries ${r.queries.found}/${r.queries.total}` +
          (modelSummaries ? `, model summary ${r.modelSummaryTokens} tokens` : ""),
      );
    }
  } finally {
    await platform.dispose();
    await new Promise((done) => setTimeout(done, 500));
    removeMachine(A);
    removeMachine(B);
  }
  const total = results.reduce(
    (t, r) => ({
      injection: add(t.injection, r.injection),
      queries: add(t.queries, r.queries),
      first: add(t.first, r.firstBaseline),
      last: add(t.last, r.lastBaseline),
      firstQ: add(t.firstQ, r.firstQueries),
      lastQ: add(t.lastQ, r.lastQueries),
      modelTokens: t.modelTokens + r.modelSummaryTokens,
    }),
    { injection: zero(), queries: zero(), first: zero(), last: zero(), firstQ: zero(), lastQ: zero(), modelTokens: 0 },
  );
  if (args.json) console.log(JSON.stringify({ results, total }, null, 2));
  else {
    for (const r of results) {
      console.log(
        `${r.transcript.slice(0, 48).padEnd(48)}  injection ${pct(r.injection).padStart(6)} (${r.injectionChars} chars)  queries ${pct(r.queries).padStart(6)}  first-8k ${pct(r.firstBaseline).padStart(6)}  last-8k ${pct(r.lastBaseline).padStart(6)}`,
      );
    }
    console.log(
      `blind eval${modelSummaries ? ` (model summaries: ${total.modelTokens} tokens)` : ""}: ${results.length} transcripts; SessionStart injection ${total.injection.found}/${total.injection.total} facts (${pct(total.injection)}); ` +
        `recall answers ${total.queries.found}/${total.queries.total} query facts (${pct(total.queries)}); ` +
        `baselines first 8,000 chars ${pct(total.first)} / ${pct(total.firstQ)}, last 8,000 chars ${pct(total.last)} / ${pct(total.lastQ)}`,
    );
  }
  return 0;
}

const zero = (): Score => ({ found: 0, total: 0 });

function score(facts: readonly BlindFact[], text: string): Score {
  return { found: facts.filter((f) => factFound(f, text)).length, total: facts.length };
}

async function evaluate(
  set: BlindSet,
  source: string,
  A: TestMachine,
  B: TestMachine,
  repoA: string,
  repoB: string,
  i: number,
): Promise<Result> {
  const sessionId = `blind-${i}-${Date.now()}`;
  const placed = join(A.home, ".claude", "projects", `-work-project-${i}`);
  mkdirSync(placed, { recursive: true });
  const transcriptPath = join(placed, `${sessionId}.jsonl`);
  copyFileSync(source, transcriptPath);
  const common = { session_id: sessionId, transcript_path: transcriptPath, cwd: repoA };
  await claudeHook(A, "SessionStart", { ...common, source: "startup" });
  await claudeHook(A, "Stop", { ...common, stop_hook_active: false });
  await msp(A, ["sync", "--json"]);
  await claudeHook(A, "SessionEnd", { ...common, reason: "prompt_input_exit" });
  await msp(A, ["sync", "--json"]);
  let modelSummaryTokens = 0;
  if (modelSummaries) {
    // The summarizer runs detached after the SessionEnd upload: wait for it, then deliver its summary.
    // A's tokens of the day before and after: the detached summarizer may have done the work.
    const summarized = await msp(A, ["summarize", "--wait", "600", "--json"]);
    const today = (JSON.parse(summarized.stdout || "{}") as { today?: { tokens?: number } }).today?.tokens ?? 0;
    modelSummaryTokens = Math.max(0, today - tokensSoFar);
    tokensSoFar = today;
    await msp(A, ["sync", "--json"]);
  }

  const start = await claudeHook(B, "SessionStart", {
    session_id: `${sessionId}-b`,
    transcript_path: join(B.home, "none.jsonl"),
    cwd: repoB,
    source: "startup",
  });
  const injection = start.stdout;
  if (args.show && set.transcript.includes(args.show)) console.error(`--- injection of ${set.transcript} ---\n${injection}\n---`);
  if (args.dump) {
    mkdirSync(args.dump, { recursive: true });
    writeFileSync(join(args.dump, `${set.transcript}.injection.txt`), injection);
  }
  const byId = new Map(set.facts.map((f) => [f.id, f]));
  let queries = zero();
  let answerChars = 0;
  const missedQueries: string[] = [];
  let firstQueries = zero();
  let lastQueries = zero();
  const text = transcriptText(source);
  const first = text.slice(0, BUDGET);
  const last = text.slice(-BUDGET);
  for (const question of set.questions) {
    const facts = question.facts.map((id) => byId.get(id)).filter((f): f is BlindFact => f !== undefined);
    const answer = (await msp(B, ["recall", question.question], { cwd: repoB })).stdout;
    answerChars += answer.length;
    if (args.dump) writeFileSync(join(args.dump, `${set.transcript}.${question.id}.answer.txt`), `${question.question}\n---\n${answer}`);
    queries = add(queries, score(facts, answer));
    for (const fact of facts) if (!factFound(fact, answer)) missedQueries.push(`${question.id} ${fact.id} ${question.question}`);
    firstQueries = add(firstQueries, score(facts, first));
    lastQueries = add(lastQueries, score(facts, last));
  }
  return {
    transcript: set.transcript,
    injection: score(set.facts, injection),
    injectionChars: injection.length,
    queries,
    answerChars,
    firstBaseline: score(set.facts, first),
    lastBaseline: score(set.facts, last),
    firstQueries,
    lastQueries,
    missed: set.facts.filter((f) => !factFound(f, injection)).map((f) => `${f.id} ${f.fact}`),
    missedQueries,
    modelSummaryTokens,
  };
}

/** Machine A's setup options for --summaries model: the summarizer on, with the given claude and model, and a cap that never stops the run. */
function summarizerOptions(): string[] {
  return [
    "--summarizer",
    "claude",
    "--summarizer-daily-tokens",
    "100000000",
    ...(args.claude ? ["--summarizer-command", resolve(args.claude)] : []),
    ...(args.model ? ["--summarizer-model", args.model] : []),
  ];
}

/** Machine B's recall prefers the model summaries (what `memory.summaries` in its config.json says). */
function preferModelSummaries(machine: TestMachine): void {
  const path = join(machine.mspHome, "config.json");
  const config = JSON.parse(readFileSync(path, "utf8")) as { memory?: Record<string, unknown> };
  config.memory = { ...config.memory, summaries: "model" };
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
