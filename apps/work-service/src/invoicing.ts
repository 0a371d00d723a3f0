import { QueryTypes } from "sequelize";
import type { Database } from "@msp/db";
import { isUuid, sqlPlaceholders } from "@msp/db";
import { failedPrecondition, invalidArgument } from "@msp/errors";
import type { MutationContext, ResourceStore, StoredRecord } from "@msp/resource-kit";
import { normalizeRow, textOf, writeAuditEvents } from "@msp/resource-kit";
import type {
  BillableTime,
  MarkInvoicedRequest,
  MarkInvoicedResponse,
  UnmarkInvoicedRequest,
  UnmarkInvoicedResponse,
} from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import type { Transaction } from "sequelize";
import { lockSessionsOf, rebill } from "./billable-time-rules";
import { reviewRefusal } from "./billable-time-review";

/** Entries one MarkInvoiced may name: an invoice's worth, and one statement's IN list. */
export const maxInvoicedEntries = 1000;

/** How many ids a refusal names before it says "and N more". */
const namedInRefusal = 20;

/**
 * Marks entries of one client as invoiced, all or none, in one transaction: refused whole
 * (FAILED_PRECONDITION, naming them) when any is missing or already invoiced. Their figures are
 * frozen from then on; the rest of their sessions keeps billing around them (billing.ts,
 * sessionShares), so nothing else changes.
 */
export async function markInvoiced(
  db: Database,
  store: ResourceStore<BillableTime>,
  request: MarkInvoicedRequest,
  ctx: MutationContext,
): Promise<MarkInvoicedResponse> {
  const ids = entryIdsOf(request.billableTimeIds);
  const reference = request.invoiceReference.trim();
  if (reference.length > 64) throw invalidArgument("invoice_reference", "must be at most 64 characters");
  const invoicedAt = request.invoicedAt ?? new Date();
  if (Number.isNaN(invoicedAt.getTime()) || invoicedAt.getUTCFullYear() < 1970 || invoicedAt.getUTCFullYear() > 9999) {
    throw invalidArgument("invoiced_at", "must be a timestamp between 1970 and 9999");
  }

  // Answered from inside the transaction: once it commits, nothing is left to fail.
  return store.mutate(ctx, async ({ transaction }) => {
    const rows = await lockEntries(db, transaction, ids);
    refuseUnless(ids, rows, false, "no entry was marked invoiced", "already invoiced");
    refuseUnreviewed(rows);
    // The rows are locked (MariaDB) or the writers take turns (SQLite): what was read above still holds.
    await db.sequelize.query(
      `UPDATE billable_time SET is_invoiced = 1, invoiced_at = ?, invoice_reference = ?, revision = revision + 1, updated_at = ?
       WHERE id IN (${sqlPlaceholders(ids.length)}) AND is_invoiced = 0`,
      { replacements: [invoicedAt, reference || null, new Date(), ...ids], transaction },
    );
    const summary = { is_invoiced: true, invoiced_at: invoicedAt, invoice_reference: reference || null };
    await writeAuditEvents(
      transaction,
      ctx,
      ids.map((id) => ({ resourceType: "billable_time", resourceId: id, action: "update", summary })),
    );
    return { billableTime: await entriesOf(db, store, ids, transaction) };
  });
}

/**
 * Takes back MarkInvoiced for entries of one client, all or none, in one transaction: refused
 * whole (FAILED_PRECONDITION, naming them) when any is missing or not invoiced. The entries bill
 * again as uninvoiced time does (by the current terms, with their sessions: rebill); each is
 * audited with the reason and the invoice it leaves.
 */
export async function unmarkInvoiced(
  db: Database,
  store: ResourceStore<BillableTime>,
  request: UnmarkInvoicedRequest,
  ctx: MutationContext,
): Promise<UnmarkInvoicedResponse> {
  const ids = entryIdsOf(request.billableTimeIds);
  const reason = request.reason.trim();
  if (reason === "") throw invalidArgument("reason", "is required: say why the entries are no longer invoiced");
  if (reason.length > 500) throw invalidArgument("reason", "must be at most 500 characters");

  return store.mutate(ctx, async (hook) => {
    const { transaction } = hook;
    // Their sessions first, as every billing change locks (rebill re-prices them): an invoiced
    // entry cannot move, so its session can be read before the entry is locked.
    await lockSessionsOf(db, transaction, { where: `id IN (${sqlPlaceholders(ids.length)})`, params: ids });
    const rows = await lockEntries(db, transaction, ids);
    refuseUnless(ids, rows, true, "no entry was uninvoiced", "not invoiced");
    await db.sequelize.query(
      `UPDATE billable_time SET is_invoiced = 0, invoiced_at = NULL, invoice_reference = NULL, revision = revision + 1, updated_at = ?
       WHERE id IN (${sqlPlaceholders(ids.length)}) AND is_invoiced = 1`,
      { replacements: [new Date(), ...ids], transaction },
    );
    await writeAuditEvents(
      transaction,
      ctx,
      rows.map((row) => ({
        resourceType: "billable_time",
        resourceId: row.id,
        action: "update",
        summary: { is_invoiced: false, invoiced_at: null, invoice_reference: null, left_invoice: row.invoice_reference, reason },
      })),
    );
    await rebill(hook, { entryIds: ids, sessionIds: rows.map((row) => row.session_id) });
    return { billableTime: await entriesOf(db, store, ids, transaction) };
  });
}

/** What invoicing reads of an entry, locked until the change commits. */
interface InvoicedState {
  id: string;
  client_id: string;
  session_id: string | null;
  is_invoiced: unknown;
  invoice_reference: string | null;
  review_status: string;
}

/** The entries' ids, checked: 1 to maxInvoicedEntries UUIDs, each once, in the order named. */
function entryIdsOf(given: readonly string[]): string[] {
  const ids = [...new Set(given.map((id, i) => checkedId(id, i)))];
  if (ids.length === 0) throw invalidArgument("billable_time_ids", "is required: name the entries");
  if (ids.length > maxInvoicedEntries) throw invalidArgument("billable_time_ids", `must name at most ${maxInvoicedEntries} entries`);
  return ids;
}

/** The entries as they are now, locked (MariaDB; SQLite writers take turns) until the change commits. */
async function lockEntries(db: Database, transaction: Transaction, ids: readonly string[]): Promise<InvoicedState[]> {
  const lock = db.dialect === "mariadb" ? " FOR UPDATE" : "";
  return db.sequelize.query<InvoicedState>(
    `SELECT id, client_id, session_id, is_invoiced, invoice_reference, review_status FROM billable_time WHERE id IN (${sqlPlaceholders(ids.length)})${lock}`,
    { replacements: [...ids], type: QueryTypes.SELECT, transaction },
  );
}

/**
 * Refuses the whole change (naming the entries) unless every entry exists and is invoiced as
 * `invoiced` says it must be; and unless they are all of one client (an invoice is for one).
 */
function refuseUnless(
  ids: readonly string[],
  rows: readonly InvoicedState[],
  invoiced: boolean,
  refusal: string,
  wrongState: string,
): void {
  const found = new Map(rows.map((row) => [row.id, row]));
  const missing = ids.filter((id) => !found.has(id));
  const wrong = ids.filter((id) => found.has(id) && truthy(found.get(id)?.is_invoiced) !== invoiced);
  if (missing.length > 0 || wrong.length > 0) {
    const parts = [
      ...(missing.length > 0 ? [`not found: ${listed(missing)}`] : []),
      ...(wrong.length > 0 ? [`${wrongState}: ${listed(wrong)}`] : []),
    ];
    throw failedPrecondition(`${refusal}; ${parts.join("; ")}`);
  }
  const clients = new Set(rows.map((row) => row.client_id));
  if (clients.size > 1)
    throw invalidArgument("billable_time_ids", `name entries of one client (an invoice is for one client), not of ${clients.size}`);
}

/**
 * Refuses the whole invoicing (naming the entries and why) when any entry was recorded
 * automatically and is not approved or adjusted yet, or was rejected: ReviewBillableTime first.
 */
function refuseUnreviewed(rows: readonly InvoicedState[]): void {
  const refused = new Map<string, string[]>();
  for (const row of rows) {
    const reason = reviewRefusal(row.review_status);
    if (reason) refused.set(reason, [...(refused.get(reason) ?? []), row.id]);
  }
  if (refused.size === 0) return;
  const parts = [...refused].map(([reason, ids]) => `${reason}: ${listed(ids)}`);
  throw failedPrecondition(`no entry was marked invoiced; ${parts.join("; ")}`);
}

/** The entries as the change's transaction left them, in the order named: its answer, read before it commits. */
async function entriesOf(
  db: Database,
  store: ResourceStore<BillableTime>,
  ids: readonly string[],
  transaction: Transaction,
): Promise<BillableTime[]> {
  const rows = await db.sequelize.query<StoredRecord>(`SELECT * FROM billable_time WHERE id IN (${sqlPlaceholders(ids.length)})`, {
    replacements: [...ids],
    type: QueryTypes.SELECT,
    transaction,
  });
  const byId = new Map(rows.map((row) => [textOf(row["id"]), store.toMessage(normalizeRow(store.fields, row))]));
  return ids.map((id) => byId.get(id)).filter((m): m is BillableTime => m !== undefined);
}

function checkedId(id: string, index: number): string {
  if (!isUuid(id)) throw invalidArgument(`billable_time_ids[${index}]`, "must be a UUID");
  return id.toLowerCase();
}

function listed(ids: readonly string[]): string {
  const shown = ids.slice(0, namedInRefusal).join(", ");
  return ids.length > namedInRefusal ? `${shown} and ${ids.length - namedInRefusal} more` : shown;
}

function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === "1";
}
