import type { Candidate, MemoryKind, RecallScope } from "./candidate";
import { sqlPlaceholders } from "@msp/db";
import type { FullTextHit, FullTextIndex, SearchableKind } from "./fulltext";
import type { MemoryRow, MemoryTable } from "./memory-rows";
import type { ReadRows } from "./read-rows";
import { memorySelectList, memoryTables, tableOfRow } from "./memory-rows";
import { knownIssueMinOccurrences } from "./supersede";

/** How many rows each source adds at most: enough to fill a budget, few enough to stay fast. */
export interface GatherLimits {
  /** Recent items of the project (or repository), per table. */
  project: number;
  /** Recent items of the client's other projects, per table. */
  client: number;
  /** Pinned items of the scope or global, per table. */
  pinned: number;
  /** Insights and known issues of the client or host, per table. */
  environment: number;
  /** Full-text hits for the query, over all tables. */
  fullText: number;
}

export const defaultGatherLimits: Readonly<GatherLimits> = { project: 25, client: 10, pinned: 20, environment: 15, fullText: 40 };

/** One SELECT of a UNION: a condition, its parameters, an order and a limit (on an index). */
interface Branch {
  where: string;
  params: unknown[];
  order: string;
  limit: number;
}

/** The branches of one table. */
interface TableBranches {
  table: MemoryTable;
  branches: readonly Branch[];
}

/**
 * The rows every branch of every table matches, in one statement (one round trip: on a busy
 * server each statement costs a socket write and a result set). Each branch has its own ORDER BY
 * and LIMIT (a parenthesized part of the UNION where the database takes it, else a derived
 * table), so each walks an index and stops early; never a table scan. The parts share one column
 * list (memoryColumns: a table's missing columns are NULL) and name their kind in `memory_kind`.
 */
async function selectMemory(read: ReadRows, tables: readonly TableBranches[], whole = false): Promise<MemoryRow[]> {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const { table, branches } of tables) {
    const columns = memorySelectList(table, whole);
    for (const b of branches) {
      if (b.limit <= 0) continue;
      const select = `SELECT ${columns} FROM ${table.table} WHERE ${b.where}${b.order ? ` ORDER BY ${b.order}` : ""} LIMIT ${Math.floor(b.limit)}`;
      parts.push(read.unionOfLimited ? `(${select})` : `SELECT * FROM (${select}) AS b${parts.length}`);
      params.push(...b.params);
    }
  }
  if (parts.length === 0) return [];
  return read<MemoryRow>(parts.join(" UNION ALL "), params);
}

/** Rows of a table by id (full-text hits, short id lookups), as a branch. */
function byIds(ids: readonly string[]): Branch[] {
  return ids.length === 0 ? [] : [{ where: `id IN (${sqlPlaceholders(ids.length)})`, params: [...ids], order: "", limit: ids.length }];
}

/**
 * Items of the scope's project, repository and client, and pinned ones, for the tables that have
 * all three; `extra` narrows the scoped branches. Each branch walks an index newest first: the
 * repository branch takes only items saved without the project (when the project is known), the
 * client branch only items of the client's other projects, so no row is read twice.
 */
function scopedBranches(scope: RecallScope, limits: GatherLimits, extra = ""): Branch[] {
  const and = extra ? ` AND ${extra}` : "";
  const branches: Branch[] = [];
  const newest = "created_at DESC";
  if (scope.projectId) branches.push({ where: `project_id = ?${and}`, params: [scope.projectId], order: newest, limit: limits.project });
  if (scope.repository) {
    branches.push(
      scope.projectId
        ? { where: `repository = ? AND project_id IS NULL${and}`, params: [scope.repository], order: newest, limit: limits.project }
        : { where: `repository = ?${and}`, params: [scope.repository], order: newest, limit: limits.project },
    );
  }
  if (scope.clientId) {
    branches.push(
      scope.projectId
        ? {
            where: `client_id = ? AND (project_id IS NULL OR project_id <> ?)${and}`,
            params: [scope.clientId, scope.projectId],
            order: newest,
            limit: limits.client,
          }
        : { where: `client_id = ?${and}`, params: [scope.clientId], order: newest, limit: limits.client },
    );
  }
  const pinnedScope = ["(project_id IS NULL AND client_id IS NULL AND repository IS NULL)"];
  const pinnedParams: unknown[] = [];
  for (const [column, value] of [
    ["project_id", scope.projectId],
    ["repository", scope.repository],
    ["client_id", scope.clientId],
  ] as const) {
    if (!value) continue;
    pinnedScope.push(`${column} = ?`);
    pinnedParams.push(value);
  }
  // Pinned rows are few: the pinned index finds them (superseded ones are dropped later).
  branches.push({
    where: `pinned = 1 AND (${pinnedScope.join(" OR ")})`,
    params: pinnedParams,
    order: "created_at DESC",
    limit: limits.pinned,
  });
  return branches;
}

/** Failure patterns that are known issues: active, seen often enough, with a fix. */
const knownIssue = `is_active = 1 AND occurrence_count >= ${knownIssueMinOccurrences} AND recommended_solution IS NOT NULL AND recommended_solution <> ''`;

/** The branches of each table for a scope, plus the rows full-text search found. */
function branchesOf(kind: MemoryKind, scope: RecallScope, limits: GatherLimits, hitIds: readonly string[]): Branch[] {
  switch (kind) {
    case "project_state": {
      // One row per project; by repository while the project is not known to the work service
      // ("project:..." sorts before "repository:...", so the project's own row comes first).
      const keys = [scope.projectId ? `project:${scope.projectId}` : null, scope.repository ? `repository:${scope.repository}` : null];
      const wanted = keys.filter((key): key is string => key !== null);
      return wanted.length === 0
        ? []
        : [{ where: `scope_key IN (${sqlPlaceholders(wanted.length)})`, params: wanted, order: "scope_key", limit: 2 }];
    }
    case "context":
    case "snippet":
      return [...scopedBranches(scope, limits), ...byIds(hitIds)];
    case "decision":
      return [...scopedBranches(scope, limits, "superseded_by_id IS NULL"), ...byIds(hitIds)];
    case "insight": {
      const branches = byIds(hitIds);
      if (scope.clientId)
        branches.push({ where: "client_id = ?", params: [scope.clientId], order: "created_at DESC", limit: limits.environment });
      if (scope.host) branches.push({ where: "host = ?", params: [scope.host], order: "created_at DESC", limit: limits.environment });
      return branches;
    }
    case "failure_pattern": {
      const branches = byIds(hitIds);
      for (const [column, value] of [
        ["client_id", scope.clientId],
        ["host", scope.host],
      ] as const) {
        if (!value) continue;
        branches.push({ where: `${column} = ? AND ${knownIssue}`, params: [value], order: "last_seen_at DESC", limit: limits.environment });
      }
      if (isEmptyScope(scope)) {
        branches.push({ where: `pinned = 1 AND client_id IS NULL AND ${knownIssue}`, params: [], order: "", limit: limits.pinned });
      }
      return branches;
    }
  }
}

/** A scope naming no project, repository, client or host: only pinned global items are recalled. */
export function isEmptyScope(scope: RecallScope): boolean {
  return !scope.projectId && !scope.repository && !scope.clientId && !scope.host;
}

/** Whether a row belongs to no project, repository or client. */
const isGlobal = (c: Candidate) => !c.projectId && !c.clientId && !c.repository;

/**
 * The candidates of a recall: the project's state, recent contexts, snippets and decisions of the
 * project (or repository) and client, the client's and host's insights and known issues, pinned
 * items of the scope and pinned global ones, and what full-text search finds for the query.
 * Global items come only pinned (or, with a scope, as known issues the query names).
 */
export async function gatherCandidates(
  read: ReadRows,
  fullText: FullTextIndex,
  request: { scope: RecallScope; query: string; limits?: GatherLimits },
): Promise<Candidate[]> {
  const { scope, query } = request;
  const limits = request.limits ?? defaultGatherLimits;
  const hits: FullTextHit[] = query.trim()
    ? await fullText.search(
        query,
        {
          ...(scope.projectId ? { projectId: scope.projectId } : {}),
          ...(scope.clientId ? { clientId: scope.clientId } : {}),
          ...(scope.repository ? { repository: scope.repository } : {}),
          includeGlobal: true,
        },
        limits.fullText,
      )
    : [];
  const relevance = new Map(hits.map((hit) => [`${hit.kind}:${hit.id}`, hit.relevance]));
  const idsOf = (kind: SearchableKind) => hits.filter((hit) => hit.kind === kind).map((hit) => hit.id);

  const kinds = Object.keys(memoryTables) as MemoryKind[];
  const rows = await selectMemory(
    read,
    kinds.map((kind) => ({
      table: memoryTables[kind],
      branches: branchesOf(kind, scope, limits, kind === "project_state" ? [] : idsOf(kind)),
    })),
  );

  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  const emptyScope = isEmptyScope(scope);
  let state: Candidate | undefined;
  for (const row of rows) {
    const table = tableOfRow(row);
    if (!table) continue;
    const candidate = table.toCandidate(row);
    const key = `${table.kind}:${candidate.id}`;
    if (seen.has(key)) continue;
    if (isGlobal(candidate) && !candidate.pinned && (emptyScope || table.kind !== "failure_pattern")) continue;
    seen.add(key);
    candidate.textRelevance = relevance.get(key) ?? 0;
    // One project state: the project's own (known by id) wins over the one kept under its repository before.
    if (table.kind === "project_state") {
      if (!state || (scope.projectId && candidate.projectId === scope.projectId && state.projectId !== scope.projectId)) state = candidate;
      continue;
    }
    candidates.push(candidate);
  }
  if (state) candidates.unshift(state);
  return candidates;
}

/** Items by kind and id, as candidates with their whole text (for GetMemoryItem and MarkUseful). */
export async function candidatesById(read: ReadRows, items: readonly { kind: MemoryKind; id: string }[]): Promise<Candidate[]> {
  const kinds = [...new Set(items.map((item) => item.kind))];
  const rows = await selectMemory(
    read,
    kinds.map((kind) => ({
      table: memoryTables[kind],
      branches: byIds(items.filter((item) => item.kind === kind).map((item) => item.id)),
    })),
    true,
  );
  return rows.flatMap((row) => tableOfRow(row)?.toCandidate(row) ?? []);
}
