import { spawn } from "node:child_process";
import { summarySystemPrompt } from "./summary-prompt";
import { summarizerRunEnv } from "./summarizer-env";

/** What Claude Code answered in headless mode. */
export interface HeadlessAnswer {
  text: string;
  /** Tokens it read, cached and wrote, as its usage says. */
  tokens: number;
  /** The model that answered (Claude Code's modelUsage names it), or the one asked for. */
  model: string;
}

/** Claude Code could not write the summary; `tokens` is what it may still have used (0 when it never got to the model). */
export class SummarizerError extends Error {
  override name = "SummarizerError";
  constructor(
    message: string,
    readonly tokens: number,
  ) {
    super(message);
  }
}

export interface HeadlessRun {
  /** The claude executable, a path or a name on PATH. */
  command: string;
  model: string;
  /** Sent on stdin. */
  prompt: string;
  /** An empty folder: no CLAUDE.md or project settings of a work folder are read. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/**
 * The arguments of one summary: print mode with a JSON answer (result and usage), the model asked
 * for, one turn, no tools, no MCP servers, no hooks, not kept among the technician's sessions, and
 * a short system prompt of our own instead of Claude Code's (which with its tool definitions
 * would cost more tokens than most sessions' summaries).
 */
export function claudeArguments(model: string): string[] {
  return [
    "-p",
    "--output-format",
    "json",
    "--model",
    model,
    "--max-turns",
    "1",
    "--tools",
    "",
    "--strict-mcp-config",
    "--no-session-persistence",
    "--settings",
    JSON.stringify({ disableAllHooks: true }),
    "--system-prompt",
    summarySystemPrompt,
  ];
}

/** A rough token count of text a model has not reported on (about four characters a token). */
export function estimatedTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const maxStdoutBytes = 4 * 1024 * 1024;

/** Runs `claude -p` once with the prompt on stdin and reads its JSON answer; throws SummarizerError on any failure. */
export function runClaudeHeadless(run: HeadlessRun): Promise<HeadlessAnswer> {
  return new Promise((resolve, reject) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(run.command, claudeArguments(run.model), {
        cwd: run.cwd,
        env: { ...run.env, [summarizerRunEnv]: "1" },
        stdio: ["pipe", "pipe", "pipe"],
        windowsHide: true,
      });
    } catch (error) {
      reject(new SummarizerError(`could not start ${run.command}: ${String(error)}`, 0));
      return;
    }
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    }, run.timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes <= maxStdoutBytes) stdout.push(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < 4_000) stderr += chunk.toString("utf8");
    });
    // A claude that exits before reading all of stdin closes the pipe: its exit code says what happened.
    child.stdin?.on("error", () => undefined);
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why = error.code === "ENOENT" ? `${run.command} was not found (install Claude Code, or set summarizer.command)` : error.message;
      reject(new SummarizerError(why, 0));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        // It may have spent the tokens before it was stopped: count what it was given.
        reject(new SummarizerError(`${run.command} did not answer within ${run.timeoutMs / 1000} s`, estimatedTokens(run.prompt)));
        return;
      }
      try {
        resolve(readAnswer(Buffer.concat(stdout).toString("utf8"), run.model));
      } catch (error) {
        const tokens = error instanceof SummarizerError ? error.tokens : 0;
        const exit = code !== 0 ? ` (exit ${code ?? signal})` : "";
        const detail = stderr.trim() ? `: ${stderr.trim().slice(0, 500)}` : "";
        reject(new SummarizerError(`${error instanceof Error ? error.message : String(error)}${exit}${detail}`, tokens));
      }
    });
    child.stdin?.end(run.prompt);
  });
}

/** The result object of `--output-format json`: one JSON object (an array of messages from some versions: its result). */
export function readAnswer(stdout: string, askedModel: string): HeadlessAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.trim());
  } catch {
    throw new SummarizerError(`claude printed no JSON answer${stdout.trim() ? `: ${stdout.trim().slice(0, 200)}` : ""}`, 0);
  }
  const result: unknown = Array.isArray(parsed)
    ? parsed
        .filter(isRecord)
        .reverse()
        .find((m) => m["type"] === "result")
    : parsed;
  if (!isRecord(result)) throw new SummarizerError("claude's JSON answer has no result", 0);
  const tokens = usageTokens(result["usage"]);
  const text = typeof result["result"] === "string" ? result["result"].trim() : "";
  if (result["is_error"] === true || (result["subtype"] !== undefined && result["subtype"] !== "success"))
    throw new SummarizerError(
      `claude answered ${typeof result["subtype"] === "string" ? result["subtype"] : "an error"}${text ? `: ${text.slice(0, 300)}` : ""}`,
      tokens,
    );
  if (text === "") throw new SummarizerError("claude answered with an empty summary", tokens);
  const models = isRecord(result["modelUsage"]) ? Object.keys(result["modelUsage"]) : [];
  return { text, tokens, model: models[0] ?? askedModel };
}

/** Every token of a usage object: input, cache writes and reads, output. */
export function usageTokens(usage: unknown): number {
  if (!isRecord(usage)) return 0;
  let total = 0;
  for (const key of ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens"]) {
    const value = usage[key];
    if (typeof value === "number" && Number.isFinite(value) && value > 0) total += value;
  }
  return Math.round(total);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
