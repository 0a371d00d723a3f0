import { parse } from "csv-parse/sync";
import { invalidArgument } from "@msp/errors";

export const maxCsvBytes = 5 * 1024 * 1024;
export const maxCsvRows = 10_000;

/** A CSV file as a header and records, each record with the line it starts on (the header is line 1). */
export interface CsvTable {
  header: string[];
  records: { line: number; values: string[] }[];
}

/** The delimiter the header line uses most: comma, semicolon (European spreadsheets) or tab. */
export function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [",", ";", "\t"].map((d) => [d, firstLine.split(d).length - 1] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/**
 * Parses RFC 4180 text (quoted fields, doubled quotes, line breaks inside quotes, a BOM), skipping
 * empty lines; refuses a file over 5 MiB or 10,000 records, or one that does not parse, naming the
 * line. Values are trimmed.
 */
export function readCsv(text: string): CsvTable {
  if (Buffer.byteLength(text, "utf8") > maxCsvBytes) throw invalidArgument("csv", `must be at most ${maxCsvBytes / 1024 / 1024} MiB`);
  if (text.trim() === "") throw invalidArgument("csv", "is empty: it needs a header line and at least one record");
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text.replace(/^\uFEFF/, "")),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw invalidArgument("csv", `does not parse as CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [header, ...records] = rows;
  if (!header) throw invalidArgument("csv", "has no header line");
  if (records.length === 0) throw invalidArgument("csv", "has a header line but no records");
  if (records.length > maxCsvRows)
    throw invalidArgument("csv", `has ${records.length} records; at most ${maxCsvRows} are imported at once`);
  return {
    header: header.record,
    // info.lines is the line a record ends on; a record spanning lines (a quoted line break) is named by its last line.
    records: records.map((row) => ({ line: row.info.lines, values: row.record })),
  };
}
