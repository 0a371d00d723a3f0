import type { Database } from "@msp/db";
import type { ResourceStore, StoredRecord } from "@msp/resource-kit";
import { textOf } from "@msp/resource-kit";
import type { BillableTime } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import type { CommandRun } from "@msp/proto/src/gen/ts/msp/work/v1/command_run";
import type { DatabaseChange } from "@msp/proto/src/gen/ts/msp/work/v1/database_change";
import type { Deployment } from "@msp/proto/src/gen/ts/msp/work/v1/deployment";
import type { FileChange } from "@msp/proto/src/gen/ts/msp/work/v1/file_change";
import type { ProblemSolution } from "@msp/proto/src/gen/ts/msp/work/v1/problem_solution";
import type { Session, SessionTimeline, SessionTimelineDetails } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import type { TicketLink } from "@msp/proto/src/gen/ts/msp/work/v1/ticket_link";
import type { WorkItem } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";

/** The stores whose records make up a session's timeline. */
export interface TimelineStores {
  sessions: ResourceStore<Session>;
  workItems: ResourceStore<WorkItem>;
  fileChanges: ResourceStore<FileChange>;
  commandRuns: ResourceStore<CommandRun>;
  problemSolutions: ResourceStore<ProblemSolution>;
  deployments: ResourceStore<Deployment>;
  databaseChanges: ResourceStore<DatabaseChange>;
  ticketLinks: ResourceStore<TicketLink>;
  billableTime: ResourceStore<BillableTime>;
}

/**
 * A session with everything recorded in it, in a fixed number of queries whatever its size: the
 * session, then one query per table (work items, the five details, ticket links, billable time),
 * run side by side, each on an index starting with session_id, grouped by work item here.
 */
export async function sessionTimeline(db: Database, stores: TimelineStores, id: string): Promise<SessionTimeline> {
  const session = await stores.sessions.get(id);
  const rowsOf = async <M>(store: ResourceStore<M>, order: string): Promise<{ row: StoredRecord; message: M }[]> => {
    const table = store.definition.model.getTableName() as string;
    const rows = await db.select<StoredRecord>(`SELECT * FROM ${table} WHERE session_id = ? ORDER BY ${order}`, [session.id]);
    // toMessage reads stored values as the driver gives them: no normalized copy of each row.
    return rows.map((row) => ({ row, message: store.toMessage(row) }));
  };
  const [workItems, fileChanges, commandRuns, problemSolutions, deployments, databaseChanges, ticketLinks, billableTime] =
    await Promise.all([
      rowsOf(stores.workItems, "position, id"),
      rowsOf(stores.fileChanges, "id"),
      rowsOf(stores.commandRuns, "position, id"),
      rowsOf(stores.problemSolutions, "id"),
      rowsOf(stores.deployments, "id"),
      rowsOf(stores.databaseChanges, "id"),
      rowsOf(stores.ticketLinks, "id"),
      rowsOf(stores.billableTime, "started_at, id"),
    ]);

  const details = new Map<string, SessionTimelineDetails>();
  const detailsOf = (workItemId: unknown): SessionTimelineDetails => {
    const key = workItemId === null || workItemId === undefined ? "" : textOf(workItemId);
    let found = details.get(key);
    if (!found) {
      found = { fileChanges: [], commandRuns: [], problemSolutions: [], deployments: [], databaseChanges: [] };
      details.set(key, found);
    }
    return found;
  };
  for (const { row, message } of fileChanges) detailsOf(row["work_item_id"]).fileChanges.push(message);
  for (const { row, message } of commandRuns) detailsOf(row["work_item_id"]).commandRuns.push(message);
  for (const { row, message } of problemSolutions) detailsOf(row["work_item_id"]).problemSolutions.push(message);
  for (const { row, message } of deployments) detailsOf(row["work_item_id"]).deployments.push(message);
  for (const { row, message } of databaseChanges) detailsOf(row["work_item_id"]).databaseChanges.push(message);

  return {
    session,
    workItems: workItems.map(({ row, message }) => ({ workItem: message, details: detailsOf(textOf(row["id"])) })),
    sessionDetails: detailsOf(null),
    ticketLinks: ticketLinks.map((t) => t.message),
    billableTime: billableTime.map((b) => b.message),
  };
}
