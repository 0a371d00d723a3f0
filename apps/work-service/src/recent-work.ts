import type { Database } from "@msp/db";
import { sqlPlaceholders } from "@msp/db";
import type { ResourceStore, StoredRecord } from "@msp/resource-kit";
import { textOf, toDate } from "@msp/resource-kit";
import type { ProblemSolution } from "@msp/proto/src/gen/ts/msp/work/v1/problem_solution";
import type { FindRecentWorkRequest, FindRecentWorkResponse, RecentWorkSession } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import type { WorkItem } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import type { RecentWorkPlan } from "./recent-work-request";
import { likeEscape, likePattern, parseRecentWorkRequest } from "./recent-work-request";

/** The stores whose rows FindRecentWork answers with. */
export interface RecentWorkStores {
  workItems: ResourceStore<WorkItem>;
  problemSolutions: ResourceStore<ProblemSolution>;
}

/**
 * The newest sessions of a project (or of the client elsewhere) whose records are read: found on
 * the (project_id, id) and (client_id, id) indexes newest first (ids are time-ordered UUIDv7), so
 * a project's thousandth session costs nothing; their records are then read on (session_id, id).
 */
const recentSessions = 100;

/** How one kind of record is read: its table and the text columns the terms are looked for in. */
interface RecordTable {
  table: string;
  /** Text columns: case-insensitive on both dialects (SQLite's LIKE, MariaDB's utf8mb4_unicode_ci). */
  text: readonly string[];
  /** JSON list columns: binary-collated on MariaDB, so compared lower-cased. */
  json: readonly string[];
}

const workItemTable: RecordTable = {
  table: "work_items",
  // The description holds the composed Problem / Cause / Fix / Verify text, or free text.
  text: ["title", "description"],
  json: ["affected_systems", "technologies_used", "tags"],
};

const problemSolutionTable: RecordTable = {
  table: "problem_solutions",
  text: ["problem", "symptom", "error_message", "root_cause", "solution", "verification"],
  json: [],
};

/**
 * FindRecentWork: per kind, one statement with a part for the project's recent sessions, one for
 * the client's other recent sessions and one for records of either whose text has a term (newest
 * first, each part with its own limit); then the sessions of the records found, with their
 * machine's name. Records come newest first, each once.
 */
export async function findRecentWork(
  db: Database,
  stores: RecentWorkStores,
  request: FindRecentWorkRequest,
): Promise<FindRecentWorkResponse> {
  const plan = parseRecentWorkRequest(request);
  const [itemRows, problemRows] = await Promise.all([
    db.select<StoredRecord>(...recordsStatement(workItemTable, plan)),
    db.select<StoredRecord>(...recordsStatement(problemSolutionTable, plan)),
  ]);
  const items = newestOnce(itemRows);
  const problems = newestOnce(problemRows);
  const sessionIds = [...new Set([...items, ...problems].map((row) => textOf(row["session_id"])))];
  return {
    workItems: items.map((row) => stores.workItems.toMessage(row)),
    problemSolutions: problems.map((row) => stores.problemSolutions.toMessage(row)),
    sessions: await sessionsOf(db, sessionIds),
  };
}

/** The SQL and parameters of one kind's parts (see findRecentWork). */
function recordsStatement(records: RecordTable, plan: RecentWorkPlan): [string, unknown[]] {
  const parts: string[] = [];
  const params: unknown[] = [];
  const limit = Math.floor(plan.pageSize);
  const ofSessions = (where: string, whereParams: unknown[]) => {
    parts.push(
      `SELECT * FROM (SELECT r.* FROM ${records.table} r JOIN (SELECT id FROM sessions WHERE ${where} ORDER BY id DESC LIMIT ${recentSessions}) s ` +
        `ON s.id = r.session_id ORDER BY r.id DESC LIMIT ${limit}) AS part${parts.length}`,
    );
    params.push(...whereParams);
  };
  if (plan.projectId) ofSessions("project_id = ?", [plan.projectId]);
  if (plan.clientId) {
    if (plan.projectId) ofSessions("client_id = ? AND (project_id IS NULL OR project_id <> ?)", [plan.clientId, plan.projectId]);
    else ofSessions("client_id = ?", [plan.clientId]);
  }
  if (plan.terms.length > 0) {
    const scope = [plan.projectId ? "s.project_id = ?" : null, plan.clientId ? "s.client_id = ?" : null].filter((c) => c !== null);
    const columns = [...records.text.map((c) => `r.${c}`), ...records.json.map((c) => `LOWER(r.${c})`)];
    const matches = plan.terms.flatMap(() => columns.map((column) => `${column} LIKE ? ESCAPE '${likeEscape}'`));
    parts.push(
      `SELECT * FROM (SELECT r.* FROM ${records.table} r JOIN sessions s ON s.id = r.session_id ` +
        `WHERE (${scope.join(" OR ")}) AND (${matches.join(" OR ")}) ORDER BY r.id DESC LIMIT ${limit}) AS part${parts.length}`,
    );
    if (plan.projectId) params.push(plan.projectId);
    if (plan.clientId) params.push(plan.clientId);
    for (const term of plan.terms) for (let i = 0; i < columns.length; i++) params.push(likePattern(term));
  }
  return [parts.join(" UNION ALL "), params];
}

/** Rows newest first (ids are time-ordered), each once: the term part may find a recent one again. */
function newestOnce(rows: readonly StoredRecord[]): StoredRecord[] {
  const byId = new Map<string, StoredRecord>();
  for (const row of rows) byId.set(textOf(row["id"]), row);
  return [...byId.values()].sort((a, b) => (textOf(a["id"]) < textOf(b["id"]) ? 1 : -1));
}

/** The sessions of the records, with where and when their work was done. */
async function sessionsOf(db: Database, ids: readonly string[]): Promise<RecentWorkSession[]> {
  if (ids.length === 0) return [];
  const rows = await db.select<StoredRecord>(
    "SELECT s.id, s.project_id, s.client_id, s.machine_id, s.started_at, s.ended_at, m.friendly_name, m.hostname " +
      `FROM sessions s LEFT JOIN machines m ON m.id = s.machine_id WHERE s.id IN (${sqlPlaceholders(ids.length)})`,
    ids,
  );
  const text = (value: unknown) => (value === null || value === undefined ? "" : textOf(value));
  return rows.map((row) => ({
    id: text(row["id"]),
    projectId: text(row["project_id"]),
    clientId: text(row["client_id"]),
    machineId: text(row["machine_id"]),
    machineName: text(row["friendly_name"]) || text(row["hostname"]),
    startedAt: toDate(row["started_at"]),
    ...(row["ended_at"] === null || row["ended_at"] === undefined ? {} : { endedAt: toDate(row["ended_at"]) }),
  }));
}
