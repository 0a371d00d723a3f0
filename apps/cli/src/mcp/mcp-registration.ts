// Registers `msp mcp` with Claude Code, and takes it out again: an entry named "msp" under the
// user-scope `mcpServers` of Claude Code's own config file, ~/.claude.json (or
// $CLAUDE_CONFIG_DIR/.claude.json), which is what `claude mcp add --scope user msp -- ...` writes,
// so every project folder gets the tools and no `claude` binary is needed. The file is Claude
// Code's (projects, history, account): it is read, changed in that one key, and written back
// atomically with its mode; anything else in it, other servers included, stays as it was.
import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../local/atomic-file";
import { SettingsShapeError } from "../settings/claude-settings";

/** The server's key under mcpServers (Claude Code names its tools mcp__msp__<tool>). */
export const mcpEntryName = "msp";

/** A stdio server entry as Claude Code stores it. */
export interface McpServerEntry {
  type: "stdio";
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Claude Code's user config file: $CLAUDE_CONFIG_DIR/.claude.json when that is set, else ~/.claude.json. */
export function claudeUserConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env["CLAUDE_CONFIG_DIR"];
  if (dir) return join(dir, ".claude.json");
  return join(env["HOME"] || env["USERPROFILE"] || homedir(), ".claude.json");
}

/**
 * The entry for `msp mcp`: node and the launcher as absolute paths (Claude Code's PATH may hold
 * neither npm's bin folder nor this node), `--home` when the config folder is not the default.
 */
export function mcpServerEntry(nodePath: string, launcherPath: string, mspHome?: string): McpServerEntry {
  return { type: "stdio", command: nodePath, args: [launcherPath, "mcp", ...(mspHome ? ["--home", mspHome] : [])], env: {} };
}

/** True for an entry msp wrote: its arguments run msp's launcher (msp or msp.js) with `mcp`. */
export function isMspMcpEntry(entry: unknown): boolean {
  if (typeof entry !== "object" || entry === null) return false;
  const { command, args } = entry as { command?: unknown; args?: unknown };
  const words = [command, ...(Array.isArray(args) ? (args as unknown[]) : [])].filter((w): w is string => typeof w === "string");
  const launcher = words.findIndex((word) => /(?:^|[/\\])msp(?:\.js)?$/.test(word));
  return launcher !== -1 && words[launcher + 1] === "mcp";
}

type ClaudeConfig = Record<string, unknown> & { mcpServers?: Record<string, unknown> };

/** Reads the file; absent reads as {} (existed false). Refuses invalid JSON rather than overwrite Claude's data. */
function readClaudeConfig(path: string): { config: ClaudeConfig; existed: boolean; mode: number } {
  let text: string;
  let mode = 0o600;
  try {
    text = readFileSync(path, "utf8");
    mode = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { config: {}, existed: false, mode };
    throw error;
  }
  if (text.trim() === "") return { config: {}, existed: true, mode };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SettingsShapeError(
      `${path} is not valid JSON (${(error as Error).message}); fix it, or register msp yourself: claude mcp add --scope user msp -- msp mcp`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SettingsShapeError(`${path} must hold a JSON object`);
  const config = value as ClaudeConfig;
  const servers = config.mcpServers;
  if (servers !== undefined && (typeof servers !== "object" || servers === null || Array.isArray(servers)))
    throw new SettingsShapeError(`${path}: mcpServers must be an object`);
  return { config, existed: true, mode };
}

function writeClaudeConfig(path: string, config: ClaudeConfig, mode: number): void {
  writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`, mode);
}

/** What registering did. */
export interface McpRegisterReport {
  path: string;
  /** The file was written (false: the same entry was there already, or a foreign one is in the way). */
  changed: boolean;
  /** An "msp" entry that msp did not write is there: it was left alone and msp is not registered. */
  conflict?: boolean;
}

/** Adds (or updates) the msp entry under the user-scope mcpServers, keeping everything else. */
export function registerMcpServer(entry: McpServerEntry, path = claudeUserConfigPath()): McpRegisterReport {
  const { config, mode } = readClaudeConfig(path);
  const servers = { ...(config.mcpServers ?? {}) };
  const existing = servers[mcpEntryName];
  if (existing !== undefined && !isMspMcpEntry(existing)) return { path, changed: false, conflict: true };
  if (JSON.stringify(existing) === JSON.stringify(entry)) return { path, changed: false };
  servers[mcpEntryName] = entry;
  writeClaudeConfig(path, { ...config, mcpServers: servers }, mode);
  return { path, changed: true };
}

/** What unregistering did. */
export interface McpUnregisterReport {
  path: string;
  removed: boolean;
}

/** Takes msp's entry (only one msp wrote) out of mcpServers; the rest of the file stays as it was. */
export function unregisterMcpServer(path = claudeUserConfigPath()): McpUnregisterReport {
  const { config, existed, mode } = readClaudeConfig(path);
  if (!existed || !isMspMcpEntry(config.mcpServers?.[mcpEntryName])) return { path, removed: false };
  const servers = { ...config.mcpServers };
  delete servers[mcpEntryName];
  writeClaudeConfig(path, { ...config, mcpServers: servers }, mode);
  return { path, removed: true };
}

/** Whether msp's entry is registered in the file. */
export function mcpServerRegistered(path = claudeUserConfigPath()): boolean {
  try {
    return isMspMcpEntry(readClaudeConfig(path).config.mcpServers?.[mcpEntryName]);
  } catch {
    return false;
  }
}
