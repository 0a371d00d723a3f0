// The user's goals in their own words: real prompts, without "continue"/"yes" turns, pasted
// documents cut to their first line, and the "think harder" suffixes removed.
import { parseCompactSummary } from "./compact-summary";
import type { CompressContext } from "./compress-context";
import { relativize } from "./compress-context";
import { errorLine, looksLikeErrorLog } from "./error-line";
import { dedupeKey, oneLine, sentences, shorten, uniqueBy } from "./text-tools";

const FILLER = /\s*[,.]?\s*\b(ultrathink|think (harder|hard|deeply|step by step))\b\s*\\?/gi;
const CONTINUATION =
  /^(please\s+)?(continue|go on|go ahead|proceed|keep going|carry on|resume|retry|try again|yes|yep|yeah|y|ok|okay|sure|next|done|thanks?( you)?|good|great|perfect|nice|fine|correct|right|do it|\d{1,2}|是的?|好的?|继续|可以|嗯|对|行)\b[\s\S]{0,60}$/i;

const CONTEXT_LOADING = /^(please\s+)?(load|read|open|check|look at|see|review)\s+(the\s+)?[\w./~-]+\.(md|txt)\s*$/i;

/** A prompt reduced to what it asks: first line (or two short ones), no filler, a pasted document's title kept. */
function gist(prompt: string): string {
  const lines = prompt
    .split("\n")
    .map((line) => line.replace(FILLER, " ").trim())
    .filter((line) => line !== "" && !/^[>`|-]/.test(line) && !/^@@? -\d/.test(line));
  // A paste (table row, shell prompt, log line) first and the question last: the question is the goal.
  const pasted = (line: string) => /[│┌└├─╔║]|^\S+@\S+:\S*\$\s|^\[?\d{4}-\d\d-\d\d|^\s*\|/.test(line);
  const last = lines[lines.length - 1];
  const first = lines.length > 1 && pasted(lines[0] ?? "") && last && !pasted(last) && last.length < 160 ? last : (lines[0] ?? "");
  // "continue from there # Minimal Deployment: Ubuntu on Blockchain": keep the pasted title.
  const inline = /^(.*?\S)\s+#{1,3}\s+(\S.*)$/.exec(first);
  let text = inline ? `${inline[1]} (${inline[2]})` : first.replace(/^#+\s*/, "");
  if (text.length < 40 && lines[1] && lines[1].length < 120) text = `${text} ${lines[1].replace(/^#+\s*/, "")}`;
  return oneLine(text.replace(/\s*@@? -\d+,\d+ \+\d+,\d+ @@?.*$/, "").replace(FILLER, " "));
}

/** A line of a pasted log: a level, a timestamp, a trace frame, a prompt, a path with a line number. */
const LOG_LINE =
  /^\s*(\[[^\]]*\]|\d{4}-\d\d-\d\d|\d\d:\d\d|at \S|File "|\S+@\S+:|[$#>] |\S+:\d+:|(E|W|error|warning|fatal|panic|Traceback)\b)/i;

/**
 * The user's own words after the log they pasted ("this is the problem we had before I installed
 * NetworkManager"): what they know about the error, which the log does not say. Undefined when
 * the paste ends with the log.
 */
export function userRemarkAfterLog(prompt: string): string | undefined {
  const lines = prompt
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const last = lines[lines.length - 1];
  if (lines.length < 2 || last === undefined || LOG_LINE.test(last) || !/\p{L}{2,}(\s+\p{L}{2,}){2}/u.test(last)) return undefined;
  return oneLine(last.replace(FILLER, " "));
}

export function isContinuation(prompt: string): boolean {
  const text = oneLine(prompt.replace(FILLER, " "));
  return text.length < 3 || (CONTINUATION.test(text) && !/\b(but|fix|add|use|create|deploy|install|remove|why|how)\b/i.test(text));
}

/** A goal and how its turn ended: the first sentence of the assistant's last words before the next prompt. */
export interface GoalTurn {
  goal: string;
  outcome?: string;
}

const FILLER_SENTENCE = /^(perfect|great|excellent|done|good|ok(ay)?|sure|got it|you're (absolutely )?right|好的|明白|完成)[!.。！]*$/i;

function outcomeOf(steps: CompressContext["timeline"]["steps"], from: number, context: CompressContext): string | undefined {
  let last: string | undefined;
  for (let index = from + 1; index < steps.length; index += 1) {
    const step = steps[index];
    if (!step || step.kind === "prompt" || step.kind === "command") break;
    if (step.kind === "say" && (!step.event.isSidechain || context.timeline.sidechainOnly)) last = step.text;
  }
  if (!last) return undefined;
  const sentence = sentences(last).find((candidate) => candidate.length > 8 && !FILLER_SENTENCE.test(candidate));
  return sentence ? shorten(relativize(context.redact(sentence), context), 150) : undefined;
}

export function collectGoalTurns(context: CompressContext): GoalTurn[] {
  const turns: GoalTurn[] = [];
  const { steps } = context.timeline;
  // A sentence the user already said in an earlier goal ("We will use postgres 16 only.") is not said again.
  const said = new Set<string>();
  const unsaid = (goal: string): string => {
    const parts = sentences(goal);
    const fresh = parts.filter((sentence) => !said.has(dedupeKey(sentence)));
    for (const sentence of parts) said.add(dedupeKey(sentence));
    return fresh.length === parts.length ? goal : fresh.join(" ");
  };
  steps.forEach((step, index) => {
    if (step.kind !== "prompt" || isContinuation(step.text) || CONTEXT_LOADING.test(step.text.trim())) return;
    const redacted = context.redact(step.text);
    let goal: string | undefined;
    if (looksLikeErrorLog(redacted)) {
      const line = errorLine(redacted);
      const remark = userRemarkAfterLog(redacted);
      if (line) goal = `fix reported error: ${shorten(relativize(line, context), 170)}${remark ? ` (user: ${shorten(remark, 160)})` : ""}`;
    } else {
      const text = unsaid(gist(redacted));
      if (text.length >= 3) goal = shorten(relativize(text, context), 220);
    }
    if (!goal) return;
    const turn: GoalTurn = { goal };
    const outcome = outcomeOf(steps, index, context);
    if (outcome) turn.outcome = outcome;
    turns.push(turn);
  });
  if (turns.length === 0) {
    const compact = steps.find((step) => step.kind === "compact_summary");
    if (compact?.kind === "compact_summary") {
      turns.push(
        ...parseCompactSummary(context.redact(compact.text))
          .intent.slice(0, 3)
          .map((item) => ({ goal: shorten(item, 220) })),
      );
    }
  }
  return uniqueBy(turns, (turn) => dedupeKey(turn.goal).slice(0, 60));
}

/** The user's goals in their words. */
export function collectGoals(context: CompressContext): string[] {
  return collectGoalTurns(context).map((turn) => turn.goal);
}

/** A short title: the first goal's first clause, or the title of the document it pasted. */
export function titleFrom(goals: readonly string[], fallback: string | undefined): string {
  const first = goals.find((goal) => !goal.startsWith("fix reported error")) ?? goals[0] ?? fallback ?? "Claude Code session";
  const pasted = /\(([^()]{8,})\)$/.exec(first)?.[1];
  const clause = pasted ?? first.split(/(?<=[.!?。！？])\s/)[0] ?? first;
  return shorten(clause, 90);
}
