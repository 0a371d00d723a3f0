// The hot path: `msp hook <event>`, run by Claude Code for every hook event. It loads only what
// a hook needs (fs, node:http, the redactor; no commander, no database, no gRPC), answers within
// the event's budget, prints nothing on failure, and always exits 0 (exit 2 would block Claude).
import { writeSync } from "node:fs";
import { writeLog } from "./local/error-log";
import { mspHome, mspPaths } from "./local/msp-home";
import { closeConnections } from "./platform/http-json";
import { hookBudgetsMs } from "./hooks/deadline";
import { hookEventOf, hookEvents } from "./hooks/hook-input";
import { readStdin, stdinIsTerminal } from "./hooks/read-stdin";
import { runHook } from "./hooks/run-hook";

// The build runs it before it writes V8's code cache of this bundle (build.mjs).
export { warmUpForCodeCache } from "./hooks/code-cache-warmup";

/** `hook <event> [--home DIR]`: the event and the config folder; `help` when a person asked (`--help`, `-h`). */
export function parseHookArgs(args: readonly string[]): { event: string; home?: string; help?: true } {
  const rest = args[0] === "hook" ? args.slice(1) : [...args];
  const homeAt = rest.indexOf("--home");
  const home = homeAt === -1 ? undefined : rest[homeAt + 1];
  const positional = rest.filter((arg, i) => (homeAt === -1 || (i !== homeAt && i !== homeAt + 1)) && !arg.startsWith("-"));
  const help = rest.includes("--help") || rest.includes("-h");
  return { event: positional[0] ?? "", ...(home ? { home } : {}), ...(help ? { help: true as const } : {}) };
}

/** `msp hook --help` (bin/msp.js sends every `msp hook ...` here, past commander and its help). */
export function hookUsage(): string {
  return (
    `Usage: msp hook <event> [--home DIR]\n\n` +
    `What Claude Code runs for each hook event (msp setup installs them in ~/.claude/settings.json), with the\n` +
    `event's JSON on stdin. Events: ${hookEvents.join(", ")} (or SessionStart...).\n` +
    `It always exits 0 and prints only what Claude should be given; failures go to ~/.msp/log (msp status).\n` +
    `To try one by hand:\n` +
    `  echo '{"session_id":"test","cwd":"/path/to/project"}' | msp hook session-start\n`
  );
}

/**
 * What `msp hook <event>` says when run by hand at a terminal: Claude Code pipes the event's JSON
 * to it, and a terminal would leave it waiting for input nobody knows to type.
 */
export function terminalStdinMessage(event: string): string {
  return (
    `msp hook ${event}: reads the JSON Claude Code sends on stdin, and stdin is a terminal here. ` +
    "Claude Code runs it (msp setup installed it in ~/.claude/settings.json); to try it by hand, pipe the event in:\n" +
    `  echo '{"session_id":"test","cwd":"/path/to/project"}' | msp hook ${event}\n` +
    "msp status shows whether the hooks are installed and working.\n"
  );
}

export async function hookMain(args: readonly string[]): Promise<void> {
  const parsed = parseHookArgs(args);
  if (parsed.help) {
    process.stdout.write(hookUsage());
    process.exit(0);
  }
  const paths = mspPaths(mspHome(process.env, parsed.home));
  const event = hookEventOf(parsed.event);
  if (!event) {
    // Logged for `msp status` when Claude Code runs a hook command that names no event it knows; a
    // person who typed it sees the message, and the hooks' log is not theirs.
    if (!process.stdin.isTTY) writeLog(paths.log, "error", "hook", `unknown hook event "${parsed.event}"`);
    process.stderr.write(`msp hook: unknown event "${parsed.event}"; one of ${hookEvents.join(", ")}\n`);
    process.exit(0);
  }
  if (stdinIsTerminal()) {
    // Exit 0 as every hook does: Claude Code itself never gives a hook a terminal.
    process.stderr.write(terminalStdinMessage(parsed.event));
    process.exit(0);
  }
  // The hard stop: past the budget, exit 0 with whatever was printed (nothing, usually).
  const hardStop = setTimeout(() => {
    writeLog(paths.log, "warn", event, `stopped at its ${hookBudgetsMs[event]} ms budget`);
    process.exit(0);
  }, hookBudgetsMs[event] + 100);
  hardStop.unref();
  let output = "";
  try {
    output = await runHook(event, await readStdin(), paths, process.cwd());
  } catch (error) {
    writeLog(paths.log, "error", event, String(error));
  }
  if (output) writeSync(1, output.endsWith("\n") ? output : `${output}\n`);
  closeConnections();
  process.exit(0);
}

if (require.main === module) void hookMain(process.argv.slice(2));
