// The tools of `msp mcp`: what Claude can look up mid-session (search, one item in full, the
// project's recent work, known failures) and what it can save (a note or a decision). Each takes
// the folder's scope, sends only redacted text, answers within a character budget, and throws
// McpToolError (or the platform's own errors) for the server to turn into a tool error.
import { redactText } from "@msp/redaction";
import { summaryPreferenceOf } from "../local/cli-config";
import { ApiError } from "../platform/http-json";
import type { FailurePattern, MemoryScope, RecallResponse, WorkItem, WorkSession } from "../platform/platform-types";
import { quoteFilter } from "../platform/platform-client";
import type { WorkScope } from "../spool/spool-event";
import { memoryScopeOf } from "../spool/spool-event";
import { describeScope } from "../commands/folder-recall";
import type { McpContext } from "./mcp-context";
import { McpToolError } from "./mcp-context";

/** Characters of text a search (and each other lookup) answers with: about 1,000 tokens of Claude's context. */
export const toolBudgetChars = 4_000;
/** The most an item in full may take (the recall service's own largest budget). */
export const itemBudgetChars = 10_000;
/** Longest query sent to recall, as UserPromptSubmit caps it. */
const maxQueryChars = 1_000;
const timeoutMs = 20_000;

export type SearchScope = "project" | "client";

export interface MemorySearchArgs {
  query: string;
  limit?: number | undefined;
  scope?: SearchScope | undefined;
}

export interface MemoryGetArgs {
  short_id: string;
}

export interface ProjectTimelineArgs {
  limit?: number | undefined;
}

export interface KnownFailuresArgs {
  host?: string | undefined;
  error?: string | undefined;
}

export type SnippetCategoryName = "configuration" | "lesson_learned" | "pattern" | "command" | "tech_decision";

export interface MemorySaveArgs {
  kind: "note" | "decision";
  title: string;
  text: string;
  tags?: string[] | undefined;
  category?: SnippetCategoryName | undefined;
}

/** Text on one line: runs of whitespace and control characters become one space. */
export function oneLine(text: string): string {
  return text.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").trim();
}

/** At most `max` characters, ending with "…" when cut, never splitting a surrogate pair. */
export function trimTo(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return "";
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** Lines joined while they fit in `budget` characters; what does not fit is counted in a last line. */
export function fitLines(lines: readonly string[], budget: number, what = "lines"): string {
  const kept: string[] = [];
  let used = 0;
  for (const [index, line] of lines.entries()) {
    const cost = line.length + (kept.length > 0 ? 1 : 0);
    if (used + cost > budget) {
      const left = lines.length - index;
      const note = `… ${left} more ${what} left out (${budget} characters)`;
      if (used + note.length + 1 > budget && kept.length > 0) used -= kept.pop()!.length + 1;
      kept.push(note);
      break;
    }
    kept.push(line);
    used += cost;
  }
  return kept.join("\n");
}

/** Text with secrets replaced, and how many were. */
function redacted(text: string): { text: string; count: number } {
  const result = redactText(text);
  return { text: result.text, count: result.total };
}

/** An enum name without its prefix, lower-case: WORK_ITEM_STATUS_COMPLETED -> completed. */
function enumWord(value: string | undefined, prefix: string): string {
  if (!value) return "";
  return (value.startsWith(prefix) ? value.slice(prefix.length) : value).toLowerCase().replace(/_/g, " ");
}

function day(time: string | undefined): string {
  return time && /^\d{4}-\d{2}-\d{2}/.test(time) ? time.slice(0, 10) : "";
}

/** The header of an answer: what the folder's memory is. */
function scopeLabel(context: McpContext, scope: WorkScope): string {
  return describeScope(scope, context.clientName(scope.clientId));
}

/** The recall scope: the folder's (project, repository, client, machine), or only the client's. */
function recallScope(context: McpContext, scope: WorkScope, which: SearchScope): MemoryScope {
  const config = context.config();
  const full = memoryScopeOf(scope, config);
  if (which === "project") return full;
  if (!scope.clientId)
    throw new McpToolError(
      'this folder belongs to no client (no project): search with scope "project" instead, or tie the folder to a project with msp link --project ...',
    );
  return {
    ...(full.machineId ? { machineId: full.machineId } : {}),
    ...(full.machineName ? { machineName: full.machineName } : {}),
    clientId: scope.clientId,
  };
}

/**
 * A recall's lines without its own header and footer (the tool's header says the same, and the
 * footer names `msp recall --id` where Claude has memory_get), less the items in `drop`.
 */
export function recalledLines(answer: RecallResponse, drop: ReadonlySet<string> = new Set()): string {
  const dropped = (answer.items ?? []).filter((item) => item.id && drop.has(item.id)).map((item) => `[${item.kind} ${item.shortId} `);
  return (answer.text ?? "")
    .split("\n")
    .filter((line) => !/^# Memory from earlier sessions/.test(line) && !/^Full item: msp recall --id /.test(line))
    .filter((line) => !dropped.some((tag) => line.includes(tag)))
    .join("\n")
    .trim();
}

/** memory_search: recall for the folder's scope with a query, within the budget. */
export async function memorySearch(context: McpContext, args: MemorySearchArgs): Promise<string> {
  const query = redacted(oneLine(args.query)).text.slice(0, maxQueryChars);
  if (!query) throw new McpToolError("query: say what to look for, such as an error message, a host or a topic");
  const scope = await context.scope();
  const answer: RecallResponse = await context.platform().recall(
    {
      scope: recallScope(context, scope, args.scope ?? "project"),
      query,
      budgetChars: toolBudgetChars,
      ...(args.limit ? { maxItems: args.limit } : {}),
      ...summaryPreferenceOf(context.config()),
    },
    timeoutMs,
  );
  const items = answer.items ?? [];
  const header = `# Memory of ${scopeLabel(context, scope)}${args.scope === "client" ? " (the whole client)" : ""}, query "${trimTo(query, 200)}": ${items.length} item${items.length === 1 ? "" : "s"}`;
  const body = recalledLines(answer);
  if (!body || items.length === 0) return `${header}\n(nothing found; try other words, or scope "client")`;
  return `${header}; each line: [kind short_id date machine]\n${trimTo(body, toolBudgetChars)}\n(memory_get with a short id shows an item in full)`;
}

/** memory_get: one item in full, by the short id a search or the session start showed. */
export async function memoryGet(context: McpContext, args: MemoryGetArgs): Promise<string> {
  const shortId = args.short_id.trim().toLowerCase();
  if (!/^[a-z2-7]{8}$/.test(shortId))
    throw new McpToolError(
      `short_id: "${trimTo(args.short_id, 40)}" is not a short id (8 characters a-z and 2-7, as the [kind short_id date] tags show them)`,
    );
  try {
    const item = await context.platform().getMemoryItem(shortId, timeoutMs);
    const about = [
      item.kind ? `kind ${item.kind}` : "",
      day(item.time) ? `from ${day(item.time)}` : "",
      item.machineName ? `on ${item.machineName}` : "",
    ].filter(Boolean);
    const text = item.text || `${item.title ?? ""}`;
    return trimTo(`${text}${about.length > 0 ? `\n\n(${about.join(", ")})` : ""}`, itemBudgetChars);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404)
      throw new McpToolError(`no memory item ${shortId}: short ids come from memory_search answers and the memory shown at session start`);
    throw error;
  }
}

/** The sessions a folder's timeline lists: its project's, else its client's, else this machine's. */
function timelineFilter(scope: WorkScope, machineId: string): { filter: string; about: string } {
  if (scope.projectId) return { filter: `project_id = ${quoteFilter(scope.projectId)}`, about: "" };
  if (scope.clientId)
    return { filter: `client_id = ${quoteFilter(scope.clientId)}`, about: " (the client's sessions: this folder has no project)" };
  return {
    filter: `machine_id = ${quoteFilter(machineId)}`,
    about: " (this machine's sessions: the folder belongs to no project; msp link --project ... ties it to one)",
  };
}

function workItemLine(item: WorkItem): string {
  const category = enumWord(item.category, "WORK_ITEM_CATEGORY_");
  const status = enumWord(item.status, "WORK_ITEM_STATUS_");
  const parts = [
    item.problem && `problem: ${item.problem}`,
    item.cause && `cause: ${item.cause}`,
    item.fix && `fix: ${item.fix}`,
    item.verify && `verify: ${item.verify}`,
  ].filter(Boolean);
  const body = parts.length > 0 ? parts.join("; ") : (item.description ?? "");
  const systems = item.affectedSystems?.length ? ` [${item.affectedSystems.join(", ")}]` : "";
  return trimTo(
    `  - ${category ? `(${category}${status && status !== "completed" ? `, ${status}` : ""}) ` : ""}${oneLine(item.title ?? "")}${systems}${body ? `: ${oneLine(body)}` : ""}`,
    400,
  );
}

/** project_timeline: the folder's project's recent sessions, newest first, with their work items. */
export async function projectTimeline(context: McpContext, args: ProjectTimelineArgs): Promise<string> {
  const limit = Math.min(Math.max(args.limit ?? 5, 1), 20);
  const config = context.config();
  const platform = context.platform();
  const scope = await context.scope();
  const { filter, about } = timelineFilter(scope, config.machineId);
  const { items: sessions } = await platform.listRecentSessions(filter, limit, timeoutMs);
  const header = `# Recent work of ${scopeLabel(context, scope)}${about}, newest first`;
  if (sessions.length === 0) return `${header}\n(no sessions recorded yet)`;
  const [workItems, machineNames] = await Promise.all([
    Promise.all(sessions.map((session) => platform.listSessionWorkItems(session.id, 25, timeoutMs).then((page) => page.items))),
    machineNamesOf(context, sessions),
  ]);
  // Each session gets an equal share of the budget, so the newest cannot crowd out the others.
  const share = Math.max(300, Math.floor((toolBudgetChars - header.length) / sessions.length));
  const blocks = sessions.map((session, i) => fitLines(sessionLines(session, workItems[i] ?? [], machineNames), share, "work items"));
  return fitLines([header, ...blocks], toolBudgetChars, "sessions");
}

function sessionLines(session: WorkSession, items: readonly WorkItem[], machineNames: ReadonlyMap<string, string>): string[] {
  const machine = session.machineId ? machineNames.get(session.machineId) : undefined;
  const facts = [
    day(session.startedAt) || "undated",
    machine ? `on ${machine}` : "",
    enumWord(session.status, "SESSION_STATUS_"),
    session.durationMinutes ? `${session.durationMinutes} min` : "",
  ].filter(Boolean);
  const lines = [`## ${facts.join(" · ")}: ${trimTo(oneLine(session.title ?? "(untitled session)"), 200)}`];
  if (session.summary) lines.push(`  ${trimTo(oneLine(session.summary), 600)}`);
  lines.push(...items.map(workItemLine));
  return lines;
}

/** The machines' names (best effort: an unknown machine stays unnamed). */
async function machineNamesOf(context: McpContext, sessions: readonly WorkSession[]): Promise<Map<string, string>> {
  const config = context.config();
  const names = new Map<string, string>([[config.machineId, config.machineName]]);
  const unknown = [...new Set(sessions.map((s) => s.machineId).filter((id): id is string => !!id && !names.has(id)))];
  await Promise.all(
    unknown.map(async (id) => {
      try {
        const machine = await context.platform().getMachine(id, 5_000);
        const name = machine.friendlyName || machine.hostname;
        if (name) names.set(id, name);
      } catch {
        // not readable with this key: the line goes without a name
      }
    }),
  );
  return names;
}

/** Lower-case words of 3 characters or more (placeholders such as <path> drop out). */
function wordsOf(text: string): string[] {
  return [...new Set(text.toLowerCase().match(/[a-z0-9_.:'-]{3,}/g) ?? [])]
    .map((w) => w.replace(/^[.:'-]+|[.:'-]+$/g, ""))
    .filter((w) => w.length >= 3);
}

/** How well a pattern matches the host and error asked about (their scores added up): 0 means not at all. */
export function failureMatch(pattern: FailurePattern, host: string, error: string): number {
  return hostScore(pattern, host) + errorScore(pattern, error);
}

/** 2 when the pattern was met on the host (or a name of it), 1 when its text names the host. */
function hostScore(pattern: FailurePattern, host: string): number {
  if (!host) return 0;
  const wanted = host.toLowerCase();
  const own = (pattern.host ?? "").toLowerCase();
  if (own && (own === wanted || own.startsWith(`${wanted}.`) || wanted.startsWith(`${own}.`))) return 2;
  const texts = [pattern.errorPattern, pattern.description, ...(pattern.triggeringCommands ?? [])];
  return texts.some((text) => (text ?? "").toLowerCase().includes(wanted)) ? 1 : 0;
}

/** 1 plus the share of words the error and the pattern have in common, when at least half are. */
function errorScore(pattern: FailurePattern, error: string): number {
  if (!error) return 0;
  const haystack = [pattern.errorPattern, pattern.description, pattern.rootCause].join(" ").toLowerCase();
  const asked = wordsOf(error);
  const askedFound = asked.length === 0 ? 0 : asked.filter((word) => haystack.includes(word)).length / asked.length;
  // A long error pasted whole still matches a short pattern whose words it all contains.
  const own = wordsOf(pattern.errorPattern ?? "");
  const lowered = error.toLowerCase();
  const ownFound = own.length === 0 ? 0 : own.filter((word) => lowered.includes(word)).length / own.length;
  const best = Math.max(askedFound, ownFound);
  return best >= 0.5 ? 1 + best : 0;
}

function failureLine(pattern: FailurePattern): string {
  const facts = [
    pattern.host ? `host ${pattern.host}` : "",
    pattern.occurrenceCount ? `seen ${pattern.occurrenceCount} time${pattern.occurrenceCount === 1 ? "" : "s"}` : "",
    day(pattern.lastSeenAt) ? `last ${day(pattern.lastSeenAt)}` : "",
    enumWord(pattern.severity, "FAILURE_SEVERITY_"),
  ].filter(Boolean);
  const error = oneLine(pattern.errorPattern || pattern.description || "(no error text)");
  const cause = pattern.rootCause ? ` cause: ${oneLine(pattern.rootCause)};` : "";
  const fix = pattern.recommendedSolution ? ` fix: ${oneLine(pattern.recommendedSolution)}` : " no fix recorded yet";
  const commands = pattern.triggeringCommands?.length
    ? `; met running: ${pattern.triggeringCommands.slice(0, 2).map(oneLine).join(" | ")}`
    : "";
  return trimTo(`- ${error} (${facts.join(", ")}) ->${cause}${fix}${commands}`, 600);
}

/** known_failures: failure patterns for a host or an error, with what memory says about them. */
export async function knownFailures(context: McpContext, args: KnownFailuresArgs): Promise<string> {
  const host = redacted(oneLine(args.host ?? "")).text.slice(0, 255);
  const error = redacted(oneLine(args.error ?? "")).text.slice(0, maxQueryChars);
  if (!host && !error) throw new McpToolError("give a host (such as web01 or 10.0.0.5), an error message, or both");
  const platform = context.platform();
  const scope = await context.scope();
  const filter = ["is_active = true", ...(scope.clientId ? [`client_id = ${quoteFilter(scope.clientId)}`] : [])].join(" AND ");
  const [patterns, recalled] = await Promise.all([
    platform.listFailurePatterns(filter, 200, timeoutMs).then((page) => page.items),
    platform.recall(
      {
        scope: memoryScopeOf(scope, context.config()),
        query: [host, error].filter(Boolean).join(" ").slice(0, maxQueryChars),
        budgetChars: 2_000,
        maxItems: 8,
        ...summaryPreferenceOf(context.config()),
      },
      timeoutMs,
    ),
  ]);
  const matched = patterns
    .map((pattern) => ({ pattern, score: failureMatch(pattern, host, error) }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score || (b.pattern.occurrenceCount ?? 0) - (a.pattern.occurrenceCount ?? 0))
    .map((m) => m.pattern);
  const asked = [host ? `host ${host}` : "", error ? `error "${trimTo(error, 200)}"` : ""].filter(Boolean).join(", ");
  const header = `# Known failures for ${asked} (${scopeLabel(context, scope)})`;
  const found =
    matched.length > 0 ? fitLines(matched.map(failureLine), 2_400, "failure patterns") : "(no recorded failure pattern matches)";
  // A pattern listed above is not repeated among the related items.
  const related = (recalled.items?.length ?? 0) > 0 ? recalledLines(recalled, new Set(matched.map((p) => p.id))) : "";
  return trimTo(`${header}\n${found}${related ? `\n## Related memory\n${related}` : ""}`, toolBudgetChars);
}

const snippetCategories: Record<SnippetCategoryName, string> = {
  configuration: "SNIPPET_CATEGORY_CONFIGURATION",
  lesson_learned: "SNIPPET_CATEGORY_LESSON_LEARNED",
  pattern: "SNIPPET_CATEGORY_PATTERN",
  command: "SNIPPET_CATEGORY_COMMAND",
  tech_decision: "SNIPPET_CATEGORY_TECH_DECISION",
};

/** memory_save: a note (context snippet) or a decision (decision log) in the project's memory, redacted first. */
export async function memorySave(context: McpContext, args: MemorySaveArgs): Promise<string> {
  const title = redacted(oneLine(args.title));
  const text = redacted(args.text.trim());
  const tags = (args.tags ?? []).map((tag) => redacted(oneLine(tag)).text.toLowerCase()).filter((tag) => tag !== "" && tag.length <= 64);
  if (!title.text) throw new McpToolError("title: a short title is required");
  if (!text.text) throw new McpToolError("text: the note or the decision's reasons are required");
  const config = context.config();
  const scope = await context.scope();
  if (!scope.projectId && !scope.repository && !scope.clientId)
    throw new McpToolError(
      `this folder (${scope.cwd}) belongs to no project and has no git remote, so a note saved here would not be found again; tie it to a project first: msp link --project ...`,
    );
  const where = {
    ...(scope.projectId ? { projectId: scope.projectId } : {}),
    ...(scope.clientId ? { clientId: scope.clientId } : {}),
    ...(scope.repository ? { repository: scope.repository } : {}),
    machineId: config.machineId,
    machineName: config.machineName,
    ...(tags.length > 0 ? { tags: [...new Set(tags)].slice(0, 20) } : {}),
  };
  const platform = context.platform();
  let saved: { id: string; what: string };
  try {
    if (args.kind === "decision") {
      const decision = await platform.createDecisionLog({ ...where, decision: title.text, rationale: text.text }, timeoutMs);
      saved = { id: decision.id, what: "decision" };
    } else {
      const snippet = await platform.createContextSnippet(
        {
          ...where,
          category: snippetCategories[args.category ?? "pattern"],
          title: title.text,
          denseContent: text.text,
          // Saved on purpose mid-session: worth more than what a transcript's compression picks.
          importance: 7,
        },
        timeoutMs,
      );
      saved = { id: snippet.id, what: "note" };
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return `Already in the memory of ${scopeLabel(context, scope)}: ${error.detail}`;
    throw error;
  }
  const secrets = title.count + text.count + (args.tags ?? []).reduce((n, tag) => n + redacted(tag).count, 0);
  return [
    `Saved the ${saved.what} "${trimTo(title.text, 120)}" to the memory of ${scopeLabel(context, scope)} (id ${saved.id}).`,
    secrets > 0 ? `${secrets} secret${secrets === 1 ? " was" : "s were"} redacted before it left this machine.` : "",
    "memory_search finds it from now on, on every machine of this project.",
  ]
    .filter(Boolean)
    .join("\n");
}
