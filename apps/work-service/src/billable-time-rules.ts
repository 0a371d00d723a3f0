import type { Transaction } from "sequelize";
import { sqlPlaceholders } from "@msp/db";
import { QueryTypes } from "sequelize";
import type { Database } from "@msp/db";
import { failedPrecondition, invalidArgument } from "@msp/errors";
import type { AuditEventInput, FieldOverrides, HookContext, StoredRecord } from "@msp/resource-kit";
import { describeFields, normalizeRow, textOf, writeAuditEvents } from "@msp/resource-kit";
import { BillableTimeSchema } from "@msp/proto/src/gen/es/msp/work/v1/billable_time_pb";
import type { BillingPolicy, EntryFigures } from "./billing";
import { entryFigures, hoursOf, policyOf, rawMinutes, resolveRate, sessionShares, sumAmounts } from "./billing";
import { BillableTimeModel, ClientModel, ProjectModel, SessionModel, WorkItemModel } from "./models";
import { billableByDefault } from "./session-rules";

/** How billable_time columns map to fields beyond what the descriptor says. */
export const billableTimeOverrides: FieldOverrides = {
  decimals: { hourly_rate: 2, effective_hourly_rate: 2, amount: 2 },
  maxLength: { invoice_reference: 64 },
};

/**
 * The billable time category of work of a work item's category: what an invoice calls that kind
 * of work. Time on a work item takes it unless a category is given.
 */
const billableCategories: Readonly<Record<string, string>> = {
  infrastructure: "maintenance",
  troubleshooting: "support",
  configuration: "support",
  development: "development",
  maintenance: "maintenance",
  security: "support",
  documentation: "consulting",
};

export function billableCategoryOf(workItemCategory: unknown): string | null {
  return typeof workItemCategory === "string" ? (billableCategories[workItemCategory] ?? null) : null;
}

/** The billed figures, derived from the raw minutes, the rates and the client's policy. */
export const derivedFields = ["rounded_minutes", "effective_hourly_rate", "rate_source", "amount", "rounding_scope"] as const;

/** The longest stretch one entry may hold: a week. */
export const maxEntryMinutes = 10_080;

const entryFields = describeFields(BillableTimeSchema, billableTimeOverrides);

/** Refuses any change to invoiced time: its figures are on an invoice. */
export function refuseIfInvoiced(row: StoredRecord, what: string): void {
  if (row["is_invoiced"] !== true) return;
  const at = row["invoiced_at"] instanceof Date ? ` on ${row["invoiced_at"].toISOString().slice(0, 10)}` : "";
  throw failedPrecondition(`billable time ${textOf(row["id"])} was invoiced${at}; invoiced time cannot be ${what}`);
}

/**
 * Locks the session of an entry about to be updated or deleted before the entry itself, so that
 * writers of one session's entries take turns in one lock order (session, then entries) and a
 * session's totals are summed from committed rows. SQLite writers take turns anyway.
 */
export async function lockEntrySession(id: string, { db, transaction }: HookContext): Promise<void> {
  if (db.dialect !== "mariadb") return;
  const entry = await BillableTimeModel.findOne({ where: { id }, attributes: ["session_id"], raw: true, transaction });
  if (entry?.session_id) {
    await SessionModel.findOne({
      where: { id: entry.session_id },
      attributes: ["id"],
      raw: true,
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
  }
}

/** An hourly rate as stored (DECIMAL(10,2)): not negative, below 100,000,000. */
export function checkRate(field: string, rate: unknown): void {
  if (typeof rate !== "string") return;
  if (rate.startsWith("-")) throw invalidArgument(field, "must not be negative");
  if (rate.split(".")[0]!.length > 8) throw invalidArgument(field, "must be below 100000000");
}

/** What billing needs to know about a client. */
interface ClientTerms {
  clientType: string;
  rate: string | null;
  policy: BillingPolicy;
}

/** Reads a client's terms; on MariaDB a shared lock makes a concurrent policy change wait for this write, or this write for it. */
async function clientTerms(clientId: string, transaction: Transaction, lock: boolean): Promise<ClientTerms | null> {
  const row = (await ClientModel.findOne({
    where: { id: clientId },
    raw: true,
    transaction,
    ...(lock ? { lock: transaction.LOCK.SHARE } : {}),
  })) as unknown as Record<string, unknown> | null;
  if (!row) return null;
  return { clientType: textOf(row["client_type"]), rate: decimalOrNull(row["default_hourly_rate"]), policy: policyOf(row) };
}

/**
 * Prepares a billable time entry for writing (create or update): owners consistent (work item in
 * the session, the session's client and project by default), raw minutes from the times,
 * billable by default as the work item, the session or the client's type says, and the billed
 * figures as the entry alone would bill. Sibling entries and session totals follow in `rebill`.
 */
export async function settleBillableTime(row: StoredRecord, existing: StoredRecord | undefined, hook: HookContext): Promise<void> {
  if (existing) refuseIfInvoiced(existing, "changed");
  const { transaction, given, db } = hook;
  const changed = (field: string) => !existing || row[field] !== existing[field];
  let defaultBillable: boolean | undefined;

  const workItemId = row["work_item_id"];
  if (typeof workItemId === "string" && changed("work_item_id")) {
    const item = await WorkItemModel.findOne({
      where: { id: workItemId },
      attributes: ["session_id", "is_billable", "category"],
      raw: true,
      transaction,
    });
    if (!item) throw invalidArgument("billable_time.work_item_id", `no work item has id ${workItemId}`);
    if (!given.has("category") && !row["category"]) row["category"] = billableCategoryOf(item.category);
    if (typeof row["session_id"] !== "string") row["session_id"] = item.session_id;
    else if (row["session_id"] !== item.session_id) {
      throw invalidArgument(
        "billable_time.work_item_id",
        `belongs to session ${item.session_id}, not to session_id ${textOf(row["session_id"])}`,
      );
    }
    defaultBillable = truthy(item.is_billable);
  }

  const sessionId = row["session_id"];
  if (typeof sessionId === "string" && (changed("session_id") || changed("client_id"))) {
    const session = await SessionModel.findOne({
      where: { id: sessionId },
      attributes: ["client_id", "project_id", "is_billable"],
      raw: true,
      transaction,
    });
    if (!session) throw invalidArgument("billable_time.session_id", `no session has id ${sessionId}`);
    if (typeof row["client_id"] !== "string" && session.client_id) row["client_id"] = session.client_id;
    else if (session.client_id && row["client_id"] !== session.client_id) {
      throw invalidArgument("billable_time.client_id", `must be the session's client ${session.client_id}`);
    }
    if (!existing && !given.has("project_id") && session.project_id) row["project_id"] = session.project_id;
    defaultBillable ??= truthy(session.is_billable);
  }

  const clientId = row["client_id"];
  if (typeof clientId !== "string") throw invalidArgument("billable_time.client_id", "is required (or a session with a client)");
  // Locks, in the order every billing change takes them (client, then sessions): a policy change
  // of the client waits for this write, or this write for it; writes to one session take turns.
  const terms = await clientTerms(clientId, transaction, db.dialect === "mariadb");
  if (!terms) throw invalidArgument("billable_time.client_id", `no client has id ${clientId}`);
  const sessions = [...new Set([row["session_id"], existing?.["session_id"]].filter((id): id is string => typeof id === "string"))].sort();
  for (const id of sessions) {
    await SessionModel.findOne({ where: { id }, attributes: ["id"], raw: true, transaction, lock: transaction.LOCK.UPDATE });
  }

  let projectRate: string | null = null;
  const projectId = row["project_id"];
  if (typeof projectId === "string") {
    const project = await ProjectModel.findOne({
      where: { id: projectId },
      attributes: ["client_id", "hourly_rate"],
      raw: true,
      transaction,
    });
    if (!project) throw invalidArgument("billable_time.project_id", `no project has id ${projectId}`);
    if (changed("project_id") || changed("client_id")) {
      if (project.client_id !== clientId) throw invalidArgument("billable_time.project_id", `belongs to another client than ${clientId}`);
    }
    projectRate = decimalOrNull(project.hourly_rate);
  }

  settleMinutes(row, given);
  checkRate("billable_time.hourly_rate", row["hourly_rate"]);
  if (typeof row["description"] === "string") row["description"] = row["description"].trim() || null;

  if (!existing && typeof row["is_billable"] !== "boolean") row["is_billable"] = defaultBillable ?? billableByDefault(terms.clientType);
  // As the entry alone would bill; with per-session rounding, rebill gives it its share after the write.
  Object.assign(
    row,
    entryFigures(
      Number(row["duration_minutes"]),
      row["is_billable"] === true,
      resolveRate(decimalOrNull(row["hourly_rate"]), projectRate, terms.rate),
      terms.policy,
      typeof row["session_id"] === "string" ? terms.policy.scope : "per_entry",
    ),
  );
}

/**
 * Raw minutes: from started_at..ended_at when there is an end (a different duration given is
 * refused), else as given, which is then required.
 */
function settleMinutes(row: StoredRecord, given: ReadonlySet<string>): void {
  const startedAt = row["started_at"];
  if (!(startedAt instanceof Date)) throw invalidArgument("billable_time.started_at", "is required");
  const endedAt = row["ended_at"];
  const duration = row["duration_minutes"];
  if (endedAt instanceof Date) {
    if (endedAt < startedAt) throw invalidArgument("billable_time.ended_at", "must not be before started_at");
    const derived = rawMinutes(startedAt, endedAt);
    if (given.has("duration_minutes") && typeof duration === "number" && duration !== derived) {
      throw invalidArgument(
        "billable_time.duration_minutes",
        `must be ${derived} (started_at..ended_at) or left out; change ended_at, or clear it, to give another duration`,
      );
    }
    row["duration_minutes"] = derived;
  } else if (typeof duration !== "number") {
    throw invalidArgument("billable_time.duration_minutes", "is required without ended_at");
  }
  if (Number(row["duration_minutes"]) > maxEntryMinutes) {
    throw invalidArgument(
      "billable_time.duration_minutes",
      `must be at most ${maxEntryMinutes} (a week); record longer work as several entries`,
    );
  }
}

/** Which entries to bill again: those of these sessions and these entries, or all of a client or a project. */
export interface RebillScope {
  sessionIds?: readonly unknown[];
  entryIds?: readonly string[];
  clientId?: string;
  projectId?: string;
}

/** Rows per IN list: keeps statements small on both dialects. */
const chunkSize = 500;

/** Where a rule rewrites records: the change's database, transaction and caller (for their audit events). */
export type DerivedWrite = Pick<HookContext, "db" | "transaction" | "ctx">;

/**
 * Derives the billed figures of every uninvoiced entry in scope again (with its whole session,
 * for per-session rounding) and the billed totals of their sessions, writing only what changed,
 * each rewritten entry and session audited under the change that caused it.
 * Runs in the transaction of the change that made it necessary, so nothing is ever stale.
 * Invoiced entries keep their figures.
 */
export async function rebill(write: DerivedWrite, scope: RebillScope): Promise<void> {
  const { db, transaction } = write;
  // Locking reads on MariaDB: they see the latest committed rows (not the transaction's snapshot)
  // and keep them until this change commits.
  const lock = db.dialect === "mariadb" ? " FOR UPDATE" : "";
  const query = <T extends object>(sql: string, replacements: unknown[]) =>
    db.sequelize.query<T>(`${sql}${lock}`, { replacements, type: QueryTypes.SELECT, transaction });
  const sessionIds = new Set((scope.sessionIds ?? []).filter((id): id is string => typeof id === "string"));
  if (scope.clientId || scope.projectId) {
    const column = scope.clientId ? "client_id" : "project_id";
    const rows = await db.sequelize.query<{ session_id: string | null }>(
      `SELECT DISTINCT session_id FROM billable_time WHERE ${column} = ? AND is_invoiced = 0 AND session_id IS NOT NULL`,
      { replacements: [scope.clientId ?? scope.projectId], type: QueryTypes.SELECT, transaction },
    );
    for (const row of rows) if (row.session_id) sessionIds.add(row.session_id);
  }
  await lockSessions(db, transaction, [...sessionIds]);

  const entries: StoredRecord[] = [];
  for (const ids of chunks([...sessionIds])) {
    entries.push(
      ...(await query<StoredRecord>(
        `SELECT * FROM billable_time WHERE is_invoiced = 0 AND session_id IN (${sqlPlaceholders(ids.length)})`,
        ids,
      )),
    );
  }
  const loose: string[] = [];
  if (scope.clientId || scope.projectId) {
    const column = scope.clientId ? "client_id" : "project_id";
    entries.push(
      ...(await query<StoredRecord>(`SELECT * FROM billable_time WHERE ${column} = ? AND is_invoiced = 0 AND session_id IS NULL`, [
        scope.clientId ?? scope.projectId,
      ])),
    );
  }
  for (const id of scope.entryIds ?? []) if (!entries.some((e) => e["id"] === id)) loose.push(id);
  for (const ids of chunks(loose)) {
    entries.push(
      ...(await query<StoredRecord>(`SELECT * FROM billable_time WHERE is_invoiced = 0 AND id IN (${sqlPlaceholders(ids.length)})`, ids)),
    );
  }
  const rows = entries.map((row) => normalizeRow(entryFields, row));

  const terms = new Map<string, ClientTerms>();
  for (const clientId of new Set(rows.map((r) => textOf(r["client_id"])))) {
    const found = await clientTerms(clientId, transaction, false);
    if (found) terms.set(clientId, found);
  }
  const projectRates = new Map<string, string | null>();
  const projectIds = [...new Set(rows.map((r) => r["project_id"]).filter((id): id is string => typeof id === "string"))];
  for (const ids of chunks(projectIds)) {
    for (const p of await query<{ id: string; hourly_rate: unknown }>(
      `SELECT id, hourly_rate FROM projects WHERE id IN (${sqlPlaceholders(ids.length)})`,
      ids,
    )) {
      projectRates.set(p.id, decimalOrNull(p.hourly_rate));
    }
  }

  const figures = new Map<string, EntryFigures>();
  const groups = new Map<string, StoredRecord[]>();
  for (const row of rows) {
    const client = terms.get(textOf(row["client_id"]));
    if (!client) continue;
    const rate = resolveRate(decimalOrNull(row["hourly_rate"]), projectRates.get(textOf(row["project_id"])) ?? null, client.rate);
    const sessionId = row["session_id"];
    if (client.policy.scope === "per_session" && typeof sessionId === "string") {
      const key = `${sessionId} ${textOf(row["client_id"])}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
      // Provisional: not billable entries keep these; billable ones get their share below.
      figures.set(
        textOf(row["id"]),
        entryFigures(Number(row["duration_minutes"]), row["is_billable"] === true, rate, client.policy, "per_session"),
      );
    } else {
      figures.set(
        textOf(row["id"]),
        entryFigures(Number(row["duration_minutes"]), row["is_billable"] === true, rate, client.policy, "per_entry"),
      );
    }
  }
  for (const [key, group] of groups) {
    const [sessionId = "", clientId = ""] = key.split(" ");
    const policy = terms.get(clientId)!.policy;
    const billable = group.filter((r) => r["is_billable"] === true).sort(byStart);
    const invoiced = await query<{ duration_minutes: unknown; rounded_minutes: unknown }>(
      "SELECT duration_minutes, rounded_minutes FROM billable_time WHERE session_id = ? AND client_id = ? AND is_invoiced = 1 AND is_billable = 1",
      [sessionId, clientId],
    );
    const shares = sessionShares(
      billable.map((r) => Number(r["duration_minutes"])),
      policy,
      {
        raw: invoiced.reduce((total, r) => total + Number(r.duration_minutes), 0),
        billed: invoiced.reduce((total, r) => total + Number(r.rounded_minutes), 0),
      },
    );
    billable.forEach((row, i) => {
      const id = textOf(row["id"]);
      const own = figures.get(id)!;
      const rate = { rate: own.effective_hourly_rate, source: own.rate_source };
      figures.set(id, entryFigures(Number(row["duration_minutes"]), true, rate, policy, "per_session", shares[i]));
    });
  }

  const now = new Date();
  const events: AuditEventInput[] = [];
  for (const row of rows) {
    const next = figures.get(textOf(row["id"]));
    if (!next || derivedFields.every((f) => row[f] === next[f])) continue;
    const changed = Object.fromEntries(derivedFields.filter((f) => row[f] !== next[f]).map((f) => [f, next[f]]));
    events.push({ resourceType: "billable_time", resourceId: textOf(row["id"]), action: "update", summary: changed });
    await db.sequelize.query(
      `UPDATE billable_time SET rounded_minutes = ?, effective_hourly_rate = ?, rate_source = ?, amount = ?, rounding_scope = ?,
         revision = revision + 1, updated_at = ? WHERE id = ? AND is_invoiced = 0`,
      {
        replacements: [
          next.rounded_minutes,
          next.effective_hourly_rate,
          next.rate_source,
          next.amount,
          next.rounding_scope,
          now,
          row["id"],
        ],
        transaction,
      },
    );
  }

  for (const row of rows) if (typeof row["session_id"] === "string") sessionIds.add(row["session_id"]);
  events.push(...(await settleSessionTotals(db, transaction, [...sessionIds])));
  await writeAuditEvents(transaction, write.ctx, events);
}

/**
 * Locks sessions (MariaDB) before their entries, in id order: the order every billing change
 * locks them in, so two changes never wait on each other in a circle.
 */
export async function lockSessions(db: Database, transaction: Transaction, sessionIds: readonly string[]): Promise<void> {
  if (db.dialect !== "mariadb") return; // SQLite writers take turns
  for (const ids of chunks([...new Set(sessionIds)].sort())) {
    await db.sequelize.query(`SELECT id FROM sessions WHERE id IN (${sqlPlaceholders(ids.length)}) FOR UPDATE`, {
      replacements: ids,
      type: QueryTypes.SELECT,
      transaction,
    });
  }
}

/**
 * Locks the sessions of the entries `entries` selects (a condition on billable_time and its
 * parameters), as lockSessions does, before the entries themselves are locked; returns their ids.
 */
export async function lockSessionsOf(
  db: Database,
  transaction: Transaction,
  entries: { where: string; params: readonly unknown[] },
): Promise<string[]> {
  const rows = await db.sequelize.query<{ session_id: string }>(
    `SELECT DISTINCT session_id FROM billable_time WHERE ${entries.where} AND session_id IS NOT NULL`,
    { replacements: [...entries.params], type: QueryTypes.SELECT, transaction },
  );
  const sessionIds = rows.map((row) => row.session_id);
  await lockSessions(db, transaction, sessionIds);
  return sessionIds;
}

/**
 * A session's billed totals: the sum of its billable entries' billed minutes and amounts.
 * Returns the audit events of the sessions it rewrote.
 */
async function settleSessionTotals(db: Database, transaction: Transaction, sessionIds: readonly string[]): Promise<AuditEventInput[]> {
  const now = new Date();
  const events: AuditEventInput[] = [];
  const lock = db.dialect === "mariadb" ? " FOR UPDATE" : "";
  for (const ids of chunks([...sessionIds].sort())) {
    const sessions = await db.sequelize.query<{ id: string; billable_minutes: unknown; billable_amount: unknown; billable_hours: unknown }>(
      `SELECT id, billable_minutes, billable_amount, billable_hours FROM sessions WHERE id IN (${sqlPlaceholders(ids.length)})${lock}`,
      { replacements: ids, type: QueryTypes.SELECT, transaction },
    );
    const entries = await db.sequelize.query<{ session_id: string; rounded_minutes: unknown; amount: unknown }>(
      `SELECT session_id, rounded_minutes, amount FROM billable_time WHERE is_billable = 1 AND session_id IN (${sqlPlaceholders(ids.length)})${lock}`,
      { replacements: ids, type: QueryTypes.SELECT, transaction },
    );
    for (const session of sessions) {
      const own = entries.filter((e) => e.session_id === session.id);
      const minutes = own.reduce((total, e) => total + Number(e.rounded_minutes), 0);
      const amount = sumAmounts(own.map((e) => textOf(e.amount)));
      const hours = hoursOf(minutes);
      if (
        Number(session.billable_minutes) === minutes &&
        decimalOrNull(session.billable_amount) === amount &&
        decimalOrNull(session.billable_hours) === hours
      ) {
        continue;
      }
      await db.sequelize.query(
        "UPDATE sessions SET billable_minutes = ?, billable_hours = ?, billable_amount = ?, revision = revision + 1, updated_at = ? WHERE id = ?",
        { replacements: [minutes, hours, amount, now, session.id], transaction },
      );
      events.push({
        resourceType: "session",
        resourceId: session.id,
        action: "update",
        summary: { billable_minutes: minutes, billable_hours: hours, billable_amount: amount },
      });
    }
  }
  return events;
}

/** A decimal read from either dialect (string on MariaDB, number on SQLite) as a two-decimal string, or null. */
export function decimalOrNull(value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  const text = typeof value === "number" ? value.toFixed(2) : textOf(value);
  const [whole = "0", fraction = ""] = text.split(".");
  return `${whole}.${fraction.padEnd(2, "0").slice(0, 2)}`;
}

function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === "1";
}

function byStart(a: StoredRecord, b: StoredRecord): number {
  const at = (r: StoredRecord) => (r["started_at"] instanceof Date ? r["started_at"].getTime() : 0);
  return at(a) - at(b) || textOf(a["id"]).localeCompare(textOf(b["id"]));
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += chunkSize) out.push(items.slice(i, i + chunkSize));
  return out;
}
