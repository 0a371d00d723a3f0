/* eslint-disable @typescript-eslint/no-require-imports -- node:os loads only here, in the build, never in a hook */
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { redactLazily } from "../local/lazy-redact";
import type { MspPaths } from "../local/msp-home";
import { mspPaths } from "../local/msp-home";
import { markUnreachable } from "../local/reachability";
import type { HookEvent } from "./hook-input";
import { runHook } from "./run-hook";

/**
 * Texts that hold the keywords of many redaction rules, so their code (the checks that accept or
 * veto a match) runs once here. Made up: no real secret.
 */
const warmupTexts = [
  "mysql -u root -pWarmUp2024 db; export API_TOKEN=warmup0123456789abcdef; PGPASSWORD=warm psql",
  'curl -u admin:warm -H "Authorization: Bearer warmup0123456789" https://user:warm@example.invalid/path',
  "echo 'admin:Warm2024' | chpasswd; htpasswd -bn admin Warm2024; password: Warm2024",
  "kind: Secret\ndata:\n  password: d2FybXVw\n",
];

/**
 * Runs every hook once the way it runs with the platform down, and redacts a few texts. The build
 * calls it after the bundle's top level and before it writes V8's code cache: V8 keeps in the
 * cache every function compiled so far, so a hook then starts with its own functions (and the
 * redactor's) already compiled instead of compiling them from source in every process.
 */
export async function warmUpForCodeCache(): Promise<void> {
  const scratch = join((require("node:os") as typeof import("node:os")).tmpdir(), `msp-code-cache-${process.pid}-${Date.now()}`);
  try {
    await runEveryHookOnce(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Every hook event once, in a config folder and a project folder made under `scratch`, with the
 * platform's breaker set: nothing is sent and no sender is started; the events are spooled.
 */
export async function runEveryHookOnce(scratch: string): Promise<MspPaths> {
  const paths = mspPaths(join(scratch, "msp"));
  const cwd = join(scratch, "project");
  mkdirSync(cwd, { recursive: true });
  mkdirSync(paths.home, { recursive: true });
  const config = {
    server: "http://127.0.0.1:1",
    machineId: "warm-up",
    machineName: "WARM-UP",
    fingerprint: "warm-up",
    apiKey: "warm-up",
    setupAt: new Date().toISOString(),
  };
  writeFileSync(paths.config, JSON.stringify(config));
  markUnreachable(paths.cache);
  const transcriptPath = join(scratch, "transcript.jsonl");
  writeFileSync(transcriptPath, `${JSON.stringify({ type: "user", message: { role: "user", content: "warm up" } })}\n`);
  const base = { session_id: "warm-up", cwd, transcript_path: transcriptPath };
  const runs: Array<[HookEvent, Record<string, unknown>]> = [
    ["session-start", { source: "startup" }],
    ["user-prompt-submit", { prompt: "why does web-01.example.invalid fail with Error: ECONNREFUSED in utils.ts?" }],
    [
      "post-tool-use",
      {
        tool_name: "Bash",
        tool_use_id: "warm-up-1",
        tool_input: { command: warmupTexts[0] },
        tool_response: { stdout: warmupTexts[1], stderr: "", interrupted: false },
      },
    ],
    [
      "post-tool-use",
      {
        tool_name: "Edit",
        tool_use_id: "warm-up-2",
        tool_input: { file_path: join(cwd, "notes.txt"), old_string: "a", new_string: "b" },
        tool_response: {},
      },
    ],
    ["pre-compact", { trigger: "auto" }],
    ["stop", {}],
    ["session-end", { reason: "other" }],
  ];
  for (const [event, payload] of runs) {
    // A turn more before each, as Claude Code writes: a Stop with nothing new would spool nothing.
    appendFileSync(transcriptPath, `${JSON.stringify({ type: "assistant", message: { role: "assistant", content: event } })}\n`);
    await runHook(event, JSON.stringify({ ...base, ...payload }), paths, cwd);
  }
  for (const text of warmupTexts) redactLazily(text);
  return paths;
}
