// Files the session created or changed, from file tools and from shell here-documents. A file
// created and then edited stays "created". Temporary files (/tmp) are left out.
import type { CompressContext } from "./compress-context";
import { showPath } from "./compress-context";
import { simpleCommands } from "./shell-command";
import type { Action } from "./timeline";
import { bashCommand, filePathOf } from "./timeline";

export interface FileChanges {
  created: string[];
  changed: string[];
}

const EDIT_TOOLS = new Set(["Edit", "MultiEdit", "NotebookEdit"]);
const TEMPORARY = /^\/(tmp|var\/tmp|dev|proc)\//;

/** How an action touched a file, if it did. */
export function fileTouch(action: Action): { path: string; created: boolean } | undefined {
  if (action.outcome !== "ok") return undefined;
  const name = action.call.name;
  if (name === "Write") {
    const path = action.result?.filePath ?? filePathOf(action);
    if (!path) return undefined;
    const created = action.result?.fileOperation === "create" || /^File created successfully/.test(action.result?.text ?? "");
    return { path, created };
  }
  if (EDIT_TOOLS.has(name)) {
    const path = filePathOf(action);
    return path ? { path, created: false } : undefined;
  }
  const command = bashCommand(action);
  if (command === undefined) return undefined;
  for (const part of simpleCommands(command)) {
    const written =
      /^(?:cat|echo|printf)\b.*?(?<!\d)>\s*([^\s&|;<>]+)/.exec(part) ??
      /^tee\s+(?:-a\s+)?([^\s&|;<>]+)/.exec(part) ??
      /^touch\s+([^\s&|;<>]+)/.exec(part);
    const path = written?.[1];
    if (path && path !== "/dev/null" && !path.startsWith("$")) return { path, created: !/>>|tee\s+-a/.test(part) };
  }
  return undefined;
}

export function collectFiles(context: CompressContext): FileChanges {
  const created = new Map<string, string>();
  const changed = new Map<string, string>();
  for (const action of context.timeline.actions) {
    const touch = fileTouch(action);
    if (!touch || TEMPORARY.test(touch.path)) continue;
    const shown = context.redact(showPath(touch.path, context));
    if (created.has(touch.path)) continue;
    if (touch.created) {
      changed.delete(touch.path);
      created.set(touch.path, shown);
    } else if (!changed.has(touch.path)) {
      changed.set(touch.path, shown);
    }
  }
  return { created: [...created.values()], changed: [...changed.values()] };
}
