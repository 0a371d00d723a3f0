// Where the session stopped: done and open items (from the last todo list or task list), next
// actions (from the last assistant words, a question left to the user, the last recap), and
// blockers (problems still failing at the end, API errors that ended the session).
import type { SessionState } from "../compressed-session";
import type { TodoItem } from "../transcript-event";
import { parseCompactSummary } from "./compact-summary";
import type { CompressContext } from "./compress-context";
import { relativize } from "./compress-context";
import type { FoundProblem } from "./problems";
import { isContinuation } from "./goals";
import { describeAction } from "./problems";
import { isInspection } from "./shell-command";
import { dedupeKey, plainText, sentences, shorten, uniqueBy } from "./text-tools";
import type { Step } from "./timeline";
import { bashCommand } from "./timeline";

const NEXT_HEADING =
  /^(#+\s*|\*\*)?\s*(next steps?|what'?s next|to ?do|remaining( work| tasks)?|pending|follow[- ]?ups?|open (items|questions)|recommendations?|下一步|待办|接下来|后续|建议)\b/i;
const NEXT_SENTENCE =
  /\b(next step|next,|next we|remaining|still need|needs? to be|should (now|next)|you can now|to do:|todo:|left to do)\b|下一步|接下来|还需要/i;

/** The latest todo list: TodoWrite, a task_reminder, or TaskCreate/TaskUpdate calls replayed. */
function latestTodos(context: CompressContext): TodoItem[] | undefined {
  let todos: TodoItem[] | undefined;
  let todoStep = -1;
  const tasks = new Map<string, TodoItem>();
  let taskStep = -1;
  context.timeline.events.forEach((event, index) => {
    if (event.isSidechain && !context.timeline.sidechainOnly) return;
    if (event.todos && event.kind !== "tool_results") {
      todos = event.todos;
      todoStep = index;
    }
    for (const call of event.toolCalls) {
      const input = call.input;
      if (call.name === "TaskCreate" && typeof input["subject"] === "string") {
        tasks.set(String(tasks.size + 1), { content: input["subject"], status: "pending" });
        taskStep = index;
      } else if (call.name === "TaskUpdate" && typeof input["taskId"] === "string") {
        const task = tasks.get(input["taskId"]);
        const status = input["status"];
        if (task && (status === "pending" || status === "in_progress" || status === "completed")) task.status = status;
        if (task && status === "deleted") tasks.delete(input["taskId"]);
        taskStep = index;
      }
    }
  });
  if (taskStep > todoStep && tasks.size > 0) return [...tasks.values()];
  return todos;
}

/** List items under a "Next steps" style heading, or next-step sentences, of a text. */
function nextItemsIn(text: string): string[] {
  const items: string[] = [];
  const lines = text.split("\n");
  let inNext = false;
  for (const line of lines) {
    const trimmed = line.trim();
    if (NEXT_HEADING.test(trimmed.replace(/^[-*]\s+/, ""))) {
      inNext = true;
      const rest = trimmed.replace(NEXT_HEADING, "").replace(/^[*:\s-]+/, "");
      if (rest.length > 8) items.push(rest);
      continue;
    }
    if (inNext) {
      const bullet = /^(?:[-*•]|\d+[.)]|- \[ \])\s+(.*)$/.exec(trimmed);
      if (bullet?.[1]) items.push(bullet[1]);
      else if (trimmed === "" && items.length > 0) inNext = false;
      else if (/^#+\s/.test(trimmed)) inNext = false;
    }
  }
  if (items.length === 0) items.push(...sentences(text).filter((sentence) => NEXT_SENTENCE.test(sentence)));
  return items.map((item) => plainText(item)).filter((item) => item.length > 3);
}

/** The assistant's words after the last user prompt (the closing message of the session). */
function closingWords(steps: readonly Step[], sidechainOnly: boolean): string[] {
  const texts: string[] = [];
  for (let index = steps.length - 1; index >= 0; index -= 1) {
    const step = steps[index];
    if (!step) continue;
    if (step.kind === "prompt") break;
    if (step.kind === "say" && (sidechainOnly || !step.event.isSidechain)) texts.unshift(step.text);
  }
  return texts;
}

function phaseOf(context: CompressContext, blockers: string[], todos: TodoItem[] | undefined): string {
  const actions = context.timeline.actions.slice(-Math.max(8, Math.ceil(context.timeline.actions.length / 4)));
  const active = todos?.find((todo) => todo.status === "in_progress");
  let label = "discussion";
  if (actions.length > 0) {
    const score = { implementing: 0, deploying: 0, testing: 0, researching: 0 };
    for (const action of actions) {
      const command = bashCommand(action);
      if (/^(Write|Edit|MultiEdit|NotebookEdit)$/.test(action.call.name)) score.implementing += 2;
      else if (/^(Read|Grep|Glob|WebSearch|WebFetch|LS)$|^mcp__/.test(action.call.name)) score.researching += 1;
      else if (command !== undefined) {
        if (/\b(deploy|docker|kubectl|systemctl|ssh|scp|rsync|git push|nginx|helm|terraform)\b/.test(command)) score.deploying += 2;
        else if (/\b(test|pytest|jest|check|verify|curl)\b/.test(command)) score.testing += 2;
        else if (isInspection(command)) score.researching += 1;
        else score.implementing += 1;
      }
    }
    label = Object.entries(score).sort((a, b) => b[1] - a[1])[0]?.[0] ?? label;
  }
  if (blockers.length > 0) label = "blocked";
  else if (todos && todos.length > 0 && todos.every((todo) => todo.status === "completed")) label = "done";
  return active ? `${label}: ${shorten(relativize(context.redact(active.content), context), 140)}` : label;
}

export function collectState(context: CompressContext, problems: readonly FoundProblem[]): SessionState {
  const { steps, sidechainOnly, actions } = context.timeline;
  const clean = (text: string, max: number) => shorten(relativize(context.redact(text), context), max);
  const todos = latestTodos(context);
  const done = (todos ?? []).filter((todo) => todo.status === "completed").map((todo) => clean(todo.content, 140));
  const open = (todos ?? [])
    .filter((todo) => todo.status !== "completed")
    .sort((a, b) => (a.status === "in_progress" ? -1 : 0) - (b.status === "in_progress" ? -1 : 0))
    .map((todo) => clean(`${todo.status === "in_progress" ? "(in progress) " : ""}${todo.content}`, 140));

  const nextActions: string[] = [];
  const closing = closingWords(steps, sidechainOnly);
  for (const text of closing) nextActions.push(...nextItemsIn(text).map((item) => clean(item, 160)));
  const lastWords = closing[closing.length - 1];
  // A question to the user at the very end (not a rhetorical heading inside the answer).
  const question = lastWords
    ? sentences(lastWords)
        .slice(-3)
        .filter(
          (sentence) =>
            /[?？]$/.test(sentence) &&
            /\b(you|should i|shall i|want me|would you|do you|let me know)\b|你|您|要我|需要我|是否/i.test(sentence),
        )
        .pop()
    : undefined;
  if (question) nextActions.unshift(clean(`awaiting user: ${question}`, 180));
  const lastStep = steps[steps.length - 1];
  const lastAction = actions[actions.length - 1];
  if (lastAction && lastAction.outcome === "unknown" && lastStep?.kind === "action") {
    nextActions.unshift(clean(`unfinished when the transcript ends: ${describeAction(lastAction, context)}`, 180));
  }
  const recap = [...steps].reverse().find((step) => step.kind === "recap");
  const lastCompact = [...steps].reverse().find((step) => step.kind === "compact_summary");
  const compactIsLatest = lastCompact !== undefined && steps.indexOf(lastCompact) >= steps.length - 3;
  if (compactIsLatest && lastCompact.kind === "compact_summary") {
    const sections = parseCompactSummary(lastCompact.text);
    nextActions.push(...sections.nextStep.map((item) => clean(item, 200)));
    if (open.length === 0) open.push(...sections.pendingTasks.map((item) => clean(item, 140)));
  }
  if (nextActions.length === 0 && recap?.kind === "recap") {
    const next = /\bnext (action|step)s? (is|are|:)\s*(.+)$/i.exec(recap.text)?.[3];
    nextActions.push(clean(next ?? recap.text, 200));
  }

  // Blockers: problems still unresolved in the final stretch (since the user's last real request).
  const blockers: string[] = [];
  let finalStretch = 0;
  steps.forEach((step, index) => {
    if (step.kind === "prompt" && !isContinuation(step.text)) finalStretch = index;
  });
  for (const problem of problems) {
    if (!problem.resolved && !problem.weak && problem.step >= finalStretch) blockers.push(clean(problem.problem, 200));
  }
  const endingErrors: string[] = [];
  for (let index = steps.length - 1; index >= 0; index -= 1) {
    const step = steps[index];
    if (step?.kind === "command" || step?.kind === "interrupt") continue;
    if (step?.kind !== "api_error") break;
    endingErrors.unshift(step.text);
  }
  if (endingErrors.length > 0) blockers.push(clean(`session ended on API errors: ${endingErrors[0] ?? ""}`, 200));

  const state: SessionState = {
    done: uniqueBy(done, dedupeKey),
    open: uniqueBy(open, dedupeKey),
    nextActions: uniqueBy(nextActions, dedupeKey).slice(0, 8),
    blockers: uniqueBy(blockers, dedupeKey).slice(0, 4),
  };
  state.phase = phaseOf(context, state.blockers, todos);
  return state;
}
