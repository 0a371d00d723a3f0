import { contentHash } from "../content-hash";
import type { Candidate } from "./candidate";
import type { WorkRecord, WorkSessionFacts } from "./work-records";

/** The longest title made from a problem solution's problem (it has no title of its own). */
const maxDerivedTitleChars = 200;

/** Importance 0..10 of a work item by its priority; without one, by what it says (see workImportance). */
const priorityImportance: Record<string, number> = { critical: 9, high: 8, medium: 7, low: 6 };

/** Text compared loosely: lower-case, whitespace collapsed. */
const loose = (text: string) => text.toLowerCase().replace(/\s+/g, " ").trim();

/** The first line of a text, cut to `max` characters. */
function firstLine(text: string, max: number): string {
  const line = (text.trim().split("\n")[0] ?? "").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** A record's title: a work item's own; a problem solution's problem (or symptom, or error) in one line. */
export function workTitle(record: WorkRecord): string {
  if (record.kind === "work_item") return record.title.trim();
  return firstLine(record.problem || record.symptom || record.errorMessage, maxDerivedTitleChars);
}

/**
 * The record's dense text: "Problem: … Cause: … Fix: … Verify: …", one part a line (a recall shows
 * them on one). The part the title already says is left out, so the line says it once; a work
 * item without parts shows its free text; a status other than completed, and a problem that came
 * back, are said at the end.
 */
export function workBody(record: WorkRecord): string {
  const title = loose(workTitle(record));
  const part = (label: string, text: string) => (text.trim() === "" || loose(text) === title ? [] : [`${label}: ${text.trim()}`]);
  const parts = [
    ...part("Problem", record.problem),
    ...part("Symptom", record.symptom),
    ...part("Error", record.errorMessage),
    ...part("Cause", record.cause),
    ...part("Fix", record.fix),
    ...part("Verify", record.verify),
  ];
  if (parts.length === 0 && record.freeText.trim() !== "" && loose(record.freeText) !== title) parts.push(record.freeText.trim());
  if (record.status !== "" && record.status !== "completed") parts.push(`Status: ${record.status.replace(/_/g, " ")}`);
  if (record.recurrenceCount > 0) parts.push(`Came back ${record.recurrenceCount} time${record.recurrenceCount === 1 ? "" : "s"}`);
  return parts.join("\n");
}

/**
 * The hash a problem snippet of the same story has: the recall service stores a problem met in a
 * transcript as "Problem: …\nCause: …\nFix: …\nVerify: …" (session-plan.ts problemText), so a
 * work record telling it in the same words is the same item to dedupe.
 */
export function workContentHash(record: WorkRecord): string | null {
  const problem = record.problem || record.symptom || record.errorMessage;
  const parts = [
    ["Problem", problem],
    ["Cause", record.cause],
    ["Fix", record.fix],
    ["Verify", record.verify],
  ].filter(([, text]) => text!.trim() !== "");
  if (parts.length > 0) return contentHash(parts.map(([label, text]) => `${label}: ${text}`).join("\n"));
  return record.freeText.trim() === "" ? null : contentHash(record.freeText);
}

/**
 * When the work was done, not when it was written down: the record's completion (or creation)
 * within its session's span. A work item the CLI records when a transcript is delivered months
 * later, or one a technician writes up after the fact, is dated by the session it belongs to.
 */
export function workTimeOf(record: WorkRecord, session: WorkSessionFacts | undefined): Date {
  const start = session?.startedAt ?? null;
  const end = session?.endedAt ?? null;
  const recorded = record.completedAt ?? record.createdAt;
  if (!recorded) return end ?? start ?? new Date(0);
  if (end && recorded > end) return end;
  if (start && recorded < start) return start;
  return recorded;
}

/** A problem with its fix saves the next session the most time; a problem that came back, more. */
export function workImportance(record: WorkRecord): number {
  if (record.kind === "problem_solution") return Math.min(9, 7 + record.recurrenceCount);
  const given = priorityImportance[record.priority];
  if (given !== undefined) return given;
  return record.fix.trim() !== "" || record.problem.trim() !== "" ? 7 : 5;
}

/** The systems, technologies, tags and category: what a folder's host or a query's words match. */
function workTags(record: WorkRecord): string[] {
  const tags = [...record.affectedSystems, ...record.technologies, ...record.tags, record.category];
  return [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag !== ""))];
}

const idOrNull = (id: string | undefined) => (id ? id : null);

/**
 * A work record as a recall candidate, scoped by its session's project and client, from its
 * session's machine. In one object literal with every field, in the order memory-rows.ts builds
 * them, so that all candidates share one shape (see candidateOf there).
 */
export function workCandidateOf(record: WorkRecord, session: WorkSessionFacts | undefined): Candidate {
  return {
    kind: record.kind,
    id: record.id,
    title: workTitle(record),
    body: workBody(record),
    tags: workTags(record),
    projectId: idOrNull(session?.projectId),
    clientId: idOrNull(session?.clientId),
    repository: null,
    machineId: idOrNull(session?.machineId),
    machineName: idOrNull(session?.machineName),
    time: workTimeOf(record, session),
    importance: workImportance(record),
    pinned: false,
    usefulCount: 0,
    recallCount: 0,
    lastRecalledAt: null,
    textRelevance: 0,
    contentHash: workContentHash(record),
    subject: null,
    supersededById: null,
    fixKnownWrong: false,
    nextActions: undefined,
    blockers: undefined,
    occurrenceCount: undefined,
    errorPattern: undefined,
    recommendedSolution: undefined,
    credential: undefined,
    memo: undefined,
  };
}
