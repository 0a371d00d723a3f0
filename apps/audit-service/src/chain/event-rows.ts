import type { ChainEvent, EventText } from "@msp/audit-chain";
import { canonicalEventTextAt, eventTextOf, isoTimestamp } from "@msp/audit-chain";
import type { Dialect } from "@msp/db/src/database-config";
import type { RowReader } from "@msp/db/src/row-reader";
import { textOf, toDate } from "@msp/db/src/stored-values";

// Reading chained events back, for the chain store and for the verify's worker threads. Light on
// purpose: a worker loads this and a RowReader, not Sequelize (verify-worker.ts).

/** The columns of audit_events, in the order ChainStore inserts them. */
export const eventColumns = [
  "seq",
  "id",
  "occurred_at",
  "service",
  "method",
  "principal",
  "resource_type",
  "resource_id",
  "action",
  "outcome",
  "request_summary",
  "source_ip",
  "prev_hash",
  "hash",
  "chained_at",
] as const;

/** What events are read through: the service's Database, or a worker's RowReader. */
export type EventRows = Pick<RowReader, "dialect" | "selectRows">;

/** Reads chained events as events (ChainEvent) or as a verify hashes them (EventText). */
export class EventReader {
  constructor(private readonly rows: EventRows) {}

  /** Events with afterSeq < seq <= toSeq, oldest first, at most `limit`. */
  async eventsAfter(afterSeq: number, toSeq: number, limit: number): Promise<ChainEvent[]> {
    // Rows as arrays: a verify reads every event, and an object per row is a third of its time.
    const rows = await this.rows.selectRows(
      `SELECT ${hashedColumns.join(", ")} FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
      [afterSeq, toSeq, limit],
    );
    return rows.map(chainEventOfRow);
  }

  /**
   * The events with afterSeq < seq <= toSeq as a verify needs them (EventText), oldest first, at
   * most `limit`. The hashed columns come joined in one text column (fieldsColumn), which costs
   * the driver and this process less than eleven columns and a ChainEvent each (BENCHMARKS.md:
   * a verify a tenth faster); an event whose text holds the separator is read again column by column.
   */
  async eventTextsAfter(afterSeq: number, toSeq: number, limit: number): Promise<EventText[]> {
    const rows = await this.rows.selectRows(
      `SELECT seq, prev_hash, hash, ${fieldsColumn(this.rows.dialect)} FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
      [afterSeq, toSeq, limit],
    );
    const texts: EventText[] = [];
    for (const row of rows) texts.push(eventTextOfRow(row) ?? (await this.eventTextAt(Number(row[0]))));
    return texts;
  }

  /** Event `seq` read column by column, as an EventText. */
  private async eventTextAt(seq: number): Promise<EventText> {
    const [event] = await this.eventsAfter(seq - 1, seq, 1);
    if (!event) throw new Error(`audit event ${seq} was deleted while it was being verified; verify again`);
    return eventTextOf(event);
  }
}

/** A nullable stored text column: null stays null, anything else as text. */
export function optionalText(value: unknown): string | null {
  return value === null || value === undefined ? null : textOf(value);
}

/** The columns of a chained event that its hash covers (and the hashes), in the order chainEventOfRow reads them. */
const hashedColumns = eventColumns.filter((c) => c !== "chained_at");

function chainEventOfRow(row: unknown[]): ChainEvent {
  return {
    seq: Number(row[0]),
    id: String(row[1]),
    occurredAt: toDate(row[2]),
    service: String(row[3]),
    method: String(row[4]),
    principal: String(row[5]),
    resourceType: String(row[6]),
    resourceId: optionalText(row[7]),
    action: String(row[8]),
    outcome: String(row[9]),
    requestSummary: optionalText(row[10]),
    sourceIp: optionalText(row[11]),
    prevHash: String(row[12]),
    hash: String(row[13]),
  };
}

/** What separates the hashed fields in fieldsColumn; nullable ones carry "+" before a value, "" for null. */
const fieldSeparator = "\u0001";

/** The hashed fields of an event but seq, in canonical order (the order of eventColumns). */
const joinedFields = eventColumns.filter((c) => !["seq", "prev_hash", "hash", "chained_at"].includes(c));
const nullableFields = new Set(["resource_id", "request_summary", "source_ip"]);

/** joinedFields in one text column, separated by fieldSeparator; a nullable field "+value", or "" for null. */
function fieldsColumn(dialect: Dialect): string {
  const nullable = (column: string) => (dialect === "sqlite" ? `IFNULL('+' || ${column}, '')` : `IFNULL(CONCAT('+', ${column}), '')`);
  const fields = joinedFields.map((column) => (nullableFields.has(column) ? nullable(column) : column));
  return dialect === "sqlite" ? fields.join(" || char(1) || ") : `CONCAT_WS(CHAR(1 USING utf8mb4), ${fields.join(", ")})`;
}

/** A row of eventTextsAfter as an EventText, or null when a field held the separator (read it column by column). */
function eventTextOfRow(row: unknown[]): EventText | null {
  const seq = Number(row[0]);
  const parts = textOf(row[3]).split(fieldSeparator);
  if (parts.length !== joinedFields.length) return null;
  let text: string | null;
  try {
    text = canonicalEventTextAt(
      {
        seq,
        id: parts[0] as string,
        service: parts[2] as string,
        method: parts[3] as string,
        principal: parts[4] as string,
        resourceType: parts[5] as string,
        resourceId: valueOrNull(parts[6] as string),
        action: parts[7] as string,
        outcome: parts[8] as string,
        requestSummary: valueOrNull(parts[9] as string),
        sourceIp: valueOrNull(parts[10] as string),
      },
      isoTextOf(parts[1] as string),
    );
  } catch {
    text = null;
  }
  return { seq, prevHash: String(row[1]), hash: String(row[2]), text };
}

/** A nullable field of fieldsColumn: "" for null, else its value after the "+". */
function valueOrNull(part: string): string | null {
  return part === "" ? null : part.slice(1);
}

const storedMillis = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

/**
 * `toDate(stored).toISOString()`: "YYYY-MM-DD HH:MM:SS.mmm" (MariaDB's DATETIME(3), UTC) by moving
 * its characters; other forms (SQLite's, with an offset) through a Date. A RangeError when invalid.
 */
function isoTextOf(stored: string): string {
  if (storedMillis.test(stored)) return `${stored.slice(0, 10)}T${stored.slice(11)}Z`;
  return isoTimestamp(toDate(stored));
}
