import type { CompressedSession } from "@msp/transcript";
import { commandWorthKeeping, isInspection, isProgramRun } from "@msp/transcript";
import { contentHash } from "../content-hash";
import { normalizeSubject } from "../decision-supersession";
import { normalizeTags } from "../tags";
import type { ContextPlan, DecisionPlan, DecisionType, IngestPlan, ProjectStatePlan, SnippetPlan } from "./ingest-plan";

/** Longest title stored. */
const maxTitleChars = 512;
/** Longest dense summary stored. */
const maxSummaryChars = 65_535;
/** At most this many commands of a session become command snippets. */
const maxCommandSnippets = 40;
/** At most this many tags on a snippet or decision (those of the session its text mentions). */
const maxItemTags = 10;

/**
 * What one compressed session stores: the context, its decisions, its snippets (problems as
 * lesson_learned in the Problem / Cause / Fix / Verify form, the commands that mattered, the
 * compressor's snippets) and the project state. Content hashes and subject keys are left empty
 * here: `withKeys` takes them once every text is redacted.
 */
export function planFromSession(session: CompressedSession, claudeSessionId: string): IngestPlan {
  const tags = normalizeTags(session.tags);
  const title = cut(session.title.trim(), maxTitleChars) || `Claude session ${claudeSessionId.slice(0, 8)}`;
  const denseSummary = cut(session.denseSummary.trim(), maxSummaryChars) || title;
  const keyDecisions = session.decisions.map(decisionLine);
  const context: ContextPlan = {
    title,
    denseSummary,
    contentHash: "",
    keyDecisions,
    currentState: {
      phase: session.state.phase ?? "",
      done: session.state.done,
      open: session.state.open,
      next_actions: session.state.nextActions,
      blockers: session.state.blockers,
    },
    tags,
    importance: importanceOf(session),
    sourceTokens: session.sourceTokens,
    summaryTokens: session.summaryTokens,
    cwd: session.cwd ?? null,
    gitBranch: session.gitBranch ?? null,
    startedAt: dateOrNull(session.startedAt),
    endedAt: dateOrNull(session.endedAt),
  };
  const decisions: DecisionPlan[] = session.decisions.map((d) => ({
    decision: d.decision,
    rationale: d.rationale ?? null,
    subject: d.subject.trim() === "" ? null : cut(d.subject.trim(), 255),
    subjectKey: null,
    decisionType: decisionTypeOf(`${d.subject} ${d.decision} ${d.rationale ?? ""}`),
    tags: tagsMentioned(tags, `${d.subject} ${d.decision} ${d.rationale ?? ""}`),
  }));
  const snippets: SnippetPlan[] = [
    ...session.problems.map((p) => problemSnippet(p, tags)),
    ...session.commands
      .filter((c) => keptAsCommandSnippet(c, session.problems))
      .slice(0, maxCommandSnippets)
      .map((c) => commandSnippet(c, tags)),
    // A decision is stored once, as a decision: not again as a snippet of the same words.
    ...session.snippets
      .filter((s) => s.category !== "tech_decision")
      .map((s) => ({
        category: s.category,
        title: cut(s.title, maxTitleChars),
        denseContent: s.content,
        structuredData: null,
        tags: tagsMentioned(tags, `${s.title} ${s.content}`),
        importance: 5,
        contentHash: "",
      })),
  ];
  return { context, decisions, snippets, projectState: projectStateOf(session, title, keyDecisions) };
}

/** A decision as one line of the context's key decisions. */
export function decisionLine(d: CompressedSession["decisions"][number]): string {
  return d.rationale ? `${d.decision} (why: ${d.rationale})` : d.decision;
}

/** The Problem / Cause / Fix / Verify form of a problem met in a session. */
export function problemText(p: CompressedSession["problems"][number]): string {
  return [
    `Problem: ${p.problem}`,
    ...(p.cause ? [`Cause: ${p.cause}`] : []),
    ...(p.fix ? [`Fix: ${p.fix}`] : []),
    ...(p.verify ? [`Verify: ${p.verify}`] : []),
  ].join("\n");
}

function problemSnippet(p: CompressedSession["problems"][number], tags: readonly string[]): SnippetPlan {
  const text = problemText(p);
  return {
    category: "lesson_learned",
    title: cut(p.problem.split("\n")[0] ?? p.problem, 200),
    denseContent: text,
    structuredData: { problem: p.problem, cause: p.cause ?? null, fix: p.fix ?? null, verify: p.verify ?? null },
    tags: tagsMentioned(tags, text),
    // A problem with its fix is what saves the next session the most time.
    importance: p.fix ? 7 : 5,
    contentHash: "",
  };
}

/**
 * A command becomes a snippet when it failed (what not to do again), printed a value worth keeping
 * (its note: a version, "Created symlink ...", unless it only looked around), or changed something (installed, configured,
 * deployed); a routine run that worked (`python3 x.py`, `npm test`, a restart) is not one.
 */
export function commandSnippetWorthy(c: CompressedSession["commands"][number]): boolean {
  // A look-around's value (`echo $ANDROID_HOME`) stays in the session's summary, not a snippet of its own.
  return c.ok === false || commandWorthKeeping(c.command) || (c.note !== undefined && !isProgramRun(c.command) && !isInspection(c.command));
}

/** Whether a command of the session becomes a command snippet: worth one, and not already one of its problems. */
export function keptAsCommandSnippet(c: CompressedSession["commands"][number], problems: CompressedSession["problems"]): boolean {
  return commandSnippetWorthy(c) && !shownAsProblem(c, problems);
}

/** A failed command that a problem of the session already names: the problem, with its fix, is its memory. */
function shownAsProblem(c: CompressedSession["commands"][number], problems: CompressedSession["problems"]): boolean {
  const firstLine = (c.command.split("\n")[0] ?? c.command).trim();
  return c.ok === false && firstLine !== "" && problems.some((p) => p.problem.includes(firstLine));
}

function commandSnippet(c: CompressedSession["commands"][number], tags: readonly string[]): SnippetPlan {
  const outcome = c.ok === undefined ? "no result" : c.ok ? "ok" : "failed";
  const firstLine = c.command.split("\n")[0] ?? c.command;
  return {
    category: "command",
    title: cut(`${c.ok === false ? "failed: " : ""}${firstLine}`, 200),
    denseContent: c.note ? `${c.command}\n# ${c.note}` : c.command,
    structuredData: { command: c.command, runs: c.count, outcome, ...(c.note ? { note: c.note } : {}) },
    tags: tagsMentioned(tags, c.command),
    importance: c.ok === false ? 5 : 4,
    contentHash: "",
  };
}

function projectStateOf(session: CompressedSession, title: string, keyDecisions: string[]): ProjectStatePlan {
  return {
    currentPhase: session.state.phase?.trim() || null,
    nextActions: session.state.nextActions,
    blockers: session.state.blockers,
    summary: sessionLine(session, title),
    short: session.sourceTokens < shortSessionTokens,
    keyFiles: [...new Set([...session.filesCreated, ...session.filesChanged])],
    importantDecisions: keyDecisions,
  };
}

/** Below this many tokens of text a session is short: a question asked, a file looked at. */
export const shortSessionTokens = 4_000;

/** "2026-05-16 Move the mail relay to postfix (testing)": the session in the project state's list of recent work. */
export function sessionLine(session: CompressedSession, title: string): string {
  const date = dateOrNull(session.endedAt ?? session.startedAt);
  const phase = session.state.phase?.trim();
  return cut(`${date ? `${date.toISOString().slice(0, 10)} ` : ""}${title}${phase ? ` (${phase})` : ""}`, 300);
}

/**
 * How much a session is worth remembering, 0-10: 5, plus one each for decisions taken,
 * problems solved and work left open, at most 8 (9 and 10 are for people to give).
 */
export function importanceOf(session: CompressedSession): number {
  const s = session.state;
  const open = s.open.length + s.nextActions.length + s.blockers.length > 0;
  return Math.min(8, 5 + (session.decisions.length > 0 ? 1 : 0) + (session.problems.some((p) => p.fix) ? 1 : 0) + (open ? 1 : 0));
}

const decisionTypes: readonly (readonly [DecisionType, RegExp])[] = [
  ["security", /secur|auth|password|credential|secret|firewall|\btls\b|\bssl\b|certificate|permission|encrypt|vault|mfa|2fa/i],
  ["architectural", /architect|design|structure|schema|database|framework|microservice|layer|module|api\b|protocol|migrat/i],
  ["process", /process|workflow|deploy|release|\bci\b|pipeline|review|backup|schedule|convention|naming/i],
];

/** The kind of a decision, from its words; technical when none says otherwise. */
export function decisionTypeOf(text: string): DecisionType {
  for (const [type, pattern] of decisionTypes) if (pattern.test(text)) return type;
  return "technical";
}

/** The session's tags that the text mentions (as words), at most ten. */
export function tagsMentioned(tags: readonly string[], text: string): string[] {
  const lower = text.toLowerCase();
  return tags.filter((tag) => containsWord(lower, tag)).slice(0, maxItemTags);
}

function containsWord(text: string, word: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(word, from);
    if (at === -1) return false;
    const before = at === 0 ? "" : text.charAt(at - 1);
    const after = text.charAt(at + word.length);
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true;
    from = at + 1;
  }
}

/**
 * The keys of a plan, taken from its (redacted) texts: content hashes (snippets with the same
 * content kept once) and the decisions' subject keys.
 */
export function withKeys(plan: IngestPlan): IngestPlan {
  const seen = new Set<string>();
  const snippets: SnippetPlan[] = [];
  for (const snippet of plan.snippets) {
    const hash = contentHash(snippet.denseContent);
    if (seen.has(hash)) continue;
    seen.add(hash);
    snippets.push({ ...snippet, contentHash: hash });
  }
  const decisions = plan.decisions.map((d) => ({ ...d, subjectKey: d.subject === null ? null : normalizeSubject(d.subject) || null }));
  return { ...plan, context: { ...plan.context, contentHash: contentHash(plan.context.denseSummary) }, decisions, snippets };
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function dateOrNull(text: string | undefined): Date | null {
  if (text === undefined) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}
