// How stored values come back from the drivers, whichever the dialect. No imports: light readers
// (the audit verify's worker threads) use these without loading Sequelize.

/** A stored scalar as text; drivers hand back strings, numbers or Buffers depending on the dialect. */
export function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  return JSON.stringify(value);
}

/** Dates come back as Date (MariaDB) or as text such as "2026-11-25 10:00:00.000 +00:00" (SQLite). */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  const fast = storedUtc(text);
  if (fast !== undefined) return new Date(fast);
  const sqlite = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?: ?([+-]\d{2}:\d{2}|Z))?$/.exec(text);
  if (sqlite) return new Date(`${sqlite[1]}T${sqlite[2]}${sqlite[3] ?? "Z"}`);
  return new Date(text);
}

/**
 * The instant of "YYYY-MM-DD HH:MM:SS.mmm", optionally followed by " +00:00" (how both dialects
 * hand back DATETIME(3) in UTC), read digit by digit: a list page or a timeline reads thousands.
 * Undefined for anything else, which the general parser takes.
 */
function storedUtc(text: string): number | undefined {
  if (text.length !== 23 && !(text.length === 30 && text.endsWith(" +00:00"))) return undefined;
  if (text[4] !== "-" || text[7] !== "-" || text[10] !== " " || text[13] !== ":" || text[16] !== ":" || text[19] !== ".") return undefined;
  const ms = Date.UTC(
    digitsAt(text, 0, 4),
    digitsAt(text, 5, 2) - 1,
    digitsAt(text, 8, 2),
    digitsAt(text, 11, 2),
    digitsAt(text, 14, 2),
    digitsAt(text, 17, 2),
    digitsAt(text, 20, 3),
  );
  return Number.isNaN(ms) ? undefined : ms;
}

/** The number written by `count` decimal digits at `from`; NaN when one is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}
