import type { Database } from "@msp/db";
import { isUuid, sqlPlaceholders } from "@msp/db";
import { failedPrecondition, invalidArgument } from "@msp/errors";
import type { ResourceStore } from "@msp/resource-kit";
import { textOf, toDate } from "@msp/resource-kit";
import type {
  BillingSummary,
  BillingSummaryLine,
  ExportBillableTimeRequest,
  ExportBillableTimeResponse,
  GetBillingSummaryRequest,
} from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { BillableTimeCategory } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import type { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { decimalOrNull } from "./billable-time-rules";
import { centsToAmount, sumAmounts } from "./billing";
import { csvLine, spreadsheetSafe } from "./csv";

/** Rows in one export; a gRPC message stays well under the gateway's 4 MiB with this many. */
export const maxExportRows = 10_000;

/** A billing period on started_at: start inclusive, end exclusive, either open. */
interface Period {
  start: Date | undefined;
  end: Date | undefined;
}

function periodOf(request: { start?: Date | undefined; end?: Date | undefined }): Period {
  for (const field of ["start", "end"] as const) {
    const value = request[field];
    if (value && (Number.isNaN(value.getTime()) || value.getUTCFullYear() < 1970 || value.getUTCFullYear() > 9999)) {
      throw invalidArgument(field, "must be a timestamp between 1970 and 9999");
    }
  }
  if (request.start && request.end && request.end <= request.start) throw invalidArgument("end", "must be after start");
  return { start: request.start, end: request.end };
}

/** The SQL condition of a period on `column`, values escaped the way Sequelize stores dates on this dialect. */
function periodSql(db: Database, column: string, period: Period): string {
  let sql = "";
  if (period.start) sql += ` AND ${column} >= ${db.sequelize.escape(period.start)}`;
  if (period.end) sql += ` AND ${column} < ${db.sequelize.escape(period.end)}`;
  return sql;
}

function clientIdOf(value: string): string {
  if (value === "") throw invalidArgument("client_id", "is required");
  if (!isUuid(value)) throw invalidArgument("client_id", "must be a UUID");
  return value.toLowerCase();
}

/** SUM of a DECIMAL(…,2) column, exact on both dialects: MariaDB sums decimals; SQLite holds them as REAL, so it sums cents. */
function amountSum(db: Database, column: string): string {
  return db.dialect === "mariadb" ? `SUM(${column})` : `SUM(CAST(ROUND(${column} * 100) AS INTEGER))`;
}

function amountOf(db: Database, value: unknown): string {
  if (value === null || value === undefined) return "0.00";
  return db.dialect === "mariadb" ? sumAmounts([textOf(value)]) : centsToAmount(textOf(value));
}

/** Categories in declaration order, for the order of a summary's lines. */
const categoryOrder: readonly BillableTimeCategory[] = [
  BillableTimeCategory.BILLABLE_TIME_CATEGORY_CONSULTING,
  BillableTimeCategory.BILLABLE_TIME_CATEGORY_DEVELOPMENT,
  BillableTimeCategory.BILLABLE_TIME_CATEGORY_SUPPORT,
  BillableTimeCategory.BILLABLE_TIME_CATEGORY_MAINTENANCE,
  BillableTimeCategory.BILLABLE_TIME_CATEGORY_EMERGENCY,
  BillableTimeCategory.BILLABLE_TIME_CATEGORY_PROJECT_WORK,
  BillableTimeCategory.BILLABLE_TIME_CATEGORY_REMOTE,
  BillableTimeCategory.BILLABLE_TIME_CATEGORY_ONSITE,
];

function categoryOf(stored: unknown): BillableTimeCategory {
  if (typeof stored !== "string") return BillableTimeCategory.BILLABLE_TIME_CATEGORY_UNSPECIFIED;
  const name = `BILLABLE_TIME_CATEGORY_${stored.toUpperCase()}` as keyof typeof BillableTimeCategory;
  return BillableTimeCategory[name] ?? BillableTimeCategory.BILLABLE_TIME_CATEGORY_UNSPECIFIED;
}

interface LineSums {
  projectId: string | null;
  category: BillableTimeCategory;
  entryCount: number;
  rawMinutes: number;
  billedMinutes: number;
  nonBillableMinutes: number;
  invoiced: string[];
  uninvoiced: string[];
}

function emptySums(projectId: string | null, category: BillableTimeCategory): LineSums {
  return { projectId, category, entryCount: 0, rawMinutes: 0, billedMinutes: 0, nonBillableMinutes: 0, invoiced: [], uninvoiced: [] };
}

function lineOf(sums: LineSums, projectName: string): BillingSummaryLine {
  const invoicedAmount = sumAmounts(sums.invoiced);
  const uninvoicedAmount = sumAmounts(sums.uninvoiced);
  return {
    ...(sums.projectId ? { projectId: sums.projectId } : {}),
    projectName,
    category: sums.category,
    entryCount: sums.entryCount,
    rawMinutes: sums.rawMinutes,
    billedMinutes: sums.billedMinutes,
    nonBillableMinutes: sums.nonBillableMinutes,
    amount: sumAmounts([invoicedAmount, uninvoicedAmount]),
    invoicedAmount,
    uninvoicedAmount,
  };
}

/**
 * A client's billable time in a period per project and category, with totals. The figures are
 * the entries' stored billed figures, which already follow the client's policy (per-session
 * rounding included), so one grouped query over the client's covering index answers it.
 */
export async function billingSummary(
  db: Database,
  clients: ResourceStore<Client>,
  request: GetBillingSummaryRequest,
): Promise<BillingSummary> {
  const client = await clients.get(clientIdOf(request.clientId));
  const period = periodOf(request);
  const groups = await db.select<Record<string, unknown>>(
    `SELECT project_id, category, is_billable, is_invoiced, CASE WHEN review_status = 'pending' THEN 1 ELSE 0 END AS unreviewed,
       COUNT(*) AS entries, SUM(duration_minutes) AS raw, SUM(rounded_minutes) AS billed, ${amountSum(db, "amount")} AS amount
     FROM billable_time WHERE client_id = ?${periodSql(db, "started_at", period)}
     GROUP BY project_id, category, is_billable, is_invoiced, CASE WHEN review_status = 'pending' THEN 1 ELSE 0 END`,
    [client.id],
  );
  const lines = new Map<string, LineSums>();
  const totals = emptySums(null, BillableTimeCategory.BILLABLE_TIME_CATEGORY_UNSPECIFIED);
  // Automatic time waiting for a review is counted apart until a technician approves, adjusts or rejects it.
  const unreviewed = emptySums(null, BillableTimeCategory.BILLABLE_TIME_CATEGORY_UNSPECIFIED);
  for (const group of groups) {
    const projectId = typeof group["project_id"] === "string" ? group["project_id"] : null;
    const category = categoryOf(group["category"]);
    const key = `${projectId ?? ""} ${category}`;
    const pending = truthy(group["unreviewed"]);
    const line = pending ? undefined : (lines.get(key) ?? emptySums(projectId, category));
    if (line) lines.set(key, line);
    const billable = truthy(group["is_billable"]);
    const amount = amountOf(db, group["amount"]);
    for (const sums of line ? [line, totals] : [unreviewed]) {
      sums.entryCount += Number(group["entries"]);
      if (billable) {
        sums.rawMinutes += Number(group["raw"]);
        sums.billedMinutes += Number(group["billed"]);
      } else {
        sums.nonBillableMinutes += Number(group["raw"]);
      }
      (truthy(group["is_invoiced"]) ? sums.invoiced : sums.uninvoiced).push(amount);
    }
  }

  const projectIds = [...new Set([...lines.values()].map((l) => l.projectId).filter((id): id is string => id !== null))];
  const names = new Map<string, string>();
  if (projectIds.length > 0) {
    const rows = await db.select<{ id: string; name: string }>(
      `SELECT id, name FROM projects WHERE id IN (${sqlPlaceholders(projectIds.length)})`,
      projectIds,
    );
    for (const row of rows) names.set(row.id, row.name);
  }
  const ordered = [...lines.values()].sort((a, b) => {
    if ((a.projectId === null) !== (b.projectId === null)) return a.projectId === null ? 1 : -1;
    const byName = (names.get(a.projectId ?? "") ?? "").localeCompare(names.get(b.projectId ?? "") ?? "");
    if (byName !== 0) return byName;
    if (a.projectId !== b.projectId) return (a.projectId ?? "").localeCompare(b.projectId ?? "");
    const rank = (c: BillableTimeCategory) =>
      c === BillableTimeCategory.BILLABLE_TIME_CATEGORY_UNSPECIFIED ? 99 : categoryOrder.indexOf(c);
    return rank(a.category) - rank(b.category);
  });

  return {
    clientId: client.id,
    clientName: client.name ?? "",
    ...(period.start ? { start: period.start } : {}),
    ...(period.end ? { end: period.end } : {}),
    billingIncrementMinutes: client.billingIncrementMinutes ?? 15,
    billingRoundingDirection: client.billingRoundingDirection ?? 0,
    billingMinimumMinutes: client.billingMinimumMinutes ?? 15,
    billingRoundingScope: client.billingRoundingScope ?? 0,
    lines: ordered.map((sums) => lineOf(sums, sums.projectId ? (names.get(sums.projectId) ?? "") : "")),
    totals: lineOf(totals, ""),
    unreviewed: lineOf(unreviewed, ""),
  };
}

/** The export's columns, in order (the header row). */
export const exportColumns = [
  "entry_id",
  "date",
  "started_at",
  "ended_at",
  "client",
  "project",
  "category",
  "description",
  "raw_minutes",
  "billed_minutes",
  "hourly_rate",
  "amount",
  "invoiced",
  "invoice_reference",
  "review",
] as const;

/**
 * A client's billable entries in a period as CSV for an accounting tool: a header row, one row
 * per entry in started_at order, ISO 8601 dates and times in UTC, amounts with a dot and two
 * decimals, RFC 4180 quoting. Time waiting for a technician's review is left out (and counted)
 * unless the request includes it: it cannot be invoiced yet.
 */
export async function exportBillableTime(
  db: Database,
  clients: ResourceStore<Client>,
  request: ExportBillableTimeRequest,
): Promise<ExportBillableTimeResponse> {
  const client = await clients.get(clientIdOf(request.clientId));
  const period = periodOf(request);
  const scope = `b.client_id = ? AND b.is_billable = 1${request.uninvoicedOnly ? " AND b.is_invoiced = 0" : ""}${periodSql(db, "b.started_at", period)}`;
  const reviewed = request.includeUnreviewed ? "" : " AND b.review_status <> 'pending'";
  const exported = await db.select<Record<string, unknown>>(
    `SELECT b.id, b.started_at, b.ended_at, b.category, b.description, b.duration_minutes, b.rounded_minutes,
       b.effective_hourly_rate, b.amount, b.invoiced_at, b.invoice_reference, b.review_status, p.name AS project_name
     FROM billable_time b LEFT JOIN projects p ON p.id = b.project_id
     WHERE ${scope}${reviewed}
     ORDER BY b.started_at, b.id LIMIT ${maxExportRows + 1}`,
    [client.id],
  );
  if (exported.length > maxExportRows) {
    throw failedPrecondition(`the period holds more than ${maxExportRows} billable entries; export a shorter period`);
  }
  const [waiting] = request.includeUnreviewed
    ? [{ n: 0 }]
    : await db.select<{ n: unknown }>(`SELECT COUNT(*) AS n FROM billable_time b WHERE ${scope} AND b.review_status = 'pending'`, [
        client.id,
      ]);
  const iso = (value: unknown) =>
    value === null || value === undefined
      ? ""
      : toDate(value)
          .toISOString()
          .replace(/\.000Z$/, "Z");
  const day = (value: unknown) => (value === null || value === undefined ? "" : toDate(value).toISOString().slice(0, 10));
  const text = (value: unknown) => (value === null || value === undefined ? "" : spreadsheetSafe(textOf(value)));
  let csv = csvLine(exportColumns);
  for (const row of exported) {
    csv += csvLine([
      textOf(row["id"]),
      day(row["started_at"]),
      iso(row["started_at"]),
      iso(row["ended_at"]),
      text(client.name),
      text(row["project_name"]),
      row["category"] === null || row["category"] === undefined ? "" : textOf(row["category"]),
      text(row["description"]),
      String(Number(row["duration_minutes"])),
      String(Number(row["rounded_minutes"])),
      decimalOrNull(row["effective_hourly_rate"]) ?? "",
      decimalOrNull(row["amount"]) ?? "0.00",
      day(row["invoiced_at"]),
      text(row["invoice_reference"]),
      textOf(row["review_status"]),
    ]);
  }
  const slug =
    (client.name ?? "client")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "client";
  // The file's name carries its dates: the period's, or for an open one its first entry's day and today.
  const first = exported.length > 0 ? day(exported[0]!["started_at"]) : undefined;
  const today = new Date().toISOString().slice(0, 10);
  const span = `${period.start ? period.start.toISOString().slice(0, 10) : (first ?? today)}-${period.end ? period.end.toISOString().slice(0, 10) : today}`;
  return {
    filename: `billable-time-${slug}-${span}.csv`,
    contentType: "text/csv; charset=utf-8; header=present",
    csv,
    rowCount: exported.length,
    unreviewedLeftOut: Number(waiting?.n ?? 0),
  };
}

function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === "1" || value === 1n;
}
