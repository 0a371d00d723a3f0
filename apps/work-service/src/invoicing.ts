import { QueryTypes } from "sequelize";
import type { Database } from "@msp/db";
import { isUuid, sqlPlaceholders } from "@msp/db";
import { failedPrecondition, invalidArgument } from "@msp/errors";
import type { MutationContext, ResourceStore, StoredRecord } from "@msp/resource-kit";
import { normalizeRow, textOf, writeAuditEvent } from "@msp/resource-kit";
import type { BillableTime, MarkInvoicedRequest, MarkInvoicedResponse } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";

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
  const ids = [...new Set(request.billableTimeIds.map((id, i) => checkedId(id, i)))];
  if (ids.length === 0) throw invalidArgument("billable_time_ids", "is required: name the entries to mark");
  if (ids.length > maxInvoicedEntries) throw invalidArgument("billable_time_ids", `must name at most ${maxInvoicedEntries} entries`);
  const reference = request.invoiceReference.trim();
  if (reference.length > 64) throw invalidArgument("invoice_reference", "must be at most 64 characters");
  const invoicedAt = request.invoicedAt ?? new Date();
  if (Number.isNaN(invoicedAt.getTime()) || invoicedAt.getUTCFullYear() < 1970 || invoicedAt.getUTCFullYear() > 9999) {
    throw invalidArgument("invoiced_at", "must be a timestamp between 1970 and 9999");
  }

  const marks = sqlPlaceholders(ids.length);
  await store.mutate(ctx, async ({ transaction }) => {
    const lock = db.dialect === "mariadb" ? " FOR UPDATE" : "";
    const rows = await db.sequelize.query<{ id: string; client_id: string; is_invoiced: unknown }>(
      `SELECT id, client_id, is_invoiced FROM billable_time WHERE id IN (${marks})${lock}`,
      { replacements: ids, type: QueryTypes.SELECT, transaction },
    );
    const found = new Map(rows.map((row) => [row.id, row]));
    const missing = ids.filter((id) => !found.has(id));
    const already = ids.filter((id) => truthy(found.get(id)?.is_invoiced));
    if (missing.length > 0 || already.length > 0) {
      const parts = [
        ...(missing.length > 0 ? [`not found: ${listed(missing)}`] : []),
        ...(already.length > 0 ? [`already invoiced: ${listed(already)}`] : []),
      ];
      throw failedPrecondition(`no entry was marked invoiced; ${parts.join("; ")}`);
    }
    const clients = new Set(rows.map((row) => row.client_id));
    if (clients.size > 1)
      throw invalidArgument("billable_time_ids", `name entries of one client (an invoice is for one client), not of ${clients.size}`);

    // The rows are locked (MariaDB) or the writers take turns (SQLite): what was read above still holds.
    await db.sequelize.query(
      `UPDATE billable_time SET is_invoiced = 1, invoiced_at = ?, invoice_reference = ?, revision = revision + 1, updated_at = ?
       WHERE id IN (${marks}) AND is_invoiced = 0`,
      { replacements: [invoicedAt, reference || null, new Date(), ...ids], transaction },
    );
    for (const id of ids) {
      await writeAuditEvent(transaction, ctx, {
        resourceType: "billable_time",
        resourceId: id,
        action: "update",
        summary: { is_invoiced: true, invoiced_at: invoicedAt, invoice_reference: reference || null },
      });
    }
  });

  const rows = await db.select<StoredRecord>(`SELECT * FROM billable_time WHERE id IN (${marks})`, ids);
  const byId = new Map(rows.map((row) => [textOf(row["id"]), store.toMessage(normalizeRow(store.fields, row))]));
  return { billableTime: ids.map((id) => byId.get(id)).filter((m): m is BillableTime => m !== undefined) };
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
