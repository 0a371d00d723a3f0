// The planted-secret test on the machine's side: a whole Claude session that holds every planted
// secret (as prompts, Bash commands, their output and the transcript), run while the platform is
// down, then `msp sync` once it is back. Every file under ~/.msp is scanned for each planted
// secret, as text and in base64, after the offline session and after the sync; so is every column
// of every table of the platform's database. Text marked <private> in a prompt must be nowhere either.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { plantedSecrets } from "@msp/redaction/src/testing";
import type { Json } from "@msp/testing";
import { dumpDatabase } from "@msp/testing";
import { buildBundles, claudeHook, createMachine, gitClone, jsonOf, msp, ok, removeMachine } from "./cli-harness";
import type { RestartablePlatform } from "./restartable-platform";
import { startRestartablePlatform } from "./restartable-platform";
import { withSlowness } from "@msp/testing";

jest.setTimeout(withSlowness(420_000));

const machine = createMachine("LAPTOP-P", "e2e-fingerprint-planted");
const remote = "https://github.com/acme/planted.git";
const sessionId = randomUUID();
const planted = plantedSecrets();
/** Marked <private> in a prompt, then used by Claude in a command: it must never leave the prompt. */
const privateText = { password: "Priv4te-Canary-71x", host: "10.77.66.55" };

let platform: RestartablePlatform;
let repo: string;

/** A Claude Code transcript record, as Claude Code writes it. */
function record(index: number, type: "user" | "assistant", message: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: "external",
    cwd: repo,
    sessionId,
    version: "2.0.0",
    gitBranch: "main",
    type,
    message,
    uuid: randomUUID(),
    timestamp: new Date(Date.parse("2026-11-20T09:00:00Z") + index * 60_000).toISOString(),
    ...extra,
  });
}

/** The session's transcript: each planted secret pasted in a prompt, run as a command, and printed by it. */
function transcript(): string {
  const lines: string[] = [];
  const prompt = `Log in to the NAS <private>as admin with ${privateText.password} at ${privateText.host}</private> and check the disks`;
  lines.push(record(lines.length, "user", { role: "user", content: prompt }));
  planted.forEach((secret, index) => {
    const id = `toolu_planted_${index}`;
    lines.push(record(lines.length, "user", { role: "user", content: `Use this on the server:\n${secret.line}` }));
    lines.push(
      record(lines.length, "assistant", {
        role: "assistant",
        content: [{ type: "tool_use", id, name: "Bash", input: { command: secret.line } }],
      }),
    );
    lines.push(
      record(
        lines.length,
        "user",
        { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: `done: ${secret.line}`, is_error: false }] },
        { toolUseResult: { stdout: `done: ${secret.line}`, stderr: "", interrupted: false, isImage: false } },
      ),
    );
  });
  lines.push(
    record(lines.length, "assistant", {
      role: "assistant",
      content: [{ type: "text", text: `Connecting to ${privateText.host} as admin with ${privateText.password}.` }],
    }),
  );
  return `${lines.join("\n")}\n`;
}

/** Every file under a folder, with its text. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [{ path, text: readFileSync(path, "utf8") }];
  });
}

/** Where a planted secret or the private text is found in `texts`, as text, JSON-escaped or base64. */
function leaksIn(texts: Array<{ path: string; text: string }>): string[] {
  const needles = [
    ...planted.map((secret) => ({ name: `${secret.kind} ${secret.secret.slice(0, 12)}...`, value: secret.secret })),
    { name: "the <private> password", value: privateText.password },
    { name: "the <private> host", value: privateText.host },
  ];
  return needles.flatMap(({ name, value }) =>
    texts.flatMap(({ path, text }) =>
      [value, JSON.stringify(value).slice(1, -1), Buffer.from(value, "utf8").toString("base64")]
        .filter((form) => text.includes(form))
        .map((form) => `${name} in ${path}${form === value ? "" : " (encoded)"}`),
    ),
  );
}

beforeAll(async () => {
  buildBundles();
  platform = await startRestartablePlatform();
  const client = await platform.api("POST", "/api/v1/clients", { name: "Planted Ltd", clientType: "CLIENT_TYPE_MSP_CLIENT" });
  expect(client.status).toBe(200);
  const project = await platform.api("POST", "/api/v1/projects", {
    clientId: client.json.id,
    name: "Planted",
    slug: "planted",
    repoUrl: remote,
  });
  expect(project.status).toBe(200);
  repo = gitClone(machine.home, "work/planted", remote);
  ok(
    await msp(machine, ["setup", "--server", platform.baseUrl, "--user", "admin", "--name", machine.name, "--json"], {
      cwd: repo,
      env: { MSP_PASSWORD: platform.adminPassword },
    }),
  );
});

afterAll(async () => {
  await platform?.dispose();
  await new Promise((resolve) => setTimeout(resolve, 500)); // a background sender may still be finishing
  removeMachine(machine);
});

test("an offline session spools only redacted records; after msp sync no planted secret is anywhere in ~/.msp", async () => {
  const dir = join(machine.home, ".claude", "projects", "-work-planted");
  mkdirSync(dir, { recursive: true });
  const transcriptPath = join(dir, `${sessionId}.jsonl`);
  writeFileSync(transcriptPath, transcript());
  const common = { session_id: sessionId, transcript_path: transcriptPath, cwd: repo };

  await platform.stop();
  expect((await claudeHook(machine, "SessionStart", { ...common, source: "startup" })).code).toBe(0);
  const prompt = `Log in to the NAS <private>as admin with ${privateText.password} at ${privateText.host}</private> and check the disks`;
  expect(await claudeHook(machine, "UserPromptSubmit", { ...common, prompt })).toMatchObject({ code: 0, stdout: "" });
  const tools = planted.map((secret, index) => ({
    tool_name: "Bash",
    tool_use_id: `toolu_planted_${index}`,
    tool_input: { command: secret.line },
    // Half succeed and print the secret, half fail and print it in the error.
    tool_response:
      index % 2 === 0 ? { stdout: `done: ${secret.line}`, stderr: "" } : `Error: Exit code 1\nauthentication failed for ${secret.line}`,
  }));
  tools.push({
    tool_name: "Bash",
    tool_use_id: "toolu_private",
    tool_input: { command: `ssh admin@${privateText.host} 'echo ${privateText.password} | sudo -S df -h'` },
    tool_response: { stdout: `Filesystem on ${privateText.host}`, stderr: "" },
  });
  for (const tool of tools) expect(await claudeHook(machine, "PostToolUse", { ...common, ...tool })).toMatchObject({ code: 0, stdout: "" });
  expect((await claudeHook(machine, "Stop", common)).code).toBe(0);
  expect((await claudeHook(machine, "SessionEnd", { ...common, reason: "prompt_input_exit" })).code).toBe(0);

  const offline = filesUnder(machine.mspHome);
  expect(offline.some((file) => file.path.includes("spool"))).toBe(true);
  expect(leaksIn(offline)).toEqual([]);

  await platform.start();
  const synced = jsonOf<Json>(ok(await msp(machine, ["sync", "--json"])));
  expect(synced).toMatchObject({ remaining: 0 });
  expect(synced.delivered).toBeGreaterThanOrEqual(tools.length);

  const after = filesUnder(machine.mspHome);
  expect(leaksIn(after)).toEqual([]);
  // What was delivered is gone from the spool; only the journal of ids (and any refusal) remains.
  expect(readdirSync(join(machine.mspHome, "spool")).filter((file) => /^(?:batch-|events\.jsonl)/.test(file))).toEqual([]);

  // The platform's work records were sent redacted too.
  const sessions = await platform.api(
    "GET",
    `/api/v1/sessions?pageSize=10&filter=${encodeURIComponent(`external_session_id = "${sessionId}"`)}`,
  );
  expect(sessions.status).toBe(200);
  const session = (sessions.json.sessions as Json[])[0];
  expect(session).toBeDefined();
  const commands = await platform.api("GET", `/api/v1/commands?pageSize=500&filter=${encodeURIComponent(`session_id = "${session.id}"`)}`);
  expect(commands.status).toBe(200);
  expect(commands.json.commandRuns.length).toBe(tools.length);
  expect(leaksIn([{ path: "the platform's work records", text: JSON.stringify([session, commands.json]) }])).toEqual([]);
  // Nor anything else the platform stored: every column of every table.
  const { values } = await dumpDatabase(platform.database);
  expect(values.some((value) => value.where === "commands_run.command_text")).toBe(true);
  expect(leaksIn(values.map((value) => ({ path: value.where, text: value.text })))).toEqual([]);

  // And uninstalling with --purge leaves nothing of msp on the machine.
  ok(await msp(machine, ["setup", "--uninstall", "--purge", "--json"]));
  expect(existsSync(machine.mspHome)).toBe(false);
});
