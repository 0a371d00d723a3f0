import { toDate } from "@msp/resource-kit";
import { credentialPointerOf } from "../credential-pointer";
import type { Candidate, MemoryKind } from "./candidate";
import { isMemoryKind } from "./candidate";

/** A row as either dialect hands it back from a raw SELECT. */
export type StoredRow = Record<string, unknown>;

/** How one memory table is read into candidates: its columns and the mapping of a row. */
export interface MemoryTable {
  kind: MemoryKind;
  table: string;
  /** The resource's name in audit events, as its resource service writes it. */
  resourceName: string;
  /** Whether the table counts recalls and useful marks (project states are always recalled). */
  counted: boolean;
  /** The columns read, the same for every query of the table. */
  columns: readonly string[];
  /** The long text columns among them: a recall reads only their start (see selectList). */
  longText: readonly string[];
  toCandidate(row: StoredRow): Candidate;
}

const text = (value: unknown): string => (typeof value === "string" ? value : Buffer.isBuffer(value) ? value.toString("utf8") : "");
const textOrNull = (value: unknown): string | null => {
  const t = text(value);
  return t === "" ? null : t;
};
const numberOf = (value: unknown, fallback = 0): number => {
  const n = typeof value === "number" ? value : typeof value === "string" || typeof value === "bigint" ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fallback;
};
const truthy = (value: unknown): boolean => value === true || value === 1 || value === "1" || value === "true";
const timeOf = (...values: unknown[]): Date => {
  for (const value of values) if (value !== null && value !== undefined && value !== "") return toDate(value);
  return new Date(0);
};

/** A JSON column (text on SQLite, and from MariaDB's raw driver) as a value; null when unreadable. */
export function jsonValue(value: unknown): unknown {
  if (typeof value !== "string" && !Buffer.isBuffer(value)) return value ?? null;
  try {
    return JSON.parse(text(value)) as unknown;
  } catch {
    return null;
  }
}

/** A JSON list column's strings. */
export function jsonStrings(value: unknown): string[] {
  const parsed = jsonValue(value);
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
}

/** Impact and severity as importance 0..10. */
const levelImportance: Record<string, number> = { low: 3, medium: 5, high: 7, critical: 9 };

/** The columns every memory row shares. */
const common = ["id", "created_at", "updated_at"] as const;

/**
 * One string for each value many rows repeat (a scope's project, client, repository, machines):
 * cached candidates then hold one copy, which young-generation collections copy once.
 */
const interned = new Map<string, string>();
function sharedText(value: unknown): string | null {
  const found = textOrNull(value);
  if (found === null) return null;
  const known = interned.get(found);
  if (known !== undefined) return known;
  if (interned.size >= 50_000) interned.clear();
  interned.set(found, found);
  return found;
}

/** What each kind maps from its own columns; the rest of a candidate comes from the shared ones. */
type OwnFields = Pick<Candidate, "title" | "body" | "time" | "importance" | "tags"> &
  Partial<Pick<Candidate, "subject" | "supersededById" | "fixKnownWrong" | OptionalCandidateField>>;
type OptionalCandidateField = "nextActions" | "blockers" | "occurrenceCount" | "errorPattern" | "recommendedSolution" | "credential";

/**
 * A candidate from a row: the shared columns and the kind's own fields, in one object literal
 * with every field, so all candidates share one shape (a recall maps a hundred rows and ranks
 * them; a spread into a larger literal, or fields added later, cost V8 several times as much).
 */
function candidateOf(kind: MemoryKind, row: StoredRow, own: OwnFields): Candidate {
  return {
    kind,
    id: text(row["id"]),
    title: own.title,
    body: own.body,
    tags: own.tags,
    projectId: sharedText(row["project_id"]),
    clientId: sharedText(row["client_id"]),
    repository: sharedText(row["repository"]),
    machineId: sharedText(row["machine_id"]),
    machineName: sharedText(row["machine_name"]),
    time: own.time,
    importance: own.importance,
    pinned: truthy(row["pinned"]),
    usefulCount: numberOf(row["useful_count"]),
    recallCount: numberOf(row["recall_count"]),
    lastRecalledAt: row["last_recalled_at"] ? timeOf(row["last_recalled_at"]) : null,
    textRelevance: 0,
    contentHash: textOrNull(row["content_hash"]),
    subject: own.subject ?? null,
    supersededById: own.supersededById ?? null,
    fixKnownWrong: own.fixKnownWrong ?? false,
    nextActions: own.nextActions,
    blockers: own.blockers,
    occurrenceCount: own.occurrenceCount,
    errorPattern: own.errorPattern,
    recommendedSolution: own.recommendedSolution,
    credential: own.credential,
    // None yet: a recall derives what it needs once; a cached scope's candidates get a memo when
    // the cache first hands them out again (ScopeCache.get), so scopes recalled once keep none.
    memo: undefined,
  };
}

const recallColumns = ["pinned", "recall_count", "useful_count", "last_recalled_at"] as const;

export const contextTable: MemoryTable = {
  kind: "context",
  table: "conversation_contexts",
  resourceName: "conversation_context",
  counted: true,
  longText: ["dense_summary"],
  columns: [...common, ...recallColumns, "project_id", "client_id", "machine_id", "machine_name", "repository", "title"].concat([
    "dense_summary",
    "tags",
    "importance",
    "content_hash",
    "ended_at",
  ]),
  toCandidate: (row) =>
    candidateOf("context", row, {
      title: text(row["title"]),
      body: text(row["dense_summary"]),
      tags: jsonStrings(row["tags"]),
      importance: numberOf(row["importance"], 5),
      // When the session's work was done; the row's own time when the transcript had none.
      time: timeOf(row["ended_at"], row["updated_at"]),
    }),
};

export const snippetTable: MemoryTable = {
  kind: "snippet",
  table: "context_snippets",
  resourceName: "context_snippet",
  counted: true,
  longText: ["dense_content"],
  columns: [...common, ...recallColumns, "project_id", "client_id", "machine_id", "machine_name", "repository", "title"].concat([
    "dense_content",
    "tags",
    "importance",
    "content_hash",
    "category",
    "structured_data",
    "occurred_at",
  ]),
  toCandidate: (row) => {
    const data = jsonValue(row["structured_data"]);
    const marks = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
    return candidateOf("snippet", row, {
      title: text(row["title"]),
      body: text(row["dense_content"]),
      tags: jsonStrings(row["tags"]),
      importance: numberOf(row["importance"], 5),
      // When the session's work was done; the row's own time for one written through the API.
      time: timeOf(row["occurred_at"], row["updated_at"], row["created_at"]),
      // Set on a problem snippet (structured_data) when its fix turned out wrong.
      fixKnownWrong: truthy(marks["fix_known_wrong"]) || truthy(marks["fixKnownWrong"]),
      credential: text(row["category"]) === "credential_reference" ? credentialPointerOf(marks) : undefined,
    });
  },
};

export const decisionTable: MemoryTable = {
  kind: "decision",
  table: "decision_logs",
  resourceName: "decision_log",
  counted: true,
  longText: ["rationale"],
  columns: [...common, ...recallColumns, "project_id", "client_id", "machine_id", "machine_name", "repository", "decision"].concat([
    "rationale",
    "tags",
    "impact",
    "subject",
    "superseded_by_id",
    "occurred_at",
  ]),
  toCandidate: (row) =>
    candidateOf("decision", row, {
      title: text(row["decision"]),
      body: text(row["rationale"]),
      tags: jsonStrings(row["tags"]),
      importance: levelImportance[text(row["impact"])] ?? 5,
      time: timeOf(row["occurred_at"], row["created_at"]),
      subject: textOrNull(row["subject"]),
      supersededById: textOrNull(row["superseded_by_id"]),
    }),
};

export const insightTable: MemoryTable = {
  kind: "insight",
  table: "environmental_insights",
  resourceName: "environmental_insight",
  counted: true,
  longText: ["description"],
  columns: [...common, ...recallColumns, "client_id", "host", "category", "title", "description", "priority", "last_verified_at"],
  toCandidate: (row) =>
    candidateOf("insight", row, {
      title: text(row["title"]),
      body: text(row["description"]),
      tags: [text(row["host"]), text(row["category"])].filter((t) => t !== ""),
      importance: numberOf(row["priority"], 5),
      time: timeOf(row["last_verified_at"], row["updated_at"]),
    }),
};

export const failurePatternTable: MemoryTable = {
  kind: "failure_pattern",
  table: "failure_patterns",
  resourceName: "failure_pattern",
  counted: true,
  longText: ["description", "recommended_solution"],
  columns: [...common, ...recallColumns, "client_id", "host", "pattern_type", "error_pattern", "description"].concat([
    "recommended_solution",
    "occurrence_count",
    "severity",
    "last_seen_at",
  ]),
  toCandidate: (row) => {
    const errorPattern = text(row["error_pattern"]);
    return candidateOf("failure_pattern", row, {
      title: errorPattern.length > 200 ? `${errorPattern.slice(0, 199)}…` : errorPattern,
      body: text(row["description"]),
      tags: [text(row["host"]), text(row["pattern_type"])].filter((t) => t !== ""),
      importance: levelImportance[text(row["severity"])] ?? 5,
      time: timeOf(row["last_seen_at"], row["updated_at"]),
      errorPattern,
      recommendedSolution: text(row["recommended_solution"]),
      occurrenceCount: numberOf(row["occurrence_count"], 1),
    });
  },
};

export const projectStateTable: MemoryTable = {
  kind: "project_state",
  table: "project_states",
  resourceName: "project_state",
  counted: false,
  longText: ["summary"],
  columns: [...common, "project_id", "client_id", "repository", "scope_key", "machine_id", "machine_name", "current_phase"].concat([
    "progress_percent",
    "summary",
    "next_actions",
    "blockers",
    "key_files",
    "occurred_at",
  ]),
  toCandidate: (row) => {
    const phase = text(row["current_phase"]);
    const progress = row["progress_percent"] === null || row["progress_percent"] === undefined ? null : numberOf(row["progress_percent"]);
    const keyFiles = jsonStrings(row["key_files"]);
    const title = `Project state${phase ? `: ${phase}` : ""}${progress === null ? "" : ` (${progress}%)`}`;
    return candidateOf("project_state", row, {
      title,
      body: [text(row["summary"]), keyFiles.length > 0 ? `key files: ${keyFiles.join(", ")}` : ""].filter((t) => t !== "").join(" | "),
      tags: [],
      importance: 10,
      // The newest session's work; the row's own time for a state written through the API.
      time: timeOf(row["occurred_at"], row["updated_at"]),
      nextActions: jsonStrings(row["next_actions"]),
      blockers: jsonStrings(row["blockers"]),
    });
  },
};

/**
 * A recall shows one line per item: it reads this much of each long text column, not the whole
 * (a session summary may be many kilobytes). GetMemoryItem reads them whole.
 */
export const previewChars = 1_200;

/** Every memory table by kind. */
export const memoryTables: Readonly<Record<MemoryKind, MemoryTable>> = {
  project_state: projectStateTable,
  context: contextTable,
  snippet: snippetTable,
  decision: decisionTable,
  insight: insightTable,
  failure_pattern: failurePatternTable,
};

/** A row of a statement over several memory tables: the table's columns and its kind. */
export type MemoryRow = StoredRow & { memory_kind?: unknown };

/**
 * The columns of a statement that reads several memory tables: every column of each, once (a
 * table's part gives NULL for the columns it lacks). Only the statement's own tables count: each
 * column more is work for every row MariaDB sends.
 */
export function memoryColumnsOf(tables: readonly MemoryTable[]): string[] {
  return [...new Set(tables.flatMap((table) => table.columns))];
}

/**
 * The SELECT list of a table in a statement over several: its kind, then `columns` (NULL where
 * the table has no such column), long text cut to previewChars unless `whole`.
 */
export function memorySelectList(table: MemoryTable, columns: readonly string[], whole: boolean): string {
  const own = new Set(table.columns);
  const list = columns.map((column) => {
    if (!own.has(column)) return `NULL AS ${column}`;
    return !whole && table.longText.includes(column) ? `SUBSTR(${column}, 1, ${previewChars}) AS ${column}` : column;
  });
  return [`'${table.kind}' AS memory_kind`, ...list].join(", ");
}

/** The kind of the rows of recall_scope_versions read along with memory rows (see versionSelectList). */
const versionKind = "scope_version";

/**
 * The SELECT list of recall_scope_versions in a statement over memory tables: its key as `id`
 * and its version as `recall_count` (`columns` must have both), every other column NULL.
 */
export function versionSelectList(columns: readonly string[]): string {
  const list = columns.map((column) =>
    column === "id" ? "scope_key AS id" : column === "recall_count" ? "version AS recall_count" : `NULL AS ${column}`,
  );
  return [`'${versionKind}' AS memory_kind`, ...list].join(", ");
}

/** Whether a row of such a statement is a scope version. */
export const isVersionRow = (row: MemoryRow): boolean => text(row.memory_kind) === versionKind;

/** A scope version's key and version, from a row of such a statement. */
export const versionOfRow = (row: MemoryRow): { key: string; version: unknown } => ({ key: text(row["id"]), version: row["recall_count"] });

/** The table a row of such a statement came from. */
export function tableOfRow(row: MemoryRow): MemoryTable | undefined {
  const kind = text(row.memory_kind);
  return isMemoryKind(kind) ? memoryTables[kind] : undefined;
}
