// Transcript events to the memory of a session: deterministic, no network, no model. Every text
// taken from the transcript passes through the caller's redactor before it is used.
import type { BriefItem } from "./compress/briefs";
import { collectBriefs } from "./compress/briefs";
import { collectCommands, collectCommits, toCommandRun } from "./compress/commands";
import type { CompressContext } from "./compress/compress-context";
import { findWorkDir } from "./compress/compress-context";
import { parseCompactSummary } from "./compress/compact-summary";
import { collectDeadEnds } from "./compress/dead-ends";
import { collectDecisions, toDecision } from "./compress/decisions";
import type { SummaryLine } from "./compress/dense-summary";
import { fitSummaryWithMore } from "./compress/dense-summary";
import type { FilePurpose } from "./compress/file-purpose";
import { collectFilePurposes, purposeLine } from "./compress/file-purpose";
import { collectFiles, isMinorFile } from "./compress/files";
import { collectListings } from "./compress/listings";
import type { Finding } from "./compress/findings";
import { collectFindings } from "./compress/findings";
import { collectGoalTurns, titleFrom } from "./compress/goals";
import { collectProblems, toProblem } from "./compress/problems";
import { collectState } from "./compress/session-state";
import { delegatedWork, lastReport, recaps, structuredResults } from "./compress/session-notes";
import { collectSnippets } from "./compress/snippets";
import { collectHosts, collectServices, collectTags } from "./compress/tags";
import { dedupeKey, shorten } from "./compress/text-tools";
import { bashCommand, buildTimeline, filePathOf } from "./compress/timeline";
import type { CompressOptions, CompressedSession } from "./compressed-session";
import { countTokens } from "./count-tokens";
import { sourceText } from "./source-text";
import type { TranscriptEvent } from "./transcript-event";

/** The summary's characters at most, its "More:" appendix included (the token budget holds too) ... */
export const DEFAULT_MAX_SUMMARY_CHARS = 12_000;
/**
 * ... of which the summary proper, what session start shows, takes at most this many: the rest is
 * the appendix of lines it left out. About what the 8,000-character injection has for the newest
 * session's digest once its header, the project state and a few other items are placed, so the
 * lines chosen by priority are the lines shown.
 */
export const SUMMARY_CORE_CHARS = 6_500;
/** The created files whose purpose line the summary places early (half as many changed); the rest only where budget is left. */
const describedFiles = 2;
/** The summary may use at most this share of the source tokens ... */
export const SUMMARY_TOKEN_RATIO = 0.1;
/**
 * ... but a short session (under 15,000 tokens) may use up to half its size, at most this many
 * tokens: about what the injection gives the newest session's digest, so a short session's
 * details reach the next one instead of a budget left unused.
 */
export const SHORT_SESSION_SUMMARY_TOKENS = 1_500;

/** The default token budget of the summary of a transcript of `sourceTokens` tokens. */
export function summaryTokenBudget(sourceTokens: number): number {
  return Math.max(
    100,
    Math.floor(sourceTokens * SUMMARY_TOKEN_RATIO),
    Math.min(SHORT_SESSION_SUMMARY_TOKENS, Math.floor(sourceTokens / 2)),
  );
}

interface SessionMetadata {
  claudeSessionId?: string;
  cwd?: string;
  gitBranch?: string;
  startedAt?: string;
  endedAt?: string;
  fallbackTitle?: string;
}

function metadataOf(events: readonly TranscriptEvent[]): SessionMetadata {
  const meta: SessionMetadata = {};
  const main = events.filter((event) => !event.isSidechain && event.kind !== "bookkeeping");
  const pool = main.length > 0 ? main : events;
  const first = (pick: (event: TranscriptEvent) => string | undefined) =>
    pool.map(pick).find((value) => value !== undefined && value !== "");
  const sessionId = first((event) => event.sessionId);
  if (sessionId) meta.claudeSessionId = sessionId;
  const cwd = first((event) => event.cwd);
  if (cwd) meta.cwd = cwd;
  const branch = [...pool].reverse().find((event) => event.gitBranch && event.gitBranch !== "HEAD")?.gitBranch;
  if (branch) meta.gitBranch = branch;
  const times = events
    .map((event) => event.timestamp)
    .filter((time): time is string => typeof time === "string" && !Number.isNaN(Date.parse(time)));
  times.sort();
  if (times[0]) meta.startedAt = times[0];
  const last = times[times.length - 1];
  if (last) meta.endedAt = last;
  const title =
    events.find((event) => event.type === "ai-title" && event.text)?.text ??
    events.find((event) => event.kind === "summary" && event.text)?.text;
  if (title) meta.fallbackTitle = title;
  return meta;
}

function validate(events: unknown, options: CompressOptions): void {
  if (!Array.isArray(events)) throw new TypeError("compressTranscript() expects the events returned by parseTranscript()");
  if (options.redact !== undefined && typeof options.redact !== "function") throw new TypeError("options.redact must be a function");
  for (const [name, value] of [
    ["maxSummaryChars", options.maxSummaryChars],
    ["maxSummaryTokens", options.maxSummaryTokens],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 100))
      throw new RangeError(`options.${name} must be an integer of at least 100`);
  }
}

/** Compresses parsed transcript events into the structured memory of the session. */
export function compressTranscript(events: TranscriptEvent[], options: CompressOptions = {}): CompressedSession {
  validate(events, options);
  const redact = options.redact ?? ((text: string) => text);
  const meta = metadataOf(events);
  const timeline = buildTimeline(events);
  const context: CompressContext = { timeline, redact };
  if (meta.cwd) context.cwd = meta.cwd;
  const workDir = findWorkDir(
    timeline.actions.map(filePathOf).filter((path): path is string => path?.startsWith("/") === true),
    timeline.actions
      .map((action) => /^cd\s+(\/[^\s;&|]+)\s*&&/.exec(bashCommand(action) ?? "")?.[1])
      .filter((dir): dir is string => dir !== undefined),
    meta.cwd,
  );
  if (workDir) context.workDir = workDir;

  const goalTurns = collectGoalTurns(context);
  const goals = goalTurns.map((turn) => turn.goal);
  const commandGroups = collectCommands(context);
  const commits = collectCommits(context);
  const files = collectFiles(context);
  const purposes = collectFilePurposes(context);
  const foundProblems = collectProblems(context);
  const foundDecisions = collectDecisions(context);
  const deadEnds = collectDeadEnds(context, foundProblems);
  const state = collectState(context, foundProblems);
  const hosts = collectHosts(context);
  const services = collectServices(context);
  const tags = collectTags(context, hosts);
  const snippets = collectSnippets(context, foundProblems, foundDecisions, purposes);
  const title = redact(titleFrom(goals, meta.fallbackTitle));

  const sourceTokens = countTokens(sourceText(events));
  const maxTokens = options.maxSummaryTokens ?? summaryTokenBudget(sourceTokens);
  const lines = summaryLines({
    title,
    ...(workDir ? { workDir } : {}),
    meta,
    redact,
    goals: goalTurns,
    briefs: collectBriefs(context),
    state,
    problems: foundProblems,
    decisions: foundDecisions,
    deadEnds,
    files,
    purposes,
    commands: commandGroups,
    listings: collectListings(context),
    commits,
    report: lastReport(context),
    findings: collectFindings(context),
    results: structuredResults(context),
    recaps: recaps(context),
    delegated: delegatedWork(context),
    earlier: earlierContext(context),
    hosts,
    services,
    tags,
  });
  const maxChars = options.maxSummaryChars ?? DEFAULT_MAX_SUMMARY_CHARS;
  const coreChars = Math.min(SUMMARY_CORE_CHARS, maxChars);
  const denseSummary = fitSummaryWithMore(lines, coreChars, maxChars - coreChars - 1, maxTokens, countTokens);

  const session: CompressedSession = {
    title,
    goals,
    commands: commandGroups.map(toCommandRun),
    filesCreated: files.created,
    filesChanged: files.changed,
    filePurposes: [...files.created, ...files.changed]
      .map((file) => purposes.get(file))
      .filter((file): file is FilePurpose => file !== undefined && file.purpose !== "")
      .map(purposeLine),
    hosts,
    services,
    problems: foundProblems.map(toProblem),
    decisions: foundDecisions.map(toDecision),
    deadEnds,
    state,
    snippets,
    tags,
    denseSummary,
    sourceTokens,
    summaryTokens: countTokens(denseSummary),
  };
  for (const key of ["claudeSessionId", "cwd", "gitBranch", "startedAt", "endedAt"] as const) {
    const value = meta[key];
    if (value !== undefined) session[key] = redact(value);
  }
  return session;
}

/** Whether a problem's line shows a command group whole: the command uncut, and its note (the count of failed runs aside). */
function saysCommand(problemLine: string, group: ReturnType<typeof collectCommands>[number]): boolean {
  if (!problemLine.includes(`\`${group.command}\``)) return false;
  const note = (group.note ?? "").replace(/^ok after \d+ failed runs?:?\s*/, "").replace(/^exit \d+:\s*/, "");
  return note === "" || problemLine.includes(note);
}

/** Items of the compaction summaries, for work that happened before the transcript's start. */
function earlierContext(context: CompressContext): { items: string[]; only: boolean } {
  const { steps } = context.timeline;
  const compactAt = steps.findIndex((step) => step.kind === "compact_summary");
  if (compactAt === -1) return { items: [], only: false };
  const only = !steps.slice(0, compactAt).some((step) => step.kind === "prompt" || step.kind === "action");
  const items: string[] = [];
  for (const step of steps) {
    if (step.kind !== "compact_summary") continue;
    const sections = parseCompactSummary(context.redact(step.text));
    items.push(...sections.errorsAndFixes.map((item) => `fixed earlier: ${item}`));
    items.push(...sections.problemSolving);
    items.push(...sections.decisions.map((item) => `decided: ${item}`));
    if (only) items.push(...sections.intent.map((item) => `intent: ${item}`));
  }
  return { items: items.map((item) => shorten(item, 260)), only };
}

interface SummaryInput {
  title: string;
  workDir?: string;
  meta: SessionMetadata;
  redact: (text: string) => string;
  goals: ReturnType<typeof collectGoalTurns>;
  briefs: BriefItem[];
  state: CompressedSession["state"];
  problems: ReturnType<typeof collectProblems>;
  decisions: ReturnType<typeof collectDecisions>;
  deadEnds: string[];
  files: ReturnType<typeof collectFiles>;
  /** what each file is for, by its shown path */
  purposes: ReadonlyMap<string, FilePurpose>;
  commands: ReturnType<typeof collectCommands>;
  /** what look-arounds listed: below every other line, only where budget is left */
  listings: string[];
  commits: string[];
  report: { items: string[]; recent: boolean };
  findings: Finding[];
  results: string[][];
  recaps: string[];
  delegated: string[];
  earlier: { items: string[]; only: boolean };
  hosts: string[];
  services: string[];
  tags: string[];
}

function summaryLines(input: SummaryInput): SummaryLine[] {
  const lines: SummaryLine[] = [];
  const add = (section: SummaryLine["section"], text: string, tier: number, group?: string) => {
    if (text.trim() === "") return;
    lines.push(group === undefined ? { section, text, tier } : { section, text, tier, group });
  };
  const { meta, redact } = input;
  add("head", `# ${input.title}`, 0);
  const where = [
    meta.claudeSessionId ? `session ${redact(meta.claudeSessionId).slice(0, 8)}` : "",
    meta.cwd ? `cwd ${redact(meta.cwd)}` : "",
    input.workDir ? `work dir ${redact(input.workDir)}` : "",
    meta.gitBranch ? `branch ${redact(meta.gitBranch)}` : "",
    meta.startedAt
      ? `${meta.startedAt.slice(0, 16).replace("T", " ")} -> ${(meta.endedAt ?? meta.startedAt).slice(0, 16).replace("T", " ")} UTC`
      : "",
  ].filter(Boolean);
  if (where.length > 0) add("head", where.join(" | "), 0);

  const fromEnd = (index: number, length: number) => length - 1 - index;
  input.goals.forEach((turn, index) => {
    const recent = fromEnd(index, input.goals.length);
    const tier = index === 0 ? 0 : recent === 0 ? 1 : recent < 3 ? 2 : index < 3 ? 3 : 4;
    add("goals", turn.outcome ? `${turn.goal} => ${turn.outcome}` : turn.goal, tier);
  });

  // The first brief is the task the session was started for; a later one only where budget is left.
  input.briefs.forEach((item) => add("brief", item.text, item.order === 0 ? 4 : 5));

  const { state } = input;
  if (state.phase) add("state", `phase: ${state.phase}`, 0);
  state.blockers.forEach((blocker) => add("state", `BLOCKER: ${blocker}`, 0));
  // The last result's fields are where the session ended; its lists, and earlier results, where budget is left.
  input.results.forEach((lines, index, all) =>
    lines.forEach((line, at) => add("state", `result: ${line}`, index === all.length - 1 ? (at === 0 ? 0 : 2) : 3)),
  );
  state.nextActions.forEach((next, index) => add("state", `next: ${next}`, index < 4 ? 1 : 3));
  state.open.forEach((item, index) => add("state", `open: ${item}`, index < 4 ? 1 : 3));
  state.done.forEach((item, index, all) => add("state", item, index >= all.length - 6 ? 2 : 3, "done"));
  input.commits.forEach((subject, index, all) => add("state", subject, index >= all.length - 4 ? 2 : 4, "commits"));

  input.report.items.forEach((item, index) => add("report", item, input.report.recent ? (index < 6 ? 2 : 3) : index < 4 ? 3 : 5));
  const byWeight = input.findings.filter((finding) => !finding.minor).sort((a, b) => b.weight - a.weight || b.step - a.step);
  // A minor remark (few specifics, a stated conclusion) only where budget is left.
  const findingTier = (finding: Finding) => {
    if (finding.minor) return 5;
    const rank = byWeight.indexOf(finding);
    return rank < 6 ? 2 : rank < 24 ? 3 : 4;
  };
  const reported = new Set(input.report.items.map(dedupeKey));
  for (const finding of input.findings) if (!reported.has(dedupeKey(finding.text))) add("findings", finding.text, findingTier(finding));
  input.recaps.forEach((recap, index, all) => add("earlier", `recap: ${recap}`, index === all.length - 1 ? 1 : 3));
  input.delegated.forEach((item, index) => add("delegated", item, index < 4 ? 3 : 4));

  const ranked = [...input.problems].sort(
    (a, b) => Number(b.resolved) - Number(a.resolved) || Number(!!b.cause) - Number(!!a.cause) || a.step - b.step,
  );
  // What each problem's line names (the run that failed, its fix, its check), and its tier.
  const problemMentions: SummaryLine[] = [];
  ranked.forEach((problem, index) => {
    const parts = [shorten(problem.problem, 150) + (problem.occurrences > 1 ? ` (x${problem.occurrences})` : "")];
    if (problem.cause) parts.push(`cause: ${shorten(problem.cause, 120)}`);
    if (problem.fix) parts.push(`${problem.resolved ? "fix" : "tried"}: ${shorten(problem.fix, 120)}`);
    if (problem.verify) parts.push(`verified: ${shorten(problem.verify, 80)}`);
    if (!problem.resolved) parts.push("(unresolved)");
    const tier = problem.weak ? 5 : problem.resolved ? (index < 3 ? 1 : index < 6 ? 2 : 4) : index < 6 ? 3 : 5;
    add("problems", parts.join(" -> "), tier);
    const line = lines.at(-1);
    if (line?.section === "problems") problemMentions.push(line);
  });

  // A directive the goals already quote in the user's words is not repeated under Decisions.
  const goalWords = dedupeKey(input.goals.map((turn) => turn.goal).join(" "));
  input.decisions.forEach((decision, index) => {
    if (decision.byUser && goalWords.includes(dedupeKey(decision.decision))) return;
    const text = `${decision.byUser ? "user: " : ""}${decision.decision}${decision.rationale && !decision.decision.includes(decision.rationale) ? ` (why: ${decision.rationale})` : ""}`;
    add("decisions", text, decision.byUser ? 2 : index < 4 ? 3 : 4);
  });
  // A refusal without the user's correction says less than an approach that failed: only where budget is left.
  input.deadEnds.forEach((deadEnd, index) => add("deadEnds", deadEnd, deadEnd.startsWith("refused: ") ? 5 : index < 3 ? 3 : 4));

  // The most talked-about files first, then the latest: central files and what the next session
  // continues from. Code, configuration and scripts before tests, demos and write-ups.
  const ranking = (files: readonly string[]) => {
    const rank = [...files].sort(
      (a, b) =>
        Number(isMinorFile(a)) - Number(isMinorFile(b)) ||
        (input.files.salience.get(b) ?? 0) - (input.files.salience.get(a) ?? 0) ||
        files.indexOf(b) - files.indexOf(a),
    );
    return (file: string) => rank.indexOf(file);
  };
  const addFiles = (files: readonly string[], label: "created" | "changed", keep: number, described: number) => {
    const rankOf = ranking(files);
    const tierOf = (file: string) => (isMinorFile(file) ? 4 : rankOf(file) < keep ? 2 : 3);
    const purposeOf = (file: string) => {
      const purpose = input.purposes.get(file);
      return purpose && purpose.purpose !== "" ? purposeLine(purpose) : undefined;
    };
    // Each by name; its purpose line ("created scripts/backup.sh: nightly pg_dump ...") instead where
    // budget is left: for the first few once the lines of the next tier are placed (a purpose never
    // pushes out a goal or problem of the same rank), for the rest once every line is.
    for (const file of files) {
      const detail = purposeOf(file);
      const detailTier = rankOf(file) < described ? tierOf(file) + 1 : undefined;
      lines.push({
        section: "files",
        text: file,
        tier: tierOf(file),
        group: label,
        ...(detail ? { detail } : {}),
        ...(detail && detailTier !== undefined ? { detailTier } : {}),
      });
    }
  };
  addFiles(input.files.created, "created", 20, describedFiles);
  addFiles(input.files.changed, "changed", 12, describedFiles / 2);

  const commandsByWeight = [...input.commands].sort((a, b) => b.weight - a.weight || a.firstStep - b.firstStep);
  const topCommands = new Set(commandsByWeight.slice(0, 8));
  const nextCommands = new Set(commandsByWeight.slice(8, 20));
  for (const group of input.commands) {
    const outcome = group.ok === true ? "ok" : group.ok === false ? "FAILED" : "no result";
    const text = `\`${group.command}\`${group.count > 1 ? ` x${group.count}` : ""} ${outcome}${group.note ? ` (${group.note})` : ""}`;
    const tier = topCommands.has(group) ? 2 : nextCommands.has(group) ? 3 : 5;
    // A command whose line a problem's line of the same or a higher rank already says in full (the
    // command as the run that failed, its fix or its check, and what it printed) is not listed again.
    if (problemMentions.some((problem) => problem.tier <= tier && saysCommand(problem.text, group))) continue;
    add("commands", text, tier);
  }

  input.listings.forEach((listing) => add("commands", listing, 6));

  input.earlier.items.forEach((item, index) => add("earlier", item, input.earlier.only ? (index < 6 ? 1 : 3) : index < 4 ? 3 : 5));

  input.hosts.forEach((host, index) => add("where", host, index < 4 ? 2 : 4, "hosts"));
  input.services.forEach((service, index) => add("where", service, index < 6 ? 3 : 4, "services"));
  input.tags.forEach((tag, index) => add("where", tag, index < 10 ? 3 : 5, "tags"));
  return lines;
}
