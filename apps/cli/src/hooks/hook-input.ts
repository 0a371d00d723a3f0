import { hasPrivateText, privateTermsOf, stripPrivate } from "@msp/redaction/src/private-text";

/** The six Claude Code hook events the CLI handles, as `msp hook <event>` names them. */
export type HookEvent = "session-start" | "user-prompt-submit" | "post-tool-use" | "pre-compact" | "stop" | "session-end";

const byName: Record<string, HookEvent> = {
  sessionstart: "session-start",
  userpromptsubmit: "user-prompt-submit",
  posttooluse: "post-tool-use",
  precompact: "pre-compact",
  stop: "stop",
  sessionend: "session-end",
};

/** `session-start`, `SessionStart` and `session_start` all name SessionStart; undefined for anything else. */
export function hookEventOf(name: string): HookEvent | undefined {
  return byName[name.replace(/[-_\s]/g, "").toLowerCase()];
}

/** Every event name `msp hook` accepts, for its usage message. */
export const hookEvents: readonly HookEvent[] = Object.values(byName);

/** Claude Code's PascalCase name of an event, as settings.json keys it. */
export function claudeEventName(event: HookEvent): string {
  return event.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}

/** What Claude Code sends on stdin (snake_case, as it writes it). */
export interface HookInput {
  sessionId: string;
  transcriptPath?: string;
  cwd: string;
  hookEventName?: string;
  /** SessionStart: startup, resume, clear, compact. */
  source?: string;
  /** UserPromptSubmit, without what was marked <private>. */
  prompt?: string;
  /** The specific terms of the prompt's <private> blocks (a password, an address): never written anywhere as text. */
  privateTerms?: string[];
  /** PostToolUse. */
  toolName?: string;
  toolInput?: Record<string, unknown>;
  toolResponse?: unknown;
  toolUseId?: string;
  /** SessionEnd. */
  reason?: string;
  /** PreCompact: manual or auto. */
  trigger?: string;
}

/** Input that is not what Claude Code sends. */
export class HookInputError extends Error {
  override name = "HookInputError";
}

/** Reads the hook's JSON; `fallbackCwd` stands in when Claude did not send `cwd`. */
export function parseHookInput(text: string, fallbackCwd: string): HookInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HookInputError(`hook input is not JSON: ${text.slice(0, 80)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new HookInputError("hook input must be a JSON object");
  const raw = value as Record<string, unknown>;
  const text_ = (key: string) => {
    const found = raw[key];
    return typeof found === "string" ? found : undefined;
  };
  const sessionId = text_("session_id");
  if (!sessionId) throw new HookInputError("hook input has no session_id");
  const input: HookInput = { sessionId, cwd: text_("cwd") || fallbackCwd };
  const optional: Array<[keyof HookInput, string]> = [
    ["transcriptPath", "transcript_path"],
    ["hookEventName", "hook_event_name"],
    ["source", "source"],
    ["prompt", "prompt"],
    ["toolName", "tool_name"],
    ["toolUseId", "tool_use_id"],
    ["reason", "reason"],
    ["trigger", "trigger"],
  ];
  for (const [field, key] of optional) {
    const found = text_(key);
    if (found !== undefined) (input as unknown as Record<string, unknown>)[field] = found;
  }
  // What the technician marked <private> in a prompt is gone before any hook reads the prompt;
  // its specific terms are kept (in memory) so the session's later records can leave them out too.
  if (input.prompt !== undefined && hasPrivateText(input.prompt)) {
    input.privateTerms = privateTermsOf(input.prompt);
    input.prompt = stripPrivate(input.prompt);
  }
  const toolInput = raw["tool_input"];
  if (typeof toolInput === "object" && toolInput !== null && !Array.isArray(toolInput))
    input.toolInput = toolInput as Record<string, unknown>;
  if (raw["tool_response"] !== undefined) input.toolResponse = raw["tool_response"];
  return input;
}
