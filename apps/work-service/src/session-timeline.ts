import type { Database } from "@msp/db";
import { ProtoSink } from "@msp/proto";
import type { ResourceStore, StoredRecord } from "@msp/resource-kit";
import { textOf } from "@msp/resource-kit";

/** The stores whose records make up a session's timeline. */
export interface TimelineStores {
  sessions: ResourceStore<unknown>;
  workItems: ResourceStore<unknown>;
  fileChanges: ResourceStore<unknown>;
  commandRuns: ResourceStore<unknown>;
  problemSolutions: ResourceStore<unknown>;
  deployments: ResourceStore<unknown>;
  databaseChanges: ResourceStore<unknown>;
  ticketLinks: ResourceStore<unknown>;
  billableTime: ResourceStore<unknown>;
}

/** Field numbers of msp.work.v1.SessionTimeline and the messages inside it (session.proto). */
const timelineField = { session: 1, workItems: 2, sessionDetails: 3, ticketLinks: 4, billableTime: 5 } as const;
const timelineWorkItemField = { workItem: 1, details: 2 } as const;
const detailsField = { fileChanges: 1, commandRuns: 2, problemSolutions: 3, deployments: 4, databaseChanges: 5 } as const;
type DetailKind = keyof typeof detailsField;
const detailKinds = Object.keys(detailsField) as DetailKind[];

/** One work item's details (or the session's own, under no work item): stored rows by kind. */
type DetailRows = Record<DetailKind, StoredRecord[]>;

/**
 * A session with everything recorded in it, as the encoded msp.work.v1.SessionTimeline: the
 * session, then one query per table (work items, the five details, ticket links, billable time),
 * run side by side, each on an index starting with session_id, grouped by work item here. The
 * rows are written straight to protobuf (ResourceStore.encodeRow): a timeline holds thousands of
 * records, and message objects for each cost several times the queries.
 */
export async function sessionTimeline(db: Database, stores: TimelineStores, id: string): Promise<Buffer> {
  const sessionRow = await stores.sessions.getRow(id);
  const sessionId = textOf(sessionRow["id"]);
  const rowsOf = (store: ResourceStore<unknown>, order: string): Promise<StoredRecord[]> => {
    const table = store.definition.model.getTableName() as string;
    return db.select<StoredRecord>(`SELECT * FROM ${table} WHERE session_id = ? ORDER BY ${order}`, [sessionId]);
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

  const details = groupByWorkItem({ fileChanges, commandRuns, problemSolutions, deployments, databaseChanges });
  const sink = new ProtoSink(256 * 1024);
  const message = (fieldNumber: number, store: ResourceStore<unknown>, row: StoredRecord) => {
    const mark = sink.begin(fieldNumber);
    store.encodeRow(row, sink);
    sink.end(mark);
  };
  const detailStores: Record<DetailKind, ResourceStore<unknown>> = stores;
  const writeDetails = (fieldNumber: number, rows: DetailRows | undefined) => {
    const mark = sink.begin(fieldNumber);
    if (rows) for (const kind of detailKinds) for (const row of rows[kind]) message(detailsField[kind], detailStores[kind], row);
    sink.end(mark);
  };

  message(timelineField.session, stores.sessions, sessionRow);
  for (const row of workItems) {
    const mark = sink.begin(timelineField.workItems);
    message(timelineWorkItemField.workItem, stores.workItems, row);
    writeDetails(timelineWorkItemField.details, details.get(textOf(row["id"])));
    sink.end(mark);
  }
  writeDetails(timelineField.sessionDetails, details.get(""));
  for (const row of ticketLinks) message(timelineField.ticketLinks, stores.ticketLinks, row);
  for (const row of billableTime) message(timelineField.billableTime, stores.billableTime, row);
  return sink.finish();
}

/** Detail rows by the work item they were recorded under ("" for none), each kind in query order. */
function groupByWorkItem(rows: DetailRows): Map<string, DetailRows> {
  const groups = new Map<string, DetailRows>();
  for (const kind of detailKinds) {
    for (const row of rows[kind]) {
      const workItemId = row["work_item_id"];
      const key = workItemId === null || workItemId === undefined ? "" : textOf(workItemId);
      let group = groups.get(key);
      if (!group) {
        group = { fileChanges: [], commandRuns: [], problemSolutions: [], deployments: [], databaseChanges: [] };
        groups.set(key, group);
      }
      group[kind].push(row);
    }
  }
  return groups;
}
