import type { HookEvent } from "../hooks/hook-input";
import { claudeEventName } from "../hooks/hook-input";

/** How msp registers itself for one Claude Code event. */
export interface HookRegistration {
  event: HookEvent;
  /** Tool-name matcher (PostToolUse only). */
  matcher?: string;
  /** Seconds, as settings.json wants them: above the hook's own budget, far below Claude's defaults. */
  timeout: number;
  /** Non-blocking: Claude does not wait for it. */
  async?: boolean;
}

/** The hooks setup installs. PostToolUse and Stop run asynchronously; every one has a timeout. */
export const hookRegistrations: readonly HookRegistration[] = [
  { event: "session-start", timeout: 10 },
  { event: "user-prompt-submit", timeout: 5 },
  { event: "post-tool-use", matcher: "Bash|PowerShell|Edit|MultiEdit|Write|NotebookEdit", timeout: 10, async: true },
  { event: "pre-compact", timeout: 5 },
  { event: "stop", timeout: 5, async: true },
  { event: "session-end", timeout: 5 },
];

/** A hook entry of settings.json ({"type": "command", "command": ..., "timeout": ...}). */
export interface CommandHook {
  type: "command";
  command: string;
  timeout: number;
  async?: boolean;
}

/** The entry for one event; `home` is added as `--home` when the config folder is not the default one. */
export function commandHookOf(registration: HookRegistration, baseCommand: string, home?: string): CommandHook {
  return {
    type: "command",
    command: `${baseCommand} hook ${registration.event}${home ? ` --home ${shellQuote(home)}` : ""}`,
    timeout: registration.timeout,
    ...(registration.async ? { async: true } : {}),
  };
}

export function settingsEventName(registration: HookRegistration): string {
  return claudeEventName(registration.event);
}

/**
 * True for a hook command msp installed: `<anything>msp[.js]["] hook <event>[ ...]`, the way
 * setup writes it (quoted absolute paths or a bare `msp`). Other commands are the user's.
 */
export function isMspHookCommand(command: unknown): boolean {
  if (typeof command !== "string") return false;
  return /(?:^|[\s/\\"'])msp(?:\.js)?["']?\s+hook\s+[A-Za-z-]+/.test(command);
}

/**
 * The command Claude Code runs, before `hook <event>`: node and the launcher as quoted absolute
 * paths (Claude's PATH may not hold npm's bin folder, or the node this was installed with).
 */
export function hookBaseCommand(nodePath: string, launcherPath: string): string {
  return `${shellQuote(nodePath)} ${shellQuote(launcherPath)}`;
}

/** Double-quoted for sh (Claude Code runs hook commands through a shell). */
export function shellQuote(value: string): string {
  return `"${value.replace(/(["\\$`])/g, "\\$1")}"`;
}
