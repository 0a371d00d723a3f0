// Issue 15, item 6: Claude's memory knows the client's hosts. The whole platform as processes, a
// machine as a HOME folder set up with `msp setup`, a folder (a clone) of a project of a client,
// assets documented in the infra service through REST; the hooks run as Claude Code runs them.
// A prompt naming a host of the folder's client (by name or by IP address) injects that host's
// facts: OS, shell, limitations, services and known failures; a prompt naming none injects no host
// line, and a host of another client is never injected, even one with the same name.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Json, PlatformStack } from "./platform-stack";
import { startPlatform } from "./platform-stack";
import { withSlowness } from "@msp/testing";

jest.setTimeout(withSlowness(180_000));

// The CLI as Claude Code and a technician run it: the bundle `npm install` builds, as processes
// (apps may not import each other's code, so this is a small copy of apps/cli's e2e harness).
const cliRoot = resolve(__dirname, "..", "..", "cli");

function buildBundles(): void {
  const result = spawnSync(process.execPath, [join(cliRoot, "build.mjs"), "--strict"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`bundling msp failed:\n${result.stdout}\n${result.stderr}`);
}

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; input?: string }): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    // "exit", not "close": a hook's detached background sender may keep inherited pipes open.
    child.on("exit", (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

interface TestMachine {
  name: string;
  root: string;
  home: string;
  mspHome: string;
  env: NodeJS.ProcessEnv;
}

function createMachine(name: string, fingerprint: string): TestMachine {
  const root = mkdtempSync(join(tmpdir(), "msp-e2e-infra-"));
  const home = join(root, "home");
  mkdirSync(join(home, ".claude"), { recursive: true });
  const env = { PATH: process.env["PATH"], HOME: home, LANG: "C.UTF-8", MSP_MACHINE_FINGERPRINT: fingerprint };
  return { name, root, home, mspHome: join(home, ".msp"), env };
}

/** `msp <args>` on the machine. */
function msp(on: TestMachine, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ProcessResult> {
  return run(process.execPath, [join(cliRoot, "bin", "msp.js"), ...args], { env: { ...on.env, ...options.env }, cwd: options.cwd });
}

/** Runs a hook as Claude Code does: the command `msp setup` wrote into settings.json, through sh, Claude's JSON on stdin. */
function claudeHook(on: TestMachine, eventName: string, payload: Record<string, unknown> & { cwd: string }): Promise<ProcessResult> {
  const settings = JSON.parse(readFileSync(join(on.home, ".claude", "settings.json"), "utf8")) as {
    hooks?: Record<string, Array<{ hooks?: Array<{ command?: string }> }>>;
  };
  const command = settings.hooks?.[eventName]
    ?.flatMap((group) => group.hooks ?? [])
    .find((hook) => / hook /.test(hook.command ?? ""))?.command;
  if (!command) throw new Error(`no msp hook for ${eventName} in ${on.home}/.claude/settings.json`);
  return run("/bin/sh", ["-c", command], {
    env: on.env,
    cwd: payload.cwd,
    input: JSON.stringify({ hook_event_name: eventName, ...payload }),
  });
}

/** A clone: a git work tree whose origin is `remote`. */
function gitClone(parent: string, folder: string, remote: string): string {
  const dir = join(parent, folder);
  mkdirSync(dir, { recursive: true });
  for (const args of [
    ["init", "-q"],
    ["remote", "add", "origin", remote],
  ]) {
    const result = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  }
  return dir;
}

function ok(result: ProcessResult): ProcessResult {
  if (result.code !== 0) throw new Error(`exit ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

function jsonOf<T = Json>(result: ProcessResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

const machine = createMachine("LAPTOP-INFRA", "e2e-fingerprint-infra-memory");
const remote = "https://github.com/contoso/it-ops.git";
let platform: PlatformStack;
let token: string;
let repo: string;
const ids: Record<string, string> = {};

const api = async (method: string, path: string, body?: unknown): Promise<Json> => {
  const { status, json } = await platform.api(method, path, { token, ...(body === undefined ? {} : { body }) });
  if (status !== 200) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(json)}`);
  return json;
};

/** The machine's ~/.msp/log, for failure messages. */
function readLog(on: TestMachine): string {
  const path = join(on.mspHome, "log");
  return existsSync(path) ? readFileSync(path, "utf8") : "(no log)";
}

/** A Claude session in the clone: SessionStart first (it learns the names of the client's hosts), then prompts. */
async function session(): Promise<{ start: string; prompt: (text: string) => Promise<string> }> {
  const sessionId = randomUUID();
  const common = { session_id: sessionId, transcript_path: join(machine.home, "none.jsonl"), cwd: repo };
  const start = await claudeHook(machine, "SessionStart", { ...common, source: "startup" });
  expect(start.code).toBe(0);
  return {
    start: start.stdout,
    prompt: async (text) => {
      const result = await claudeHook(machine, "UserPromptSubmit", { ...common, prompt: text });
      expect(result.code).toBe(0);
      return result.stdout;
    },
  };
}

/** The host lines of an injected text. */
const hostLines = (text: string) => text.split("\n").filter((line) => line.startsWith("- [host "));

beforeAll(async () => {
  buildBundles();
  platform = await startPlatform();
  token = await platform.login();
  ids["client"] = (await api("POST", "/api/v1/clients", { name: "Contoso Dental", clientType: "CLIENT_TYPE_MSP_CLIENT" })).id;
  ids["other"] = (await api("POST", "/api/v1/clients", { name: "Fabrikam Legal", clientType: "CLIENT_TYPE_MSP_CLIENT" })).id;
  ids["project"] = (
    await api("POST", "/api/v1/projects", { clientId: ids["client"], name: "IT operations", slug: "contoso-it", repoUrl: remote })
  ).id;

  const dc01 = await api("POST", "/api/v1/assets", {
    clientId: ids["client"],
    hostname: "dc01",
    ipAddress: "10.0.0.10",
    assetType: "ASSET_TYPE_VIRTUAL_MACHINE",
    os: "Windows Server",
    osVersion: "2016",
    role: "domain controller",
    shellType: "powershell 5.1",
    packageManager: "choco",
    limitations: ["PowerShell 2.0 only"],
    aliases: ["ad-main"],
  });
  ids["dc01"] = dc01.id;
  await api("POST", "/api/v1/services", { infrastructureId: dc01.id, name: "AD DS" });
  // A failure learned on dc01: its fix is part of the host's line.
  await api("POST", "/api/v1/operationFailures", {
    clientId: ids["client"],
    infrastructureId: dc01.id,
    operationType: "OPERATION_TYPE_COMMAND",
    targetSystem: "dc01",
    command: "Install-Module PSWindowsUpdate",
    errorMessage: "Install-Module: Unable to resolve package source 'https://www.powershellgallery.com/api/v2'",
    description: "PSGallery unreachable from dc01",
    resolution: "copy the module from \\\\fs01\\modules",
  });
  // The other client's hosts: one with the same name, one of its own.
  await api("POST", "/api/v1/assets", {
    clientId: ids["other"],
    hostname: "dc01",
    ipAddress: "10.1.0.10",
    assetType: "ASSET_TYPE_PHYSICAL_SERVER",
    os: "Debian",
    osVersion: "12",
    shellType: "bash",
    limitations: ["Fabrikam secret limitation"],
  });
  await api("POST", "/api/v1/assets", {
    clientId: ids["other"],
    hostname: "fs09",
    ipAddress: "10.1.0.99",
    assetType: "ASSET_TYPE_NAS",
    os: "TrueNAS",
  });

  repo = gitClone(machine.home, "work/it-ops", remote);
  const setup = await msp(machine, ["setup", "--server", platform.baseUrl, "--user", "admin", "--name", machine.name, "--json"], {
    cwd: repo,
    env: { MSP_PASSWORD: platform.adminPassword },
  });
  expect(jsonOf<Json>(ok(setup)).recall.scope).toContain("project IT operations");
}, withSlowness(180_000));

afterAll(async () => {
  await platform?.stop();
  // Background senders the hooks started may still be finishing: give them a moment before the folder goes.
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(machine.root, { recursive: true, force: true });
}, 60_000);

test("a prompt naming a host of the folder's client injects the host's facts, once per session", async () => {
  const claude = await session();
  expect(hostLines(claude.start)).toEqual([]); // the folder names no host

  const byName = await claude.prompt("Can you check why replication fails on DC01?");
  const lines = hostLines(byName);
  if (lines.length === 0) throw new Error(`no host line for dc01:\n${byName}\nlog:\n${readLog(machine)}`);
  expect(lines).toHaveLength(1);
  const [line] = lines as [string];
  expect(line).toMatch(/^- \[host dc01 10\.0\.0\.10\] /);
  for (const fact of [
    "Windows Server 2016",
    "domain controller",
    "shell powershell 5.1",
    "pkg choco",
    "PowerShell 2.0 only",
    "AD DS (running)",
  ])
    expect(line).toContain(fact);
  expect(line).toContain("known failures: PSGallery unreachable from dc01 -> fix: copy the module from \\\\fs01\\modules");
  expect(line.length).toBeLessThanOrEqual(400);
  expect(byName.length).toBeLessThanOrEqual(2_500);
  // Never the other client's dc01.
  expect(byName).not.toMatch(/Debian|Fabrikam|10\.1\.0\.10/);

  // The same host again in this session: already in Claude's context, not injected twice.
  expect(hostLines(await claude.prompt("and is 10.0.0.10 reachable from the VPN?"))).toEqual([]);
});

test("a prompt naming the host by its IP address, or its alias, injects the same facts", async () => {
  const byIp = await (await session()).prompt("ping 10.0.0.10 times out since this morning");
  expect(hostLines(byIp)).toHaveLength(1);
  expect(hostLines(byIp)[0]).toMatch(/^- \[host dc01 10\.0\.0\.10\] Windows Server 2016.*PowerShell 2\.0 only/);

  const byAlias = await (await session()).prompt("restart the netlogon service on ad-main");
  expect(hostLines(byAlias)).toHaveLength(1);
  expect(hostLines(byAlias)[0]).toMatch(/^- \[host dc01 10\.0\.0\.10 aka ad-main\] Windows Server 2016/);
});

test("a prompt naming no host, or only another client's host, injects no host line", async () => {
  const claude = await session();
  expect(await claude.prompt("please tidy up the readme")).toBe("");
  const other = await claude.prompt("the share on fs09 (10.1.0.99) is full");
  expect(hostLines(other)).toEqual([]);
  expect(other).not.toMatch(/TrueNAS|fs09 10\.1/);
});

test("msp recall HOST shows the same line; another client's host is not found from this folder", async () => {
  const shown = ok(await msp(machine, ["recall", "dc01"], { cwd: repo })).stdout;
  const lines = hostLines(shown);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^- \[host dc01 10\.0\.0\.10\] Windows Server 2016, domain controller; shell powershell 5\.1/);
  expect(lines[0]).toContain("AD DS (running)");
  expect(shown).not.toContain("Debian");

  const json = jsonOf<Json>(ok(await msp(machine, ["recall", "10.0.0.10", "--json"], { cwd: repo })));
  expect(json.items[0]).toMatchObject({ kind: "host", id: ids["dc01"], title: "dc01" });

  const otherHost = ok(await msp(machine, ["recall", "fs09", "10.1.0.99"], { cwd: repo })).stdout;
  expect(hostLines(otherHost)).toEqual([]);
  expect(otherHost).not.toContain("TrueNAS");
});
