// Problems met in the session in the Problem / Cause / Fix / Verify form. A problem is a failed
// tool run or an error log the user pasted. Its cause is what the assistant said about it before
// acting; its fix is the change made before the same thing worked again (or, without a rerun,
// the next change); it counts as resolved only when something verified it: the successful rerun
// or a check that passed after the fix.
import type { Problem } from "../compressed-session";
import { failureNote } from "./commands";
import type { CompressContext } from "./compress-context";
import { relativize, showPath } from "./compress-context";
import { errorLine, looksLikeErrorLog } from "./error-line";
import { fileTouch } from "./files";
import { commandHead, commandKey, displayCommand, isCheck, isInspection, isRoutine, simpleCommands } from "./shell-command";
import { dedupeKey, sentences, shorten } from "./text-tools";
import type { Action, Step } from "./timeline";
import { bashCommand, filePathOf } from "./timeline";

/** A problem with the positions the state and dead-end rules need. */
export interface FoundProblem extends Problem {
  step: number;
  resolved: boolean;
  /** what failed: a command key, a tool and file, or a reported error */
  subject: string;
  occurrences: number;
  /** step of the rerun or check that verified the fix */
  resolvedAt?: number;
  action?: Action;
  fixAction?: Action;
  /** failure of a look-around command (curl, ls): weaker evidence */
  weak: boolean;
}

const CAUSE_STRONG =
  /\b(because|caused by|due to|the (real |root |actual |main )?(issue|problem|error|cause|reason|culprit) (is|was|here is)|root cause|this means|which means|means (that|the)|turns out|is missing|are missing|not installed|doesn't exist|does not exist|isn't (running|installed|available)|only supports?|is not supported|production build)\b|原因|因为|由于|问题是|问题在于|导致|不支持/i;
const CAUSE_WEAK = /\b(requires?|expects?|needs? to|cannot|can't|won't|isn't|aren't|doesn't|conflict|already|wrong|instead)\b/i;
const ANNOUNCEMENT =
  /^(i (found|see|understand)( the| what)?( issue| problem| error)?|found (it|the (issue|problem))|perfect|got it|ah|aha|excellent|now i see)[^a-z]*$/i;
/** A label that introduces the reasons as a list ("Root cause:", "问题原因："). */
const CAUSE_LABEL = /^(the )?(root )?(cause|reason|why|原因|问题原因)s?\s*[:：]$/i;
const HARNESS_ERROR =
  /<tool_use_error>|^File has not been read yet|^File does not exist|^InputValidationError|is temporarily unavailable, so auto mode/;
const TOOLS_WITH_PROBLEMS = new Set(["Bash", "BashOutput", "Write", "Edit", "MultiEdit", "NotebookEdit", "Task", "Workflow"]);

function isChange(action: Action): boolean {
  if (action.outcome !== "ok") return false;
  if (fileTouch(action)) return true;
  const command = bashCommand(action);
  return command !== undefined && !isInspection(command);
}

/** The command that decides the outcome: the last one that is not a wait or a look-around. */
function headOf(action: Action): string {
  const command = bashCommand(action);
  if (command === undefined) return action.call.name;
  const parts = simpleCommands(command).filter((part) => !/^(cd|sleep|echo|kill|pkill|killall)\b/.test(part));
  const deciding = parts.filter((part) => !isInspection(part));
  return commandHead(deciding[deciding.length - 1] ?? parts[parts.length - 1] ?? "");
}

function subjectOf(action: Action): string {
  const command = bashCommand(action);
  if (command !== undefined) return commandKey(command);
  return `${action.call.name}:${filePathOf(action) ?? ""}`;
}

/** Two runs are the same attempt when their key, or their last multi-word head, matches. */
function sameAttempt(a: Action, b: Action): boolean {
  const first = bashCommand(a);
  const second = bashCommand(b);
  if (first === undefined || second === undefined) return subjectOf(a) === subjectOf(b);
  if (commandKey(first) === commandKey(second)) return true;
  const lastHead = (command: string) =>
    simpleCommands(command)
      .filter((part) => !/^(cd|sleep|echo)\b/.test(part) && !isInspection(part))
      .map(commandHead)
      .pop();
  const headA = lastHead(first);
  return headA !== undefined && headA === lastHead(second) && headA.includes(" ");
}

/** An action in a few words: the command, or what a file tool did and the line an edit added. */
export function describeAction(action: Action, context: CompressContext): string {
  const command = bashCommand(action);
  if (command !== undefined) return `\`${shorten(relativize(displayCommand(context.redact(command), 400), context), 150)}\``;
  const path = filePathOf(action);
  const name = action.call.name;
  if (path) {
    const shown = context.redact(showPath(path, context));
    if (name === "Write") return action.outcome === "ok" ? `wrote ${shown}` : `Write ${shown}`;
    const change = editedLine(action);
    return change ? `edited ${shown}: \`${shorten(context.redact(change), 110)}\`` : `edited ${shown}`;
  }
  return name;
}

/** The first line an Edit added, which usually shows the fix itself. */
function editedLine(action: Action): string | undefined {
  const input = action.call.input;
  const edits = Array.isArray(input["edits"]) ? (input["edits"] as unknown[]) : [input];
  for (const edit of edits) {
    if (typeof edit !== "object" || edit === null) continue;
    const record = edit as Record<string, unknown>;
    const before = typeof record["old_string"] === "string" ? record["old_string"] : "";
    const after = typeof record["new_string"] === "string" ? record["new_string"] : "";
    const old = new Set(before.split("\n").map((line) => line.trim()));
    const added = after.split("\n").find((line) => line.trim() !== "" && !old.has(line.trim()) && !/^\s*(#|\/\/)/.test(line));
    if (added) return added.trim();
  }
  return undefined;
}

/** What the assistant said about the failure before acting on it (up to `until`). */
function causeAfter(steps: readonly Step[], from: number, until: number, context: CompressContext): string | undefined {
  let weak: string | undefined;
  for (let index = from + 1; index < steps.length && index <= until; index += 1) {
    const step = steps[index];
    if (!step || step.kind === "prompt") break;
    if (step.kind !== "say" || (step.event.isSidechain && !context.timeline.sidechainOnly)) continue;
    const list = sentences(step.text);
    for (let position = 0; position < list.length; position += 1) {
      let sentence = list[position] ?? "";
      if (sentence.length > 400) continue;
      const strong = CAUSE_STRONG.test(sentence);
      if (!strong && !(weak === undefined && CAUSE_WEAK.test(sentence))) continue;
      // "I see the issue!" or "Root cause:" announces the cause; what follows states it.
      if (ANNOUNCEMENT.test(sentence.replace(/[!.:：]+$/, "")) || sentence.length < 25) {
        const next = list.slice(position + 1, position + (/[:：]$/.test(sentence) ? 3 : 2));
        if (next.length === 0) continue;
        sentence = next.join("; ");
      } else if (CAUSE_LABEL.test(list[position + 1] ?? "")) {
        sentence = [sentence, ...list.slice(position + 2, position + 4)].join("; ");
      }
      const text = shorten(relativize(context.redact(sentence), context), 220);
      if (strong || CAUSE_STRONG.test(sentence)) return text;
      weak ??= text;
    }
  }
  return weak;
}

interface Failure {
  step: number;
  problem: string;
  subject: string;
  weak: boolean;
  action?: Action;
}

/** A tool's own error (bad input, file not read) counts as a problem once it repeats this often and the tool never worked after it: the session was stuck in it. */
const repeatedHarnessErrors = 3;

function failures(context: CompressContext): Failure[] {
  const found: Failure[] = [];
  const harnessErrors = new Map<string, { step: number; lastStep: number; line: string; tool: string; count: number }>();
  context.timeline.steps.forEach((step, index) => {
    if (step.kind === "prompt" && looksLikeErrorLog(step.text)) {
      const line = errorLine(context.redact(step.text));
      if (line)
        found.push({
          step: index,
          problem: `reported: ${shorten(relativize(line, context), 170)}`,
          subject: `report:${dedupeKey(line)}`,
          weak: false,
        });
    }
    if (step.kind !== "action") return;
    const { action } = step;
    if (action.outcome !== "error" || !TOOLS_WITH_PROBLEMS.has(action.call.name)) return;
    const text = action.result?.text ?? "";
    if (HARNESS_ERROR.test(text.trim())) {
      const line = shorten(context.redact(errorLine(text.replace(/<\/?tool_use_error>/g, "")) ?? ""), 150);
      const key = `${action.call.name}:${dedupeKey(line)}`;
      const seen = harnessErrors.get(key);
      if (seen) {
        seen.count += 1;
        seen.lastStep = action.step;
      } else harnessErrors.set(key, { step: index, lastStep: action.step, line, tool: action.call.name, count: 1 });
      return;
    }
    const note = failureNote(action, context);
    const command = bashCommand(action);
    const weak = command !== undefined && isInspection(command);
    // A look-around that "failed" without an error message (grep found nothing) is no problem.
    if (weak && !/[a-z]{3}.*(error|fail|denied|refused|not found|no such|cannot|unable|timed out|invalid|missing)/i.test(note ?? ""))
      return;
    found.push({
      step: index,
      problem: `${describeAction(action, context)} failed${note ? `: ${note}` : ""}`,
      subject: subjectOf(action),
      weak,
      action,
    });
  });
  for (const [key, error] of harnessErrors) {
    // Got past it (the same tool worked afterwards): a slip, not where the session got stuck.
    const gotPast = context.timeline.actions.some(
      (action) => action.call.name === error.tool && action.outcome === "ok" && action.step > error.lastStep,
    );
    if (error.count < repeatedHarnessErrors || gotPast) continue;
    found.push({
      step: error.step,
      problem: `${error.tool} failed ${error.count} times${error.line ? `: ${error.line}` : ""}`,
      subject: `harness:${key}`,
      weak: false,
    });
  }
  return found.sort((a, b) => a.step - b.step);
}

/** The best fix among the changes made before the rerun: an edit, else a non-routine command. */
function bestFix(changes: readonly Action[]): Action | undefined {
  const edits = changes.filter((action) => fileTouch(action) && bashCommand(action) === undefined);
  const commands = changes.filter((action) => bashCommand(action) !== undefined && !isRoutine(bashCommand(action) ?? ""));
  return edits[edits.length - 1] ?? commands[commands.length - 1] ?? changes[changes.length - 1];
}

/** Finds the fix and verification of a failure. */
function resolve(failure: Failure, context: CompressContext): { fix?: Action; verify?: Action; resolved: boolean } {
  const { steps } = context.timeline;
  const later: Action[] = [];
  let promptAt = Number.POSITIVE_INFINITY;
  for (let index = failure.step + 1; index < steps.length && later.length < 30; index += 1) {
    const step = steps[index];
    if (step?.kind === "prompt" && promptAt === Number.POSITIVE_INFINITY) promptAt = later.length;
    if (step?.kind === "action" && step.action.outcome !== "rejected") later.push(step.action);
  }
  const failed = failure.action;
  if (failed) {
    const rerun = later.findIndex((action) => action.outcome === "ok" && sameAttempt(failed, action));
    const verify = later[rerun];
    if (verify) {
      const fix = bestFix(later.slice(0, rerun).filter(isChange)) ?? (isInspection(bashCommand(verify) ?? "x") ? undefined : verify);
      // The rerun worked: it verifies the fix, or is itself the fix when nothing changed before it.
      return fix && fix !== verify ? { fix, verify, resolved: true } : fix ? { fix, resolved: true } : { verify, resolved: true };
    }
  }
  // Without a successful rerun, a failed run stays unresolved: the first real change made before
  // the user spoke again is shown as what was tried. A pasted error has no run to repeat, so a
  // check that passed after the change verifies it.
  const window = later.slice(0, Math.min(12, promptAt));
  const changes = window.filter(isChange);
  const fix = changes.find((action) => !isRoutine(bashCommand(action) ?? "")) ?? changes[0];
  if (!fix) return { resolved: false };
  const after = later.slice(later.indexOf(fix) + 1, later.indexOf(fix) + 8);
  const verify = after.find(
    (action) => action.outcome === "ok" && isCheck(bashCommand(action) ?? "") && (!failed || checks(action, failed)),
  );
  return verify ? { fix, verify, resolved: true } : { fix, resolved: false };
}

/** Whether a passing check tests what failed: the same command, or a sibling tool (mysql, mysqladmin). */
function checks(check: Action, failed: Action): boolean {
  const a = headOf(check);
  const b = headOf(failed);
  if (a === b) return true;
  const programA = a.split(" ")[0] ?? "";
  const programB = b.split(" ")[0] ?? "";
  return (
    programA !== programB &&
    programA.length >= 3 &&
    programB.length >= 3 &&
    (programA.startsWith(programB) || programB.startsWith(programA))
  );
}

export function collectProblems(context: CompressContext): FoundProblem[] {
  const { steps } = context.timeline;
  const problems: FoundProblem[] = [];
  const bySubject = new Map<string, FoundProblem>();
  const byError = new Map<string, FoundProblem>();
  for (const failure of failures(context)) {
    // The same thing failing again before it was fixed is the same problem.
    const same = bySubject.get(failure.subject);
    if (same && (!same.resolved || failure.step < (same.resolvedAt ?? 0))) {
      same.occurrences += 1;
      continue;
    }
    // A burst of failures with one error (four curls to one dead service) is one problem.
    const errorKey = `${failure.action ? headOf(failure.action) : "report"}|${dedupeKey(failure.problem.replace(/^.*?failed:?/, ""))}`;
    const similar = byError.get(errorKey);
    if (similar && (!similar.resolved || failure.step < (similar.resolvedAt ?? 0))) {
      similar.occurrences += 1;
      continue;
    }
    const { fix, verify, resolved } = resolve(failure, context);
    const problem: FoundProblem = {
      problem: failure.problem,
      step: failure.step,
      resolved,
      subject: failure.subject,
      occurrences: 1,
      weak: failure.weak,
    };
    if (failure.action) problem.action = failure.action;
    // The cause is what was said before the fix that worked; for an unresolved problem, what was said soon after.
    const actedAt = resolved ? (fix?.step ?? verify?.step ?? failure.step) : failure.step + 14;
    const cause = causeAfter(steps, failure.step, actedAt, context);
    if (cause) problem.cause = cause;
    if (fix) {
      problem.fix = describeAction(fix, context);
      problem.fixAction = fix;
    }
    if (verify) problem.verify = describeAction(verify, context);
    if (resolved) problem.resolvedAt = (verify ?? fix)?.step ?? failure.step;
    bySubject.set(failure.subject, problem);
    byError.set(errorKey, problem);
    // Two failures explained and fixed the same way are one problem met twice.
    const twin = problems.find((other) => other.fix !== undefined && other.fix === problem.fix && other.cause === problem.cause);
    if (twin) {
      twin.occurrences += 1;
      continue;
    }
    // The same failure met again after a fix that did not last is one problem: the fix that came last is the one that holds.
    const again = problems.find((other) => dedupeKey(other.problem) === dedupeKey(problem.problem));
    if (again) {
      mergeInto(again, problem);
      bySubject.set(failure.subject, again);
      byError.set(errorKey, again);
      continue;
    }
    problems.push(problem);
  }
  return problems;
}

/** Folds a later occurrence of a problem into the first: counted, with the later cause, fix and verification where it has them. */
function mergeInto(first: FoundProblem, later: FoundProblem): void {
  first.occurrences += later.occurrences;
  if (later.cause) first.cause = later.cause;
  if (later.fix) {
    first.fix = later.fix;
    if (later.fixAction) first.fixAction = later.fixAction;
  }
  if (later.verify) first.verify = later.verify;
  if (later.resolved) {
    first.resolved = true;
    if (later.resolvedAt !== undefined) first.resolvedAt = later.resolvedAt;
  }
}

/** The public form of a problem. */
export function toProblem(found: FoundProblem): Problem {
  const problem: Problem = { problem: found.occurrences > 1 ? `${found.problem} (x${found.occurrences})` : found.problem };
  if (found.cause) problem.cause = found.cause;
  if (found.fix) problem.fix = found.resolved ? found.fix : `tried: ${found.fix}`;
  if (found.verify) problem.verify = found.verify;
  return problem;
}
