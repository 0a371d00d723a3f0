import { statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { withoutPrivateTerms } from "@msp/redaction/src/private-text";
import { deliverCommand, deliverFileChange } from "../delivery/tool-delivery";
import { readLinks } from "../local/folder-links";
import { readCatalog } from "../local/project-catalog";
import { loadSessionState } from "../local/session-state";
import { resolveWorkScope } from "../local/work-scope";
import { isRetryable, UnreachableError } from "../platform/http-json";
import { eventKey } from "../spool/event-key";
import type { SpoolEvent } from "../spool/spool-event";
import type { HookContext } from "./hook-context";
import { commandRecordOf, fileChangeRecordOf } from "./tool-records";

/** The tools whose calls become work records; everything else is ignored at once. */
export const recordedTools = ["Bash", "PowerShell", "Edit", "MultiEdit", "Write", "NotebookEdit"] as const;

/**
 * PostToolUse: a Bash command becomes a commands_run row (redacted, with exit status and a short
 * output summary), an edit or write a file_changes row. Sent at once when the platform answers,
 * spooled when it does not.
 */
export async function postToolUse(ctx: HookContext): Promise<void> {
  const { input, paths } = ctx;
  const toolName = input.toolName ?? "";
  if (!(recordedTools as readonly string[]).includes(toolName) || !input.toolInput) return;
  const state = loadSessionState(paths.sessions, input.sessionId);
  const scope = state.scope ?? resolveWorkScope(input.cwd, readLinks(paths.links), readCatalog(paths.cache));
  const at = new Date().toISOString();
  // Claude Code sends a tool_use_id; without one, the call itself and its time tell it apart (eventKey hashes it).
  const discriminator = input.toolUseId ?? JSON.stringify([toolName, input.toolInput, at]);
  const id = eventKey(input.sessionId, toolName, discriminator);
  // Redacted here, whether it is sent now or spooled: nothing unredacted ever reaches the disk;
  // and what a prompt of the session marked <private> is left out, where a command repeats it.
  const down = ctx.platformDown();
  const redact = state.privateTerms ? (text: string) => withoutPrivateTerms(ctx.redact(text), state.privateTerms) : ctx.redact;
  let event: SpoolEvent | undefined;
  const command = commandRecordOf(toolName, input.toolInput, input.toolResponse, scope, redact);
  if (command) event = { id, kind: "command", at, claudeSessionId: input.sessionId, data: command };
  const sizeOf = (path: string) => {
    try {
      return statSync(isAbsolute(path) ? path : resolve(input.cwd, path)).size;
    } catch {
      return undefined;
    }
  };
  const change = command ? undefined : fileChangeRecordOf(toolName, input.toolInput, input.toolResponse, scope, redact, sizeOf);
  if (change) event = { id, kind: "file-change", at, claudeSessionId: input.sessionId, data: change };
  if (!event) return;
  if (down) {
    ctx.spool(event);
    return;
  }
  try {
    if (event.kind === "command") await deliverCommand(ctx, event);
    else if (event.kind === "file-change") await deliverFileChange(ctx, event);
  } catch (error) {
    if (!isRetryable(error)) throw error;
    ctx.spool({ ...event, ...(error instanceof UnreachableError && error.maybeDelivered ? { uncertain: true } : {}) });
  }
}
