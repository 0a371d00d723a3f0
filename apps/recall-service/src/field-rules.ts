import { invalidArgument } from "@msp/errors";
import type { StoredRecord } from "@msp/resource-kit";

/** Refuses an integer column outside [min, max], naming the request field (resource.field). */
export function checkRange(row: StoredRecord, resource: string, field: string, min: number, max: number): void {
  const value = row[field];
  if (typeof value === "number" && (value < min || value > max)) {
    throw invalidArgument(`${resource}.${field}`, `must be between ${min} and ${max}`);
  }
}

/** Trims the named text columns of a row in place. */
export function trimColumns(row: StoredRecord, fields: readonly string[]): void {
  for (const field of fields) {
    const value = row[field];
    if (typeof value === "string") row[field] = value.trim();
  }
}
