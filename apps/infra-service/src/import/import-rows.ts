import type { FieldInfo } from "@msp/resource-kit";
import { storedEnumValues, storedToEnum } from "@msp/resource-kit";
import { booleanWord, enumWord, listCell } from "./column-map";

/** One problem with one cell or row. */
export interface RowProblem {
  field: string;
  description: string;
}

/**
 * A record's cells as the API message of its resource (camelCase properties, enum numbers, lists,
 * integers, booleans), from the fields the store describes; cells that do not convert are problems.
 * Lookup columns (site, parent_host, host) are returned apart, as text.
 */
export function rowMessage(
  fields: readonly FieldInfo[],
  cells: ReadonlyMap<string, string>,
  prefix: string,
): { message: Record<string, unknown>; lookups: Map<string, string>; problems: RowProblem[] } {
  const message: Record<string, unknown> = {};
  const lookups = new Map<string, string>();
  const problems: RowProblem[] = [];
  for (const [name, text] of cells) {
    if (text === "") continue;
    const field = fields.find((f) => f.name === name);
    if (!field) {
      lookups.set(name, text);
      continue;
    }
    const kind = field.kind;
    switch (kind.type) {
      case "enum": {
        const number = storedToEnum({ ...field, kind }, enumWord(name, text));
        if (number === 0)
          problems.push({
            field: `${prefix}.${name}`,
            description: `"${text}" is not one of ${storedEnumValues({ ...field, kind }).join(", ")}`,
          });
        else message[field.localName] = number;
        break;
      }
      case "int":
        if (!/^-?\d+$/.test(text)) problems.push({ field: `${prefix}.${name}`, description: `"${text}" is not a whole number` });
        else message[field.localName] = Number(text);
        break;
      case "bool": {
        const value = booleanWord(text);
        if (value === undefined) problems.push({ field: `${prefix}.${name}`, description: `"${text}" is not yes or no` });
        else message[field.localName] = value;
        break;
      }
      case "stringList":
        message[field.localName] = listCell(text);
        break;
      case "string":
      case "uuid":
      case "date":
      case "decimal":
        message[field.localName] = text;
        break;
      case "timestamp":
      case "object":
        problems.push({ field: `${prefix}.${name}`, description: "cannot be imported from a CSV cell" });
    }
  }
  return { message, lookups, problems };
}

/**
 * The order to create assets in: an asset after the one it runs on when both are in the file,
 * otherwise file order. Rows in a parent cycle within the file come last, in file order (their
 * parent lookups then fail, naming the row).
 */
export function parentsFirst<T extends { hostname: string; parent: string | undefined }>(rows: readonly T[]): T[] {
  const byName = new Map(rows.map((row) => [row.hostname, row]));
  const placed = new Set<T>();
  const visiting = new Set<T>();
  const order: T[] = [];
  const place = (row: T): void => {
    if (placed.has(row) || visiting.has(row)) return;
    visiting.add(row);
    const parent = row.parent !== undefined ? byName.get(row.parent) : undefined;
    if (parent && parent !== row) place(parent);
    visiting.delete(row);
    placed.add(row);
    order.push(row);
  };
  for (const row of rows) place(row);
  return order;
}
