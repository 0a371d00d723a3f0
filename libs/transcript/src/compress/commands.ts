// Shell commands that mattered: grouped by what they do, counted, with the outcome of the last
// run. Pure look-arounds (ls, cat, status) are dropped unless they failed.
import type { CommandRun } from "../compressed-session";
import type { CompressContext } from "./compress-context";
import { relativize } from "./compress-context";
import { errorLine } from "./error-line";
import type { ProgressStep } from "./output-gist";
import { outputGist, progressGist, progressSteps, reportedValues } from "./output-gist";
import { commandKey, displayCommand, isInspection, isRoutine, simpleCommands } from "./shell-command";
import { shorten } from "./text-tools";
import type { Action } from "./timeline";
import { bashCommand } from "./timeline";

/** A command group with what ranking needs. */
export interface CommandGroup extends CommandRun {
  key: string;
  firstStep: number;
  lastStep: number;
  failures: number;
  inspection: boolean;
  /** higher means more worth keeping in the summary */
  weight: number;
}

/** Why a failed action failed, in one redacted line. */
export function failureNote(action: Action, context: CompressContext): string | undefined {
  const text = action.result?.text ?? "";
  const line = errorLine(text);
  const exit = action.result?.exitCode;
  const parts: string[] = [];
  if (exit !== undefined && exit !== 0) parts.push(`exit ${exit}`);
  if (line && !/^exit code \d+$/i.test(line)) parts.push(shorten(relativize(context.redact(line), context), 150));
  return parts.length > 0 ? parts.join(": ") : undefined;
}

/** The output file of a command Claude Code ran in the background: /tmp/claude-1000/<project>/<session>/tasks/<id>.output. */
const TASK_OUTPUT = /\/tasks\/([\w-]+)\.output\b/;
/** How Claude Code names a command it runs in the background: "Command running in background with ID: bjzh0uqz8." */
const BACKGROUND_ID = /running in background with ID: ([\w-]+)/;

/** A read of a job's output that shows a progress display. */
const PROGRESS_IN = /\d{1,3}%\s+\S/;

/** Commands that print a file's contents: their output is a body, never a result. */
const FILE_READ = /^(cat|head|tail|less|more|bat|xxd|od|strings|sed -n|awk)\b/;

/**
 * What a command that worked printed, in one line (see outputGist): a confirmation, a value, a
 * usage line. A look-around's output counts only when it is one short line (`echo $ANDROID_HOME`,
 * `getprop ro.debuggable`); a file read's never.
 */
function outputNote(action: Action, command: string, inspection: boolean, context: CompressContext): string | undefined {
  const text = action.result?.text ?? "";
  // A background command's output file is read like a file, but what it holds is the command's output.
  const taskOutput = TASK_OUTPUT.test(command);
  if (!taskOutput && simpleCommands(command).some((part) => FILE_READ.test(part))) return undefined;
  const gist = outputGist(text);
  if (gist === undefined) return undefined;
  if (inspection && !taskOutput && (gist.length > maxLookAroundNoteChars || text.trim().includes("\n"))) return undefined;
  const note = relativize(context.redact(gist), context);
  // `cd dir && pwd` printing the dir, or `pwd` the session's folder, says nothing the command or the head does not.
  return command.includes(note) || note === context.cwd || note === context.workDir || note === "." ? undefined : note;
}

/** Longest output of a look-around kept as its note. */
const maxLookAroundNoteChars = 80;

export function collectCommands(context: CompressContext): CommandGroup[] {
  const groups = new Map<string, CommandGroup>();
  // Commands started in the background, by task id: reading their output file later tells how they went.
  const backgrounded = new Map<string, CommandGroup>();
  // The progress steps each background job's output showed so far, by task id.
  const progress = new Map<string, ProgressStep[]>();
  const reported = new Map<string, Map<string, string>>();
  for (const action of context.timeline.actions) {
    const command = bashCommand(action);
    if (command === undefined || action.outcome === "rejected") continue;
    const taskId = TASK_OUTPUT.exec(command)?.[1] ?? "";
    const task = backgrounded.get(taskId);
    if (task) {
      // A job still running shows how far it got: the steps of its progress display, over every
      // read; a read that shows no progress (an error, a final message) says how it ended.
      const text = action.result?.text ?? "";
      const before = progress.get(taskId)?.length ?? 0;
      const steps = progressSteps(text, progress.get(taskId) ?? []);
      progress.set(taskId, steps);
      const moved = steps.length > before || PROGRESS_IN.test(text);
      const gist = moved ? progressGist(steps) : (outputGist(text) ?? progressGist(steps));
      // The values its log reported (an API level, a build id), over every read: what the job found.
      const values = reportedValues(text, reported.get(taskId));
      reported.set(taskId, values);
      const said = [...values].map(([label, value]) => `${label}: ${value}`).join(", ");
      if (gist !== undefined)
        task.note = `started in background; output: ${relativize(context.redact(gist), context)}${said ? `; reported ${context.redact(said)}` : ""}`;
      continue;
    }
    const key = commandKey(command);
    const ok = action.outcome === "ok" ? true : action.outcome === "unknown" ? undefined : false;
    const shown = shorten(relativize(displayCommand(context.redact(command), 400), context), 180);
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        command: shown,
        count: 0,
        ok,
        firstStep: action.step,
        lastStep: action.step,
        failures: 0,
        inspection: isInspection(command),
        weight: 0,
      };
      groups.set(key, group);
    }
    group.count += 1;
    group.command = shown;
    group.ok = ok;
    group.lastStep = action.step;
    if (ok === false) {
      group.failures += 1;
      const note = failureNote(action, context);
      if (note) group.note = note;
      else delete group.note;
    } else if (ok === undefined && action.result) {
      group.note = "started in background";
      const id = BACKGROUND_ID.exec(action.result.text)?.[1];
      if (id) backgrounded.set(id, group);
    } else if (ok === true) {
      const said = outputNote(action, command, group.inspection, context);
      if (group.failures > 0)
        group.note = `ok after ${group.failures} failed run${group.failures > 1 ? "s" : ""}${said ? `: ${said}` : ""}`;
      else if (said) group.note = said;
      else delete group.note;
    }
  }
  const result: CommandGroup[] = [];
  for (const group of groups.values()) {
    group.weight = weigh(group);
    if (group.weight > 0) result.push(group);
  }
  return result.sort((a, b) => a.firstStep - b.firstStep);
}

const INSTALL =
  /\b(apt(-get)? install|pip3? install|npm (i|install|ci)|yarn add|pnpm add|cargo install|brew install|sdkmanager --install|go install|gem install|snap install|dnf install|yum install|apk add)\b/;
const CONFIGURE =
  /^(htpasswd|chown|chmod (?!\+x)|useradd|usermod|passwd|ufw|iptables|nft|openssl|ssh-keygen|ssh-copy-id|certbot|git config|git remote|systemctl (enable|disable|mask)|ln -s|crontab|update-alternatives|sysctl|mkfs|zfs create|zpool create|avdmanager create|docker (network|volume) create|kubectl (apply|create)|helm (install|upgrade)|terraform apply|export)\b/;
const DELIVER = /^(git push|docker push|scp|rsync|kubectl apply|npm publish|cargo publish|gh release)\b/;

function weigh(group: CommandGroup): number {
  // A look-around matters only when it failed with a real error message (grep finding nothing does
  // not), or when it printed one value (`echo $ANDROID_HOME`: /home/me/android-sdk).
  if (group.inspection)
    return (group.failures > 0 &&
      group.ok === false &&
      /error|fail|denied|refused|not found|no such|cannot|unable|timed out|invalid|missing/i.test(group.note ?? "")) ||
      (group.ok === true && group.note !== undefined && group.failures === 0)
      ? 1
      : 0;
  let weight = 3;
  const parts = simpleCommands(group.key);
  if (parts.some((part) => INSTALL.test(part))) weight += 2;
  if (parts.some((part) => CONFIGURE.test(part))) weight += 2;
  if (parts.some((part) => DELIVER.test(part))) weight += 2;
  if (isRoutine(group.key)) weight -= 2;
  if (group.failures > 0) weight += group.ok === true ? 2 : 1;
  return weight;
}

/** The public form of a group. */
export function toCommandRun(group: CommandGroup): CommandRun {
  const run: CommandRun = { command: group.command, count: group.count, ok: group.ok };
  if (group.note) run.note = group.note;
  return run;
}

/** Subjects of the commits the session made, oldest first: a compact log of what was done. */
export function collectCommits(context: CompressContext): string[] {
  const subjects: string[] = [];
  for (const action of context.timeline.actions) {
    const command = bashCommand(action);
    if (command === undefined || action.outcome !== "ok" || !/\bgit commit\b[^\n]*\s-m/.test(command)) continue;
    const subject = /-m "([^"]*)"/.exec(displayCommand(context.redact(command), 400))?.[1];
    if (subject && !subjects.includes(subject)) subjects.push(subject);
  }
  return subjects.map((subject) => shorten(subject, 120));
}
