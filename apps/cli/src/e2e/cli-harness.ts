// Runs `msp` as real processes for the end-to-end suites: one HOME (and config folder) per
// simulated machine, hooks run from that HOME's ~/.claude/settings.json through a shell exactly
// as Claude Code runs them, with Claude's JSON on stdin.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(__dirname, "..", "..", "..", "..");
export const cliRoot = join(repoRoot, "apps", "cli");
export const launcher = join(cliRoot, "bin", "msp.js");

/** Bundles apps/cli/dist from the current sources (what `npm install` does), so the processes run this code. */
export function buildBundles(): void {
  const result = spawnSync(process.execPath, [join(cliRoot, "build.mjs"), "--strict"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`bundling msp failed:\n${result.stdout}\n${result.stderr}`);
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command with stdin, and waits for it (and for its output) to end. */
export function run(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; input?: string },
): Promise<ProcessResult> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    // "exit", not "close": a hook's detached background sender may keep inherited pipes open.
    child.on("exit", (code) => done({ code, stdout, stderr, ms: performance.now() - started }));
    child.stdin.end(options.input ?? "");
  });
}

/** A simulated machine: its own HOME (and with `ownMspHome`, an MSP_HOME outside it), fingerprint and name. */
export interface TestMachine {
  name: string;
  /** The temporary folder holding everything of this machine (removed by removeMachine). */
  root: string;
  home: string;
  mspHome: string;
  env: NodeJS.ProcessEnv;
}

export function createMachine(name: string, fingerprint: string, ownMspHome = false): TestMachine {
  const root = mkdtempSync(join(tmpdir(), `msp-e2e-${name.toLowerCase()}-`));
  const home = join(root, "home");
  mkdirSync(join(home, ".claude"), { recursive: true });
  const mspHome = ownMspHome ? join(root, "msp-config") : join(home, ".msp");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"],
    HOME: home,
    LANG: "C.UTF-8",
    MSP_MACHINE_FINGERPRINT: fingerprint,
    ...(ownMspHome ? { MSP_HOME: mspHome } : {}),
  };
  return { name, root, home, mspHome, env };
}

/** Deletes a machine's temporary folder. */
export function removeMachine(machine: TestMachine): void {
  rmSync(machine.root, { recursive: true, force: true });
}

/** `msp <args>` on a machine. */
export function msp(
  machine: TestMachine,
  args: string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ProcessResult> {
  return run(process.execPath, [launcher, ...args], {
    env: { ...machine.env, ...options.env },
    cwd: options.cwd ?? machine.home,
    input: options.input ?? "",
  });
}

/** The hook command settings.json holds for a Claude event on this machine. */
export function hookCommand(machine: TestMachine, eventName: string): string {
  const settings = JSON.parse(readFileSync(join(machine.home, ".claude", "settings.json"), "utf8")) as {
    hooks?: Record<string, Array<{ hooks?: Array<{ command?: string }> }>>;
  };
  for (const group of settings.hooks?.[eventName] ?? []) {
    for (const hook of group.hooks ?? []) if (hook.command && / hook /.test(hook.command)) return hook.command;
  }
  throw new Error(`no msp hook for ${eventName} in ${machine.home}/.claude/settings.json`);
}

/** Runs a hook as Claude Code does: the settings.json command through sh, Claude's JSON on stdin, in the session's folder. */
export function claudeHook(
  machine: TestMachine,
  eventName: string,
  payload: Record<string, unknown> & { cwd: string },
): Promise<ProcessResult> {
  const input = JSON.stringify({ hook_event_name: eventName, ...payload });
  // Claude Code runs hooks without MSP_HOME in the environment: the command itself must name the folder.
  const env = { ...machine.env };
  delete env["MSP_HOME"];
  return run("/bin/sh", ["-c", hookCommand(machine, eventName)], { env, cwd: payload.cwd, input });
}

/** A clone of a repository: a git work tree whose origin is `remote`. */
export function gitClone(parent: string, folder: string, remote: string): string {
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

/** The result of a command that must succeed; otherwise a failure that shows what it printed. */
export function ok(result: ProcessResult): ProcessResult {
  if (result.code !== 0) throw new Error(`exit ${result.code} after ${Math.round(result.ms)} ms:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** stdout as JSON, or a failure that shows what the command printed. */
export function jsonOf<T = Record<string, unknown>>(result: ProcessResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}
