import type { Candidate, MemoryKind, RecallScope, RecalledKind } from "./candidate";
import { isMemoryKind } from "./candidate";
import { sqlPlaceholders } from "@msp/db";
import type { FullTextHit, FullTextIndex } from "./fulltext";
import type { MemoryRow, MemoryTable } from "./memory-rows";
import type { ReadRows } from "./read-rows";
import { isVersionRow, memoryColumnsOf, memorySelectList, memoryTables, tableOfRow, versionOfRow, versionSelectList } from "./memory-rows";
import { ScopeCache, scopeVersionKeys, versionStamp } from "./scope-cache";
import { credentialPointerTag } from "../credential-pointer";
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
  /** Credential references (pointers to the vault) of the client, newest first. */
  credentials: number;
}

export const defaultGatherLimits: Readonly<GatherLimits> = {
  project: 25,
  client: 10,
  pinned: 20,
  environment: 15,
  fullText: 40,
  credentials: 8,
};

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
 * list (memoryColumnsOf: a table's missing columns are NULL) and name their kind in `memory_kind`.
 */
async function selectMemory(
  read: ReadRows,
  tables: readonly TableBranches[],
  options: { whole?: boolean; versionsOf?: readonly string[] } = {},
): Promise<MemoryRow[]> {
  const parts: string[] = [];
  const params: unknown[] = [];
  const whole = options.whole ?? false;
  const versionKeys = options.versionsOf ?? [];
  const columns = memoryColumnsOf(tables.map((t) => t.table));
  if (versionKeys.length > 0) {
    // The scope's versions in the same statement: one consistent read of rows and versions.
    for (const needed of ["id", "recall_count"]) if (!columns.includes(needed)) columns.push(needed);
    const select = `SELECT ${versionSelectList(columns)} FROM recall_scope_versions WHERE scope_key IN (${sqlPlaceholders(versionKeys.length)})`;
    parts.push(read.unionOfLimited ? `(${select})` : `SELECT * FROM (${select}) AS v`);
    params.push(...versionKeys);
  }
  for (const { table, branches } of tables) {
    const list = memorySelectList(table, columns, whole);
    for (const b of branches) {
      if (b.limit <= 0) continue;
      const select = `SELECT ${list} FROM ${table.table} WHERE ${b.where}${b.order ? ` ORDER BY ${b.order}` : ""} LIMIT ${Math.floor(b.limit)}`;
      parts.push(read.unionOfLimited ? `(${select})` : `SELECT * FROM (${select}) AS b${parts.length}`);
      params.push(...b.params);
    }
  }
  if (parts.length === 0) return [];
  return read<MemoryRow>(parts.join(" UNION ALL "), params);
}

/** Items by kind and id (full-text hits, short id lookups): one branch per table. */
function byIds(items: readonly { kind: MemoryKind; id: string }[]): TableBranches[] {
  return [...new Set(items.map((item) => item.kind))].map((kind) => {
    const ids = items.filter((item) => item.kind === kind).map((item) => item.id);
    return {
      table: memoryTables[kind],
      branches: [{ where: `id IN (${sqlPlaceholders(ids.length)})`, params: ids, order: "", limit: ids.length }],
    };
  });
}

/** How an item is told apart from every other: its kind and id. */
const itemKey = (item: { kind: string; id: string }) => `${item.kind}:${item.id}`;

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

/** The branches of each table for a scope. */
function branchesOf(kind: MemoryKind, scope: RecallScope, limits: GatherLimits): Branch[] {
  switch (kind) {
    case "project_state": {
      // One row per project; by repository while the project is not known to the work service
      // (candidatesOf keeps the project's own when both are found).
      const keys = [scope.projectId ? `project:${scope.projectId}` : null, scope.repository ? `repository:${scope.repository}` : null];
      const wanted = keys.filter((key): key is string => key !== null);
      return wanted.length === 0
        ? []
        : [{ where: `scope_key IN (${sqlPlaceholders(wanted.length)})`, params: wanted, order: "scope_key", limit: 2 }];
    }
    case "context":
      return scopedBranches(scope, limits);
    case "snippet": {
      const branches = scopedBranches(scope, limits);
      // The client's credential pointers, however many newer snippets its projects have: found
      // through the tag index (tag, client_id), so the read costs the pointers, not the client's snippets.
      if (scope.clientId) {
        branches.push({
          where: "id IN (SELECT owner_id FROM context_tags WHERE tag = ? AND client_id = ? AND owner_type = 'snippet')",
          params: [credentialPointerTag, scope.clientId],
          order: "created_at DESC",
          limit: limits.credentials,
        });
      }
      return branches;
    }
    case "decision":
      return scopedBranches(scope, limits, "superseded_by_id IS NULL");
    case "insight": {
      const branches: Branch[] = [];
      if (scope.clientId)
        branches.push({ where: "client_id = ?", params: [scope.clientId], order: "created_at DESC", limit: limits.environment });
      if (scope.host) branches.push({ where: "host = ?", params: [scope.host], order: "created_at DESC", limit: limits.environment });
      return branches;
    }
    case "failure_pattern": {
      const branches: Branch[] = [];
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
 * Global items come only pinned (or, with a scope, as known issues the query names). The scope's
 * part comes from `cache` while its versions have not moved; the search runs meanwhile.
 */
export async function gatherCandidates(
  read: ReadRows,
  fullText: FullTextIndex,
  request: { scope: RecallScope; query: string; limits?: GatherLimits; cache?: ScopeCache | undefined },
): Promise<Candidate[]> {
  const { scope, query } = request;
  const limits = request.limits ?? defaultGatherLimits;
  const search = (): Promise<FullTextHit[]> =>
    fullText.search(
      query,
      {
        ...(scope.projectId ? { projectId: scope.projectId } : {}),
        ...(scope.clientId ? { clientId: scope.clientId } : {}),
        ...(scope.repository ? { repository: scope.repository } : {}),
        includeGlobal: true,
      },
      limits.fullText,
    );
  const [scoped, hits] = await Promise.all([
    scopedCandidates(read, scope, limits, limits === defaultGatherLimits ? request.cache : undefined),
    query.trim() ? search() : Promise.resolve([]),
  ]);
  if (hits.length === 0) return [...scoped];

  // Hits the scope's reads did not bring, by id; each hit gets its relevance (cached candidates are copied, never changed).
  const relevance = new Map(hits.map((hit) => [itemKey(hit), hit.relevance]));
  const inScope = new Set(scoped.map(itemKey));
  const missing = hits.filter((hit) => !inScope.has(itemKey(hit)));
  const hitRows = await selectMemory(read, byIds(missing));
  return [
    ...scoped.map((c) => {
      const r = relevance.get(itemKey(c));
      return r === undefined ? c : { ...c, textRelevance: r };
    }),
    ...candidatesOf(hitRows, scope).map((c) => ({ ...c, textRelevance: relevance.get(itemKey(c)) ?? 0 })),
  ];
}

/**
 * The scope's reads in two statements run side by side (MariaDB runs a statement on one core),
 * the tables split so each costs about the same.
 */
const readGroups: readonly (readonly MemoryKind[])[] = [
  ["project_state", "context", "decision"],
  ["snippet", "insight", "failure_pattern"],
];

/**
 * The scope's candidates (no full-text hits): from the cache while the scope's versions are
 * those they were read at, else read (each statement with the versions, in one consistent read)
 * and cached when both statements saw the same versions: no change reached the scope between them.
 */
async function scopedCandidates(
  read: ReadRows,
  scope: RecallScope,
  limits: GatherLimits,
  cache: ScopeCache | undefined,
): Promise<readonly Candidate[]> {
  const tablesOf = (kinds: readonly MemoryKind[]) =>
    kinds.map((kind) => ({ table: memoryTables[kind], branches: branchesOf(kind, scope, limits) }));
  const versionKeys = scopeVersionKeys(scope);
  const key = ScopeCache.keyOf(scope);
  const cached = cache?.get(key);
  if (cached) {
    const versions = await read<{ scope_key: string; version: unknown }>(
      `SELECT scope_key, version FROM recall_scope_versions WHERE scope_key IN (${sqlPlaceholders(versionKeys.length)})`,
      versionKeys,
    );
    if (versionStamp(versions.map((row) => ({ key: row.scope_key, version: row.version }))) === cached.stamp) return cached.candidates;
  }
  const reads = await Promise.all(readGroups.map((kinds) => selectMemory(read, tablesOf(kinds), { versionsOf: cache ? versionKeys : [] })));
  const candidates = candidatesOf(reads.flat(), scope);
  const stamps = new Set(reads.map((rows) => versionStamp(rows.filter(isVersionRow).map(versionOfRow))));
  const [stamp] = stamps;
  if (cache && stamps.size === 1 && stamp !== undefined) cache.set(key, stamp, candidates);
  return candidates;
}

/**
 * Rows as candidates: each item once, global items only when pinned (or as known issues with a
 * scope), and one project state, the project's own (known by id) before the one kept under its
 * repository, first.
 */
function candidatesOf(rows: readonly MemoryRow[], scope: RecallScope): Candidate[] {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  const emptyScope = isEmptyScope(scope);
  let state: Candidate | undefined;
  for (const row of rows) {
    const table = tableOfRow(row);
    if (!table) continue;
    const candidate = table.toCandidate(row);
    const key = itemKey(candidate);
    if (seen.has(key)) continue;
    if (isGlobal(candidate) && !candidate.pinned && (emptyScope || table.kind !== "failure_pattern")) continue;
    seen.add(key);
    if (table.kind === "project_state") {
      if (!state || (scope.projectId && candidate.projectId === scope.projectId && state.projectId !== scope.projectId)) state = candidate;
      continue;
    }
    candidates.push(candidate);
  }
  if (state) candidates.unshift(state);
  return candidates;
}

/**
 * Items by kind and id, as candidates with their whole text (for GetMemoryItem and MarkUseful);
 * only the recall service's own kinds (the work service's records are asked of it).
 */
export async function candidatesById(read: ReadRows, items: readonly { kind: RecalledKind; id: string }[]): Promise<Candidate[]> {
  const stored = items.filter((item): item is { kind: MemoryKind; id: string } => isMemoryKind(item.kind));
  const rows = await selectMemory(read, byIds(stored), { whole: true });
  return rows.flatMap((row) => tableOfRow(row)?.toCandidate(row) ?? []);
}
