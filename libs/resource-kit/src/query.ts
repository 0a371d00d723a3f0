import { createHash } from "node:crypto";
import type { WhereOptions } from "sequelize";
import { Op, literal } from "sequelize";
import type { Database } from "@msp/db";
import { isUuid } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import type { FieldInfo } from "./fields";
import type { Comparison, Literal } from "./filter";
import { parseFilter } from "./filter";
import { toDate } from "./codec";
import { canonicalTimestamp, enumShortName, enumShortNames, enumValueNamed, timestampForms } from "./value-forms";

export const defaultPageSize = 50;
export const maxPageSize = 500;

export interface OrderTerm {
  column: string;
  desc: boolean;
}

/** page_size: 0 means the default, above the maximum is clamped, negative is refused. */
export function pageSizeOf(requested: number): number {
  if (!Number.isInteger(requested) || requested < 0) throw invalidArgument("page_size", "must not be negative");
  if (requested === 0) return defaultPageSize;
  return Math.min(requested, maxPageSize);
}

/** Parses order_by ("name, created_at desc") against the orderable fields; id always breaks ties. */
export function parseOrderBy(text: string, orderable: readonly string[], tiebreak = "id"): OrderTerm[] {
  const terms: OrderTerm[] = [];
  if (text.trim() !== "") {
    for (const part of text.split(",")) {
      const words = part.trim().split(/\s+/);
      const [column = "", direction, extra] = words;
      const snake = toSnake(column);
      if (!orderable.includes(snake)) {
        throw invalidArgument("order_by", `cannot order by '${column}'; orderable fields: ${orderable.join(", ")}`);
      }
      if (extra !== undefined || (direction !== undefined && !/^(asc|desc)$/i.test(direction))) {
        throw invalidArgument("order_by", `'${part.trim()}' must be a field name optionally followed by asc or desc`);
      }
      if (terms.some((t) => t.column === snake)) throw invalidArgument("order_by", `'${column}' is named twice`);
      terms.push({ column: snake, desc: direction?.toLowerCase() === "desc" });
    }
  }
  if (!terms.some((t) => t.column === tiebreak)) terms.push({ column: tiebreak, desc: false });
  return terms;
}

/** Accepts camelCase field names too, as JSON clients write them. */
export function toSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

const opOf = { "=": Op.eq, "!=": Op.ne, "<": Op.lt, ">": Op.gt, "<=": Op.lte, ">=": Op.gte } as const;

/** Turns a filter into a where clause over the filterable fields, checking each value's type. */
export function compileFilter(
  db: Database,
  tableAlias: string,
  text: string,
  fields: readonly FieldInfo[],
  filterable: readonly string[],
): WhereOptions[] {
  return parseFilter(text).map((comparison) => {
    const name = toSnake(comparison.field);
    const field = fields.find((f) => f.name === name);
    if (!field || !filterable.includes(name)) {
      throw invalidArgument("filter", `cannot filter on '${comparison.field}'; filterable fields: ${filterable.join(", ")}`);
    }
    if (comparison.op === ":") {
      if (field.kind.type !== "stringList") throw invalidArgument("filter", `':' (has) only applies to list fields, not '${field.name}'`);
      const item = db.sequelize.escape(filterText(field, comparison.value));
      return literal(
        db.dialect === "mariadb"
          ? `JSON_CONTAINS(\`${tableAlias}\`.\`${name}\`, JSON_QUOTE(${item}))`
          : `EXISTS (SELECT 1 FROM json_each("${tableAlias}"."${name}") WHERE value = ${item})`,
      ) as unknown as WhereOptions;
    }
    if (field.kind.type === "stringList") throw invalidArgument("filter", `use ':' to test membership of the list '${field.name}'`);
    return { [name]: { [opOf[comparison.op]]: filterValue(field, comparison) } } as WhereOptions;
  });
}

function filterValue(field: FieldInfo, c: Comparison): unknown {
  const k = field.kind;
  const bad = (rule: string) => invalidArgument("filter", `${field.name}: ${rule}`);
  switch (k.type) {
    case "bool":
      if (c.value.kind !== "word" || !/^(true|false)$/.test(c.value.value)) throw bad("must be compared with true or false");
      if (c.op !== "=" && c.op !== "!=") throw bad("only = and != apply to true/false");
      return c.value.value === "true";
    case "int":
      if (c.value.kind !== "number" || !Number.isSafeInteger(c.value.value)) throw bad("must be compared with an integer");
      return c.value.value;
    case "decimal":
      if (c.value.kind === "word") throw bad("must be compared with a number");
      if (!/^-?\d+(\.\d+)?$/.test(String(c.value.value))) throw bad("must be compared with a number");
      return String(c.value.value);
    case "timestamp": {
      if (c.value.kind !== "string") throw bad(`must be compared with a quoted timestamp: ${timestampForms}`);
      const canonical = canonicalTimestamp(c.value.value);
      if (canonical === undefined) throw bad(`'${c.value.value}' is not ${timestampForms}`);
      return toDate(canonical);
    }
    case "date": {
      const text = filterText(field, c.value);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw bad('must be compared with a date such as "2026-01-31"');
      return text;
    }
    case "enum": {
      if (c.op !== "=" && c.op !== "!=") throw bad("only = and != apply to enumerations");
      const text = filterText(field, c.value);
      const value = enumValueNamed(k.desc, text);
      if (!value) throw bad(`'${text}' is not one of ${enumShortNames(k.desc).join(", ")}`);
      return enumShortName(k.desc, value);
    }
    case "uuid": {
      const text = filterText(field, c.value);
      if (!isUuid(text)) throw bad("must be compared with a UUID");
      return text.toLowerCase();
    }
    case "string":
      return filterText(field, c.value);
    case "stringList":
    case "object":
      throw bad("cannot be filtered");
  }
}

function filterText(field: FieldInfo, value: Literal): string {
  if (value.kind === "number") return String(value.value);
  return value.value;
}

interface PageCursor {
  /** Values of the order columns of the last row of the previous page. */
  after: unknown[];
}

/** Binds a token to the query it belongs to, so a token reused with another filter is refused. */
function querySignature(filter: string, order: readonly OrderTerm[]): string {
  return createHash("sha256")
    .update(`${filter}\n${order.map((o) => `${o.column}${o.desc ? " desc" : ""}`).join(",")}`)
    .digest("base64url")
    .slice(0, 12);
}

function checksum(payload: string): string {
  return createHash("sha256").update(`msp-page-token:${payload}`).digest("base64url").slice(0, 10);
}

export function encodePageToken(
  filter: string,
  order: readonly OrderTerm[],
  lastRow: Record<string, unknown>,
  fields: readonly FieldInfo[],
): string {
  const after = order.map((o) => {
    const value = lastRow[o.column];
    const kind = fields.find((f) => f.name === o.column)?.kind.type;
    return kind === "timestamp" || value instanceof Date ? toDate(value).toISOString() : value;
  });
  const payload = JSON.stringify({ q: querySignature(filter, order), a: after });
  return Buffer.from(`${payload}.${checksum(payload)}`).toString("base64url");
}

export function decodePageToken(token: string, filter: string, order: readonly OrderTerm[], fields: readonly FieldInfo[]): PageCursor {
  const invalid = () => invalidArgument("page_token", "is not a token returned by this list; start again without page_token");
  if (token.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalid();
  const text = Buffer.from(token, "base64url").toString("utf8");
  const dot = text.lastIndexOf(".");
  if (dot < 0 || checksum(text.slice(0, dot)) !== text.slice(dot + 1)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(0, dot));
  } catch {
    throw invalid();
  }
  const { q, a } = (parsed ?? {}) as { q?: unknown; a?: unknown };
  if (q !== querySignature(filter, order)) {
    throw invalidArgument("page_token", "belongs to a list with another filter or order_by; keep them unchanged while paging");
  }
  if (!Array.isArray(a) || a.length !== order.length) throw invalid();
  const after = order.map((o, i) => {
    const value: unknown = a[i];
    const kind = fields.find((f) => f.name === o.column)?.kind.type;
    if (kind === "timestamp") {
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw invalid();
      return new Date(value);
    }
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") throw invalid();
    // The checksum is no signature: a hand-made token must still not put a NUL into SQLite's SQL.
    if (typeof value === "string" && value.includes("\u0000")) throw invalid();
    return value;
  });
  return { after };
}

/** Rows strictly after the cursor in the given order (keyset pagination: no OFFSET scans). */
export function afterCursor(order: readonly OrderTerm[], cursor: PageCursor): WhereOptions {
  const alternatives = order.map((term, i) => {
    const equal = order.slice(0, i).map((prev, j) => ({ [prev.column]: { [Op.eq]: cursor.after[j] } }));
    return { [Op.and]: [...equal, { [term.column]: { [term.desc ? Op.lt : Op.gt]: cursor.after[i] } }] };
  });
  return { [Op.or]: alternatives } as WhereOptions;
}
