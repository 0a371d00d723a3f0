// Issue 16 item 8 end to end: the whole platform as processes, machine A set up with
// `--summarizer claude` and a stand-in `claude` first on its PATH (a script that records how it
// was run and answers as `claude -p --output-format json` does). A session ends on A; the
// deterministic summary is stored as always, the stand-in writes the model summary in the
// background from the redacted transcript, and it is stored beside it and recallable from B.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Json } from "@msp/testing";
import { standInCalls, writeStandInClaude } from "../test-support/stand-in-claude";
import type { TestMachine } from "./cli-harness";
import { buildBundles, claudeHook, createMachine, gitClone, jsonOf, msp, ok, removeMachine } from "./cli-harness";
import type { RestartablePlatform } from "./restartable-platform";
import { startRestartablePlatform } from "./restartable-platform";
import { syntheticTranscript } from "./session-transcripts";
import { withSlowness } from "@msp/testing";

jest.setTimeout(withSlowness(240_000));

const A = createMachine("SUMMARY-A", "e2e-summary-machine-a");
const B = createMachine("SUMMARY-B", "e2e-summary-machine-b");
const claudeDir = join(A.root, "stand-in-bin");
const remote = "https://github.com/acme/summaries.git";
const planted = "Pl4nted-Summ4ry-S3cret";
const modelSummary =
  "Goal: the customer portal on web01.acme.local answered 502 after the deploy.\n" +
  "Problems: upstream port changed -> nginx proxy_pass fixed -> curl shows 200.\n" +
  "State at the end: fixed; next step is the TLS renewal (MODEL-SUMMARY-E2E).";

let platform: RestartablePlatform;
let repoA: string;
let repoB: string;
const sessionId = randomUUID();

function readLog(machine: TestMachine): string {
  try {
    return readFileSync(join(machine.mspHome, "log"), "utf8");
  } catch {
    return "(no log)";
  }
}

/** Every file under a folder, as text: nothing msp keeps may hold the planted secret. */
function allText(dir: string): string {
  let text = "";
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    text += statSync(path).isDirectory() ? allText(path) : readFileSync(path, "utf8");
  }
  return text;
}

beforeAll(async () => {
  buildBundles();
  platform = await startRestartablePlatform();
  const client = await platform.api("POST", "/api/v1/clients", { name: "Acme Summaries" });
  expect(client.status).toBe(200);
  const project = await platform.api("POST", "/api/v1/projects", {
    clientId: client.json.id,
    name: "Summaries",
    slug: "acme-summaries",
    repoUrl: remote,
  });
  expect(project.status).toBe(200);
  mkdirSync(claudeDir, { recursive: true });
  writeStandInClaude(claudeDir, { result: `${modelSummary}\nSettled values: mysql -u root -p${planted} on db01.` });
  // The stand-in is the `claude` machine A finds first on its PATH, as the real one would be.
  A.env["PATH"] = `${claudeDir}:${A.env["PATH"] ?? ""}`;
  repoA = gitClone(A.home, "work/summaries", remote);
  repoB = gitClone(B.home, "src/summaries", remote);
  for (const [machine, cwd, extra] of [
    [A, repoA, ["--summarizer", "claude", "--summarizer-daily-tokens", "100000"]],
    [B, repoB, []],
  ] as const) {
    ok(
      await msp(machine, ["setup", "--server", platform.baseUrl, "--user", "admin", "--name", machine.name, ...extra, "--json"], {
        cwd,
        env: { MSP_PASSWORD: platform.adminPassword },
      }),
    );
  }
});

afterAll(async () => {
  await platform?.dispose();
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const machine of [A, B]) removeMachine(machine);
});

test("setup --summarizer claude turns it on for A only, and says what it costs", async () => {
  const config = JSON.parse(readFileSync(join(A.mspHome, "config.json"), "utf8"));
  expect(config.summarizer).toEqual({ tool: "claude", model: "haiku", dailyTokenCap: 100_000, command: "claude" });
  expect(config.memory).toEqual({ summaries: "model" });
  expect(JSON.parse(readFileSync(join(B.mspHome, "config.json"), "utf8")).summarizer).toBeUndefined();
  const status = ok(await msp(A, ["status"], { cwd: repoA }));
  expect(status.stdout).toContain("Summary  claude -p --model haiku: 0 of 100000 tokens today");
});

test("after SessionEnd the stand-in claude writes the model summary from the redacted transcript; it is stored beside the deterministic one", async () => {
  const dir = join(A.home, ".claude", "projects", "-work-summaries");
  mkdirSync(dir, { recursive: true });
  const transcriptPath = join(dir, `${sessionId}.jsonl`);
  // The project's own session, and a prompt with a password in it that must reach neither the model nor the platform.
  const secretPrompt = {
    type: "user",
    uuid: "00000000-0000-4000-8000-00000000ff01",
    sessionId,
    timestamp: "2026-11-20T09:30:00.000Z",
    cwd: repoA,
    message: { role: "user", content: `For the record, the db01 root login is mysql -u root -p${planted} and the portal is fine now.` },
  };
  writeFileSync(transcriptPath, `${readFileSync(syntheticTranscript().path, "utf8").trimEnd()}\n${JSON.stringify(secretPrompt)}\n`);
  const common = { session_id: sessionId, transcript_path: transcriptPath, cwd: repoA };
  expect(await claudeHook(A, "SessionStart", { ...common, source: "startup" })).toMatchObject({ code: 0 });
  const end = await claudeHook(A, "SessionEnd", { ...common, reason: "prompt_input_exit" });
  expect(end).toMatchObject({ code: 0, stdout: "" });

  // The sender delivers the transcript and queues the summary; the summarizer runs detached. Wait for both, then deliver.
  // (The summary may reach the spool while this sync finishes: it then counts as remaining, for the next one.)
  expect(jsonOf<Json>(await msp(A, ["sync", "--json"]))).toMatchObject({ failed: 0 });
  const summarized = jsonOf<Json>(ok(await msp(A, ["summarize", "--wait", "120", "--json"])));
  expect(summarized).toMatchObject({ stillRunning: 0, today: { tokens: 1234, summaries: 1 } });
  expect(jsonOf<Json>(ok(await msp(A, ["sync", "--json"])))).toMatchObject({ remaining: 0, failed: 0 });

  const calls = standInCalls(claudeDir);
  if (calls.length !== 1) throw new Error(`the stand-in ran ${calls.length} times; A's log:\n${readLog(A)}`);
  const [call] = calls;
  expect(call!.args.slice(0, 5)).toEqual(["-p", "--output-format", "json", "--model", "haiku"]);
  expect(call!.stdin).toContain("502 Bad Gateway");
  expect(call!.stdin).toContain("the portal is fine now");
  expect(call!.stdin).not.toContain(planted);
  expect(call!.summarizerEnv).toBe("1");

  const { json } = await platform.api(
    "GET",
    `/api/v1/conversationContexts?filter=${encodeURIComponent(`claude_session_id = "${sessionId}"`)}`,
  );
  const [context] = json.conversationContexts as Json[];
  expect(context.modelSummary).toContain(modelSummary);
  expect(context.modelSummary).not.toContain(planted);
  expect(context).toMatchObject({ modelSummaryModel: "claude-haiku-4-5-20251001", modelSummaryTokens: "1234" });
  // The deterministic summary is stored as always, and is not the model's.
  expect(context.denseSummary).toContain("502");
  expect(context.denseSummary).not.toContain("MODEL-SUMMARY-E2E");
  // Nothing msp keeps on A holds the secret, the summarizer's folder included.
  expect(allText(A.mspHome)).not.toContain(planted);
});

test("B recalls the session and shows the model summary in the item in full", async () => {
  const recalled = jsonOf<Json>(ok(await msp(B, ["recall", "--json"], { cwd: repoB })));
  const item = (recalled.items as Json[]).find((candidate) => candidate.kind === "context");
  if (!item) throw new Error(`B recalled no context:\n${JSON.stringify(recalled, null, 2)}`);
  const full = ok(await msp(B, ["recall", "--id", item.shortId], { cwd: repoB })).stdout;
  expect(full).toContain("Summary written by claude-haiku-4-5-20251001");
  expect(full).toContain("next step is the TLS renewal (MODEL-SUMMARY-E2E)");
  expect(full).not.toContain(planted);
});

test("the hooks of the summarizer's own Claude Code do nothing", async () => {
  const before = readdirSync(join(A.mspHome, "sessions")).length;
  // A technician's session here is followed (its state kept); the summarizer's is not.
  const run = await claudeHook(A, "SessionStart", {
    session_id: randomUUID(),
    transcript_path: "/none.jsonl",
    cwd: repoA,
    source: "startup",
  });
  expect(run.code).toBe(0);
  const guarded = { ...A, env: { ...A.env, MSP_SUMMARIZER_RUN: "1" } };
  const summarizerRun = await claudeHook(guarded, "SessionStart", {
    session_id: randomUUID(),
    transcript_path: "/none.jsonl",
    cwd: repoA,
    source: "startup",
  });
  expect(summarizerRun).toMatchObject({ code: 0, stdout: "" });
  expect(readdirSync(join(A.mspHome, "sessions")).length).toBe(before + 1);
});
