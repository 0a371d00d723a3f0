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
  /** how many prompts, messages and commands name each file (by its shown path): how central it was */
  salience: Map<string, number>;
}

const EDIT_TOOLS = new Set(["Edit", "MultiEdit", "NotebookEdit"]);
const TEMPORARY = /^\/(tmp|var\/tmp|dev|proc)\//;

/** A file in a temporary folder: scratch, not work to remember. */
export function isTemporaryPath(path: string): boolean {
  return TEMPORARY.test(path);
}

/** Tests, demos and write-ups: shown after code, configuration and scripts. */
export function isMinorFile(path: string): boolean {
  return /(^|\/)(test_|tests?\/|demo_|[\w-]*_?(demo|summary|notes?))|\.(md|txt|log)$/i.test(path);
}

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
    if (!touch || isTemporaryPath(touch.path)) continue;
    const shown = context.redact(showPath(touch.path, context));
    if (created.has(touch.path)) continue;
    if (touch.created) {
      changed.delete(touch.path);
      created.set(touch.path, shown);
    } else if (!changed.has(touch.path)) {
      changed.set(touch.path, shown);
    }
  }
  const result = { created: [...created.values()], changed: [...changed.values()] };
  return { ...result, salience: salienceOf([...result.created, ...result.changed], context) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Counts the steps that mention each file's name, in one pass over the session's texts. */
function salienceOf(files: readonly string[], context: CompressContext): Map<string, number> {
  const salience = new Map<string, number>(files.map((file) => [file, 0]));
  const byName = new Map<string, string[]>();
  for (const file of files.slice(0, 300)) {
    const name = file.split("/").pop() ?? file;
    if (name.length < 3) continue;
    byName.set(name, [...(byName.get(name) ?? []), file]);
  }
  if (byName.size === 0) return salience;
  const pattern = new RegExp(
    [...byName.keys()]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join("|"),
    "g",
  );
  for (const step of context.timeline.steps) {
    const text =
      step.kind === "action"
        ? JSON.stringify(step.action.call.input).slice(0, 2_000)
        : step.kind === "prompt" || step.kind === "say" || step.kind === "compact_summary"
          ? step.text
          : "";
    const seen = new Set(text.match(pattern) ?? []);
    for (const name of seen) for (const file of byName.get(name) ?? []) salience.set(file, (salience.get(file) ?? 0) + 1);
  }
  return salience;
}
