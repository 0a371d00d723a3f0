import { readConfig } from "../local/cli-config";
import { writeLog } from "../local/error-log";
import { rememberPrivateTerms } from "@msp/redaction/src/private-text";
import { hookExclusion } from "../local/memory-exclusion";
import { loadSessionState, saveSessionState } from "../local/session-state";
import type { MspPaths } from "../local/msp-home";
import { createHookContext } from "./hook-context";
import type { HookEvent } from "./hook-input";
import { parseHookInput } from "./hook-input";
import { hookBudgetsMs } from "./deadline";
import { postToolUse } from "./post-tool-use";
import { sessionStart } from "./session-start";
import { transcriptEvent } from "./transcript-events";
import { userPromptSubmit } from "./user-prompt-submit";
import { summarizerRunEnv } from "../summarizer/summarizer-env";

/**
 * Runs one hook and returns what Claude should read on stdout ("" for nothing). Never throws:
 * a failure is written to the log and the hook prints nothing, so the session goes on as if
 * the platform did not exist.
 */
export async function runHook(event: HookEvent, stdinText: string, paths: MspPaths, cwd: string): Promise<string> {
  // The Claude Code the summarizer runs (claude -p) is no session of the technician's: nothing to record or recall.
  if (process.env[summarizerRunEnv]) return "";
  try {
    const config = readConfig(paths.config);
    if (!config) return ""; // not set up on this machine: stay out of the way
    const input = parseHookInput(stdinText, cwd);
    // A folder or project the technician keeps out of memory: send nothing, and succeed.
    const excludedBy = hookExclusion(config, paths, input.cwd, input.sessionId);
    if (excludedBy !== undefined) {
      if (event === "session-start")
        writeLog(paths.log, "info", event, `memory is off here (memory.exclude "${excludedBy}"): nothing is sent`);
      return "";
    }
    if (input.privateTerms?.length) rememberPrivate(paths, input.sessionId, input.privateTerms);
    const ctx = createHookContext(event, input, config, paths, hookBudgetsMs[event]);
    let output = "";
    try {
      switch (event) {
        case "session-start":
          output = await sessionStart(ctx);
          break;
        case "user-prompt-submit":
          output = await userPromptSubmit(ctx);
          break;
        case "post-tool-use":
          await postToolUse(ctx);
          break;
        case "pre-compact":
        case "stop":
        case "session-end":
          transcriptEvent(ctx);
          break;
      }
    } finally {
      // Earlier events still waiting (the platform was down): deliver them in the background.
      if (event !== "stop" && event !== "pre-compact" && event !== "session-end") ctx.startSender();
    }
    return output;
  } catch (error) {
    writeLog(paths.log, "error", event, error instanceof Error ? error.message : String(error));
    return "";
  }
}

/** Keeps the digests of a prompt's private terms in the session's state, for PostToolUse. */
function rememberPrivate(paths: MspPaths, claudeSessionId: string, terms: readonly string[]): void {
  const state = loadSessionState(paths.sessions, claudeSessionId);
  // Saved durably (it holds privateTerms): after a power cut, a command repeating a private term is still recorded without it.
  saveSessionState(paths.sessions, { ...state, privateTerms: rememberPrivateTerms(state.privateTerms, terms) });
}
