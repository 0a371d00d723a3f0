import type { Transaction } from "sequelize";
import type { Model, ModelCtor } from "sequelize-typescript";
import { invalidArgument } from "@msp/errors";
import type { StoredRecord } from "@msp/resource-kit";
import { SessionModel, WorkItemModel } from "./models";

/**
 * The owners of a detail record (file change, command, problem solution, deployment, database
 * change): a session, required, and optionally a work item of that same session. Without a
 * session_id the work item's session is taken. `prefix` names the request field (file_change).
 */
export async function settleDetailOwners(
  prefix: string,
  row: StoredRecord,
  existing: StoredRecord | undefined,
  transaction: Transaction,
): Promise<void> {
  const workItemId = row["work_item_id"];
  const sessionChanged = !existing || row["session_id"] !== existing["session_id"];
  const workItemChanged = !existing || workItemId !== existing["work_item_id"];
  if (!sessionChanged && !workItemChanged) return;

  if (typeof workItemId === "string") {
    const item = await WorkItemModel.findOne({ where: { id: workItemId }, attributes: ["session_id"], raw: true, transaction });
    if (!item) throw invalidArgument(`${prefix}.work_item_id`, `no work item has id ${workItemId}`);
    const sessionId = row["session_id"];
    if (typeof sessionId !== "string") row["session_id"] = item.session_id;
    else if (sessionId !== item.session_id) {
      throw invalidArgument(`${prefix}.work_item_id`, `belongs to session ${item.session_id}, not to session_id ${sessionId}`);
    }
  }

  const sessionId = row["session_id"];
  if (typeof sessionId === "string" && sessionChanged) {
    const session = await SessionModel.findOne({ where: { id: sessionId }, attributes: ["id"], raw: true, transaction });
    if (!session) throw invalidArgument(`${prefix}.session_id`, `no session has id ${sessionId}`);
  }
}

/** A record's "defaults to true when X is given" flag: follows X unless the caller sets it. */
export function flagFollows(
  row: StoredRecord,
  given: ReadonlySet<string>,
  existing: StoredRecord | undefined,
  flag: string,
  source: string,
): void {
  if (given.has(flag) && row[flag] !== null && row[flag] !== undefined) return;
  if (!existing || given.has(source) || given.has(flag)) row[flag] = row[source] !== null && row[source] !== undefined;
}

/**
 * Reads a session for a record about to be written under it, locking its row on MariaDB so that
 * concurrent writers in the same session take turns (positions stay distinct). Null when absent.
 */
export async function lockSession(sessionId: string, transaction: Transaction): Promise<{ is_billable: boolean } | null> {
  const session = await SessionModel.findOne({
    where: { id: sessionId },
    attributes: ["is_billable"],
    raw: true,
    transaction,
    lock: transaction.LOCK.UPDATE,
  });
  if (!session) return null;
  const billable = session.is_billable as unknown;
  return { is_billable: billable === true || billable === 1 || billable === "1" };
}

/** The next position in a session: one past the highest, 1 for the first record. */
export async function nextPosition(model: ModelCtor<Model>, sessionId: string, transaction: Transaction): Promise<number> {
  const top: unknown = await model.max("position", { where: { session_id: sessionId }, transaction });
  const highest = top === null || top === undefined ? 0 : Number(top);
  return Number.isFinite(highest) ? highest + 1 : 1;
}
