// The end-to-end test: the whole platform as processes, two machines as two HOME folders
// with different fingerprints, `msp setup` on each, and the hooks driven with the JSON Claude
// Code sends, through the commands setup wrote into each machine's ~/.claude/settings.json.
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { factKept } from "@msp/transcript";
import type { Json } from "@msp/testing";
import type { TestMachine } from "./cli-harness";
import { buildBundles, claudeHook, createMachine, gitClone, jsonOf, msp, ok, removeMachine } from "./cli-harness";
import type { RestartablePlatform } from "./restartable-platform";
import { startRestartablePlatform } from "./restartable-platform";
import { sessionTranscript, syntheticTranscript } from "./session-transcripts";
import { withSlowness } from "@msp/testing";

jest.setTimeout(withSlowness(240_000));

const A = createMachine("LAPTOP-A", "e2e-fingerprint-machine-a");
const B = createMachine("DESKTOP-B", "e2e-fingerprint-machine-b", true);
const remoteA = "https://github.com/acme/portal.git";
const remoteB = "git@github.com:Acme/portal"; // the same repository, written another way
const secret = "S3cret-Passw0rd-e2e";
/** What the user had in A's settings.json before msp: their own hooks on two of msp's events, and more. */
const userSettings = {
  model: "opus",
  permissions: { allow: ["Bash(git status)"] },
  hooks: {
    PostToolUse: [{ matcher: "Write", hooks: [{ type: "command", command: 'prettier --write "$CLAUDE_FILE"', timeout: 20 }] }],
    Stop: [{ hooks: [{ type: "command", command: "notify-send 'Claude is done'" }] }],
  },
};
const userSettingsText = `${JSON.stringify(userSettings, null, 4)}\n`;

let platform: RestartablePlatform;
let clientId: string;
let projectId: string;
let repoA: string;
let repoB: string;
const sessionA1 = randomUUID();
const sessionA2 = randomUUID();
const sessionB1 = randomUUID();
const machineIds: Record<string, string> = {};

/** A machine's ~/.msp/log, for failure messages. */
function readLog(machine: TestMachine): string {
  const path = join(machine.mspHome, "log");
  return existsSync(path) ? readFileSync(path, "utf8") : "(no log)";
}

/** Copies a transcript where Claude Code keeps them, so the hook reads a file of this machine. */
function placeTranscript(machine: TestMachine, sessionId: string, source: string): string {
  const dir = join(machine.home, ".claude", "projects", "-work-portal");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${sessionId}.jsonl`);
  copyFileSync(source, path);
  return path;
}

async function adminList(path: string, field: string, filter: string): Promise<Json[]> {
  const { status, json } = await platform.api("GET", `${path}?pageSize=500&filter=${encodeURIComponent(filter)}`);
  expect(status).toBe(200);
  return (json[field] ?? []) as Json[];
}

beforeAll(async () => {
  buildBundles();
  platform = await startRestartablePlatform();
  const client = await platform.api("POST", "/api/v1/clients", {
    name: "Acme Dental",
    clientType: "CLIENT_TYPE_MSP_CLIENT",
    defaultHourlyRate: "120",
  });
  expect(client.status).toBe(200);
  clientId = client.json.id;
  const project = await platform.api("POST", "/api/v1/projects", {
    clientId,
    name: "Patient portal",
    slug: "acme-portal",
    repoUrl: remoteA,
  });
  expect(project.status).toBe(200);
  projectId = project.json.id;
  writeFileSync(join(A.home, ".claude", "settings.json"), userSettingsText);
  repoA = gitClone(A.home, "work/portal", remoteA);
  repoB = gitClone(B.home, "src/portal-clone", remoteB);
});

afterAll(async () => {
  await platform?.dispose();
  // Background senders the hooks started may still be finishing: give them a moment before the folders go.
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const machine of [A, B]) removeMachine(machine);
});

test("setup on each machine registers it, stores a scoped key in a 0600 config and merges the hooks", async () => {
  for (const [machine, cwd] of [
    [A, repoA],
    [B, repoB],
  ] as const) {
    // B is given the REST URL `npm start` prints: the /api/v1 is dropped.
    const server = machine === B ? `${platform.baseUrl}/api/v1` : platform.baseUrl;
    const result = await msp(machine, ["setup", "--server", server, "--user", "admin", "--name", machine.name, "--json"], {
      cwd,
      env: { MSP_PASSWORD: platform.adminPassword },
    });
    const out = jsonOf<Json>(ok(result));
    expect(result.stderr).toBe("");
    expect(out.machine).toMatchObject({ name: machine.name, created: true });
    machineIds[machine.name] = out.machine.id;
    const configPath = join(machine.mspHome, "config.json");
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    const config = JSON.parse(readFileSync(configPath, "utf8"));
    expect(config).toMatchObject({
      server: platform.baseUrl,
      machineId: out.machine.id,
      machineName: machine.name,
      apiKey: expect.stringMatching(/^msp_/),
    });
    const key = await platform.api("GET", `/api/v1/apiKeys/${out.apiKeyId}`);
    expect(key.json).toMatchObject({
      name: `msp hooks on ${machine.name}`,
      machineId: out.machine.id,
      scopes: ["work:write", "context:write", "infra:read"],
    });
    expect(out.recall.scope).toContain("project Patient portal, client Acme Dental");
  }
  expect(machineIds[A.name]).not.toBe(machineIds[B.name]);

  // A's own hooks and settings are kept, the original is backed up, msp's six hooks are in.
  const settingsA = JSON.parse(readFileSync(join(A.home, ".claude", "settings.json"), "utf8"));
  expect(settingsA.model).toBe("opus");
  expect(settingsA.permissions).toEqual(userSettings.permissions);
  expect(settingsA.hooks.PostToolUse[0]).toEqual(userSettings.hooks.PostToolUse[0]);
  expect(settingsA.hooks.Stop[0]).toEqual(userSettings.hooks.Stop[0]);
  expect(Object.keys(settingsA.hooks).sort()).toEqual([
    "PostToolUse",
    "PreCompact",
    "SessionEnd",
    "SessionStart",
    "Stop",
    "UserPromptSubmit",
  ]);
  expect(readFileSync(join(A.home, ".claude", "settings.json.msp-backup"), "utf8")).toBe(userSettingsText);
  // B keeps its config outside HOME: its hook commands name that folder.
  const settingsB = JSON.parse(readFileSync(join(B.home, ".claude", "settings.json"), "utf8"));
  expect(settingsB.hooks.SessionStart[0].hooks[0].command).toContain(`--home "${B.mspHome}"`);

  // Setup again: the same machine, the same settings, the first backup kept.
  const before = readFileSync(join(A.home, ".claude", "settings.json"), "utf8");
  const again = await msp(A, ["setup", "--server", platform.baseUrl, "--user", "admin", "--name", A.name, "--json"], {
    cwd: repoA,
    env: { MSP_PASSWORD: platform.adminPassword },
  });
  expect(jsonOf<Json>(ok(again)).machine).toMatchObject({ id: machineIds[A.name], created: false });
  expect(jsonOf<Json>(again).revokedKeyId).toBeDefined(); // the first key was replaced and revoked
  expect(readFileSync(join(A.home, ".claude", "settings.json"), "utf8")).toBe(before);
  expect(readFileSync(join(A.home, ".claude", "settings.json.msp-backup"), "utf8")).toBe(userSettingsText);
});

test("machine A works on the project and stops; B's SessionStart in another clone recalls it, marked as from machine A", async () => {
  const transcript = sessionTranscript("livecd-gen-modules");
  const transcriptPath = placeTranscript(A, sessionA1, transcript.path);
  const common = { session_id: sessionA1, transcript_path: transcriptPath, cwd: repoA };

  const start = await claudeHook(A, "SessionStart", { ...common, source: "startup" });
  expect(start.code).toBe(0);

  writeFileSync(join(repoA, "nginx.conf"), "server { listen 80; }\n");
  const tools = [
    {
      tool_name: "Bash",
      tool_use_id: "toolu_e2e_1",
      tool_input: { command: `mysql -u root -p${secret} -e 'show databases'`, description: "list databases" },
      tool_response: { stdout: "Database\ninformation_schema\nportal", stderr: "", interrupted: false, isImage: false },
    },
    {
      tool_name: "Bash",
      tool_use_id: "toolu_e2e_2",
      tool_input: { command: "docker compose up -d portal" },
      tool_response: "Error: Exit code 1\nno configuration file provided: not found",
    },
    {
      tool_name: "Edit",
      tool_use_id: "toolu_e2e_3",
      tool_input: { file_path: join(repoA, "nginx.conf"), old_string: "listen 80;", new_string: "listen 80;\n  server_name portal;" },
      tool_response: { filePath: join(repoA, "nginx.conf") },
    },
    {
      tool_name: "Write",
      tool_use_id: "toolu_e2e_4",
      tool_input: { file_path: join(repoA, "RUNBOOK.md"), content: "# Runbook\n" },
      tool_response: { type: "create", filePath: join(repoA, "RUNBOOK.md") },
    },
  ];
  for (const tool of tools) {
    const result = await claudeHook(A, "PostToolUse", { ...common, ...tool });
    expect(result).toMatchObject({ code: 0, stdout: "" });
  }

  const stop = await claudeHook(A, "Stop", { ...common, stop_hook_active: false });
  expect(stop).toMatchObject({ code: 0, stdout: "" });
  // The upload runs in a detached sender; `msp sync` waits for it and delivers what is left.
  expect(jsonOf<Json>(await msp(A, ["sync", "--json"]))).toMatchObject({ remaining: 0 });
  // Time is recorded from the first Stop on: a session that never gets its SessionEnd (the work
  // service closes it when idle) keeps the time worked. SessionEnd updates the same entry.
  const [open] = await adminList("/api/v1/sessions", "sessions", `external_session_id = "${sessionA1}"`);
  expect(await adminList("/api/v1/billableTime", "billableTime", `session_id = "${open.id}"`)).toMatchObject([
    { source: "BILLABLE_TIME_SOURCE_CLAUDE_CODE_SESSION", reviewStatus: "BILLABLE_TIME_REVIEW_STATUS_PENDING" },
  ]);
  const end = await claudeHook(A, "SessionEnd", { ...common, reason: "prompt_input_exit" });
  expect(end).toMatchObject({ code: 0, stdout: "" });
  const synced = await msp(A, ["sync", "--json"]);
  expect(jsonOf<Json>(synced)).toMatchObject({ remaining: 0, failed: 0 });

  const startB = { session_id: sessionB1, transcript_path: join(B.home, "none.jsonl"), cwd: repoB, source: "startup" };
  let recalled = await claudeHook(B, "SessionStart", startB);
  expect(recalled.code).toBe(0);
  if (recalled.stdout === "" && /no answer within|budget/.test(readLog(B))) {
    // On an overloaded machine the platform can miss the 2 s budget, and the hook then rightly prints nothing.
    console.warn(`B's SessionStart ran out of its budget (${Math.round(recalled.ms)} ms); trying once more:\n${readLog(B)}`);
    recalled = await claudeHook(B, "SessionStart", { ...startB, source: "resume" });
  }
  const text = recalled.stdout;
  if (text === "") throw new Error(`B's SessionStart printed nothing; its log:\n${readLog(B)}`);
  expect(text.length).toBeLessThanOrEqual(8_000 + 1);
  expect(text).toContain(A.name);
  const missed = transcript.facts.facts.filter((fact) => !factKept(fact, text)).map((fact) => fact.fact);
  if (missed.length > 0)
    console.warn(`facts of ${transcript.facts.transcript} not in B's SessionStart:\n- ${missed.join("\n- ")}\n${text}`);
  expect(missed.length / transcript.facts.facts.length).toBeLessThanOrEqual(0.25);

  // A prompt that names the client and pastes an error gets a targeted recall that repeats nothing
  // SessionStart injected; an ordinary prompt gets nothing.
  const shortIds = (output: string) => [...output.matchAll(/\[[a-z_]+ ([a-z0-9]{8}) /g)].map((match) => match[1]);
  const injected = new Set(shortIds(text));
  expect(injected.size).toBeGreaterThan(0);
  const prompt = { session_id: sessionB1, transcript_path: startB.transcript_path, cwd: repoB };
  const targeted = await claudeHook(B, "UserPromptSubmit", {
    ...prompt,
    prompt: "Acme Dental: the build failed again with an unbound variable error",
  });
  expect(targeted.code).toBe(0);
  for (const id of shortIds(targeted.stdout)) expect(injected.has(id)).toBe(false);
  expect(await claudeHook(B, "UserPromptSubmit", { ...prompt, prompt: "please tidy up the readme" })).toMatchObject({
    code: 0,
    stdout: "",
  });
});

test("the work service has A's session with its commands, file changes, work items, duration and billable time", async () => {
  const sessions = await adminList(
    "/api/v1/sessions",
    "sessions",
    `machine_id = "${machineIds[A.name]}" AND external_session_id = "${sessionA1}"`,
  );
  expect(sessions).toHaveLength(1);
  const session = sessions[0];
  expect(session).toMatchObject({ projectId, clientId, status: "SESSION_STATUS_COMPLETED", technician: "admin" });
  expect(session.durationMinutes).toBeGreaterThan(0);
  expect(session.billableMinutes).toBeGreaterThan(0);

  const commands = await adminList("/api/v1/commands", "commandRuns", `session_id = "${session.id}"`);
  expect(commands).toHaveLength(2);
  const mysql = commands.find((command) => String(command.commandText).startsWith("mysql"));
  expect(mysql.commandText).not.toContain(secret);
  expect(mysql.commandText).toContain("[REDACTED");
  expect(mysql).toMatchObject({ success: true, shellType: "bash" });
  expect(commands.find((command) => String(command.commandText).startsWith("docker"))).toMatchObject({ exitCode: 1, success: false });

  const files = await adminList("/api/v1/fileChanges", "fileChanges", `session_id = "${session.id}"`);
  expect(files.map((file) => [file.filePath, file.changeType]).sort()).toEqual([
    [join(repoA, "RUNBOOK.md"), "FILE_CHANGE_TYPE_CREATED"],
    [join(repoA, "nginx.conf"), "FILE_CHANGE_TYPE_MODIFIED"],
  ]);

  const items = await adminList("/api/v1/workItems", "workItems", `session_id = "${session.id}"`);
  expect(items.length).toBeGreaterThanOrEqual(1);
  for (const item of items)
    expect(item).toMatchObject({
      category: expect.stringMatching(/^WORK_ITEM_CATEGORY_/),
      categorySource: "WORK_ITEM_CATEGORY_SOURCE_GUESSED",
    });

  // Recorded after the fact, with the transcript's times of the work: never completed before it started.
  for (const item of items.filter((i) => i.status === "WORK_ITEM_STATUS_COMPLETED")) {
    expect(Date.parse(item.completedAt)).toBeGreaterThanOrEqual(Date.parse(item.startedAt));
  }
  const main = items.find((i) => i.position === 1);
  expect(main.actualMinutes).toBeGreaterThan(0);

  const time = await adminList("/api/v1/billableTime", "billableTime", `session_id = "${session.id}"`);
  expect(time).toHaveLength(1);
  // Automatic time waits for a technician's review, on the session's main work item.
  expect(time[0]).toMatchObject({
    clientId,
    isBillable: true,
    workItemId: main.id,
    source: "BILLABLE_TIME_SOURCE_CLAUDE_CODE_SESSION",
    reviewStatus: "BILLABLE_TIME_REVIEW_STATUS_PENDING",
  });
  expect(time[0].durationMinutes).toBeGreaterThan(0);
  expect(time[0].roundedMinutes).toBeGreaterThanOrEqual(15);
});

test("the platform is down while A's Stop runs: the hook answers at once, and after the restart sync delivers it exactly once", async () => {
  const transcriptPath = placeTranscript(A, sessionA2, syntheticTranscript().path);
  const common = { session_id: sessionA2, transcript_path: transcriptPath, cwd: repoA };
  expect((await claudeHook(A, "SessionStart", { ...common, source: "startup" })).code).toBe(0);

  await platform.stop();
  const command = {
    tool_name: "Bash",
    tool_use_id: "toolu_e2e_down",
    tool_input: { command: "systemctl restart portal-api" },
    tool_response: { stdout: "", stderr: "" },
  };
  const tool = await claudeHook(A, "PostToolUse", { ...common, ...command });
  expect(tool).toMatchObject({ code: 0, stdout: "" });
  const stop = await claudeHook(A, "Stop", common);
  expect(stop).toMatchObject({ code: 0, stdout: "" });
  expect(stop.ms).toBeLessThan(withSlowness(2_000)); // whole process on a loaded CI machine; BENCHMARKS.md has the p95

  const status = await msp(A, ["status", "--json"], { cwd: repoA });
  expect(status.code).toBe(1);
  const down = jsonOf<Json>(status);
  expect(down.server.reachable).toBe(false);
  expect(down.spool.pending).toBeGreaterThanOrEqual(2);
  expect(down.folder).toMatchObject({ projectId, repository: "github.com/acme/portal" });

  await platform.start();
  const synced = ok(await msp(A, ["sync", "--json"]));
  expect(jsonOf<Json>(synced)).toMatchObject({ remaining: 0, failed: 0 });
  expect(jsonOf<Json>(synced).delivered).toBeGreaterThanOrEqual(2);

  const contexts = () => adminList("/api/v1/conversationContexts", "conversationContexts", `claude_session_id = "${sessionA2}"`);
  expect(await contexts()).toHaveLength(1);
  // Again: nothing left to send, and a repeated Stop on the same transcript stores nothing twice.
  expect(jsonOf<Json>(await msp(A, ["sync", "--json"]))).toMatchObject({ delivered: 0, remaining: 0 });
  expect((await claudeHook(A, "Stop", common)).code).toBe(0);
  expect((await claudeHook(A, "SessionEnd", { ...common, reason: "logout" })).code).toBe(0);
  expect(jsonOf<Json>(await msp(A, ["sync", "--json"]))).toMatchObject({ remaining: 0, failed: 0 });
  expect(await contexts()).toHaveLength(1);
  // The outage is over: status says how things are now, and names the outage as past.
  const up = await msp(A, ["status", "--json"], { cwd: repoA });
  expect(up.code).toBe(0);
  expect(jsonOf<Json>(up)).toMatchObject({ server: { reachable: true }, spool: { pending: 0 } });
  expect(JSON.stringify(jsonOf<Json>(up).recentErrors)).not.toMatch(/unreachable|ECONNREFUSED/i);
  const sessions = await adminList(
    "/api/v1/sessions",
    "sessions",
    `machine_id = "${machineIds[A.name]}" AND external_session_id = "${sessionA2}"`,
  );
  expect(sessions).toHaveLength(1);
  const commands = await adminList("/api/v1/commands", "commandRuns", `session_id = "${sessions[0].id}"`);
  expect(commands.map((row) => row.commandText)).toEqual(["systemctl restart portal-api"]);
});

test("uninstall removes exactly what setup added, and each user's settings are as they were", async () => {
  const a = ok(await msp(A, ["setup", "--uninstall", "--json"]));
  expect(jsonOf<Json>(a).settings).toMatchObject({ removedHooks: 6, removedFile: false });
  expect(readFileSync(join(A.home, ".claude", "settings.json"), "utf8")).toBe(userSettingsText); // byte for byte
  expect(existsSync(join(A.mspHome, "config.json"))).toBe(false);

  const b = ok(await msp(B, ["setup", "--uninstall", "--json"]));
  expect(jsonOf<Json>(b).settings).toMatchObject({ removedHooks: 6, removedFile: true }); // B had no settings.json before
  expect(existsSync(join(B.home, ".claude", "settings.json"))).toBe(false);
});
