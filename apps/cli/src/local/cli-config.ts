import { chmodSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "./atomic-file";

/** What `msp setup` stores in config.json (mode 0600): where the platform is and how this machine signs in. */
export interface CliConfig {
  /** The gateway's base URL, such as http://127.0.0.1:8080. */
  server: string;
  /** The machine's id in the work service. */
  machineId: string;
  /** The machine's host name, shown next to what it remembered ("done on LAPTOP-3"). */
  machineName: string;
  fingerprint: string;
  /** The machine API key (scopes work:write, context:write, infra:read) the hooks send as bearer token. */
  apiKey: string;
  /** The key's id, so a later setup can revoke it. */
  apiKeyId?: string;
  /** Who ran setup. */
  userName?: string;
  /** The command Claude Code runs for the hooks, without the event name. */
  hookCommand?: string;
  setupAt: string;
  /** What the technician keeps out of memory (edited by hand; `msp setup` keeps it). */
  memory?: MemorySettings;
  /** Model summaries of sessions (`msp setup --summarizer claude`); absent: off, the default. */
  summarizer?: SummarizerSettings;
}

/** `memory` in config.json. */
export interface MemorySettings {
  /**
   * Folders and projects whose sessions send nothing: globs matched against the session's folder
   * and repository (`~/clients/secret-*`, or `scratch/**` anywhere), and names matched against each
   * folder name and the project's name and slug (`acme-*`). See local/memory-exclusion.ts.
   */
  exclude?: string[];
  /**
   * Which summary of a past session recall shows this machine where a model wrote one beside the
   * compressor's (see summarizer): "model" or "deterministic". Absent: the platform's default.
   */
  summaries?: SummaryPreference;
}

export type SummaryPreference = "model" | "deterministic";

/** `summarizer` in config.json: after SessionEnd, the technician's own Claude Code writes a summary of the session too. */
export interface SummarizerSettings {
  /** What writes the summaries: "claude", Claude Code in headless mode (`claude -p`). */
  tool: "claude";
  /** The model, as `claude --model` takes it: "haiku", "sonnet", or a full model id. */
  model: string;
  /** Tokens a day (read, cached and written, as Claude Code reports them) the summaries may use; past it they wait for the next day. */
  dailyTokenCap: number;
  /** The claude executable: a path, or a name looked up on PATH. */
  command: string;
}

/** What `msp setup --summarizer claude` writes when nothing else is said: the cheapest model, a cap of a dozen long sessions a day. */
export const defaultSummarizer: SummarizerSettings = { tool: "claude", model: "haiku", dailyTokenCap: 200_000, command: "claude" };

/** What this machine's config says a recall should show of past sessions (memory.summaries), as RecallRequest fields. */
export function summaryPreferenceOf(config: CliConfig): { contextSummary?: SummaryPreference } {
  const summaries = config.memory?.summaries;
  return summaries ? { contextSummary: summaries } : {};
}

/** A config.json that exists but cannot be used. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const required = ["server", "machineId", "machineName", "fingerprint", "apiKey"] as const;

/** Reads config.json; undefined when setup has not run. */
export function readConfig(path: string): CliConfig | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not valid JSON; run msp setup again`);
  }
  if (typeof value !== "object" || value === null) throw new ConfigError(`${path} must hold a JSON object; run msp setup again`);
  const record = value as Record<string, unknown>;
  const missing = required.filter((key) => typeof record[key] !== "string" || record[key] === "");
  if (missing.length > 0) throw new ConfigError(`${path} lacks ${missing.join(", ")}; run msp setup again`);
  // A malformed exclusion list fails the hooks (they then send nothing) rather than being ignored.
  const memory = record["memory"];
  if (memory !== undefined) {
    const exclude = typeof memory === "object" && memory !== null ? (memory as Record<string, unknown>)["exclude"] : memory;
    if (
      typeof memory !== "object" ||
      memory === null ||
      (exclude !== undefined && (!Array.isArray(exclude) || exclude.some((pattern) => typeof pattern !== "string")))
    )
      throw new ConfigError(`${path}: memory.exclude must be a list of patterns, such as ["~/clients/secret-*", "**/scratch/**"]`);
  }
  const summaries = typeof memory === "object" && memory !== null ? (memory as Record<string, unknown>)["summaries"] : undefined;
  if (summaries !== undefined && summaries !== "model" && summaries !== "deterministic")
    throw new ConfigError(`${path}: memory.summaries must be "model" or "deterministic"`);
  const summarizer = record["summarizer"];
  if (summarizer !== undefined && !isSummarizerSettings(summarizer))
    throw new ConfigError(
      `${path}: summarizer must be {"tool": "claude", "model": "...", "dailyTokenCap": <tokens>, "command": "claude"}; run msp setup --summarizer claude (or off)`,
    );
  return record as unknown as CliConfig;
}

function isSummarizerSettings(value: unknown): value is SummarizerSettings {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v["tool"] === "claude" &&
    typeof v["model"] === "string" &&
    v["model"] !== "" &&
    typeof v["command"] === "string" &&
    v["command"] !== "" &&
    typeof v["dailyTokenCap"] === "number" &&
    Number.isInteger(v["dailyTokenCap"]) &&
    v["dailyTokenCap"] >= 0
  );
}

/** Writes config.json with mode 0600 (it holds an API key), also when it existed with a wider mode. */
export function writeConfig(path: string, config: CliConfig): void {
  writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`, 0o600);
  chmodSync(path, 0o600);
}
