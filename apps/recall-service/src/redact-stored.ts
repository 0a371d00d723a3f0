import type { StoredRecord } from "@msp/resource-kit";
import { redactText } from "@msp/redaction";

/** A value with every string in it redacted, and how many secrets were replaced. */
export interface RedactedValue<T> {
  value: T;
  redactions: number;
}

/** Redacts every string of a value: a string, a list, or a JSON object at any depth. */
export function redactDeep<T>(value: T): RedactedValue<T> {
  let redactions = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const result = redactText(v);
      redactions += result.total;
      return result.text;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object" && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  const redacted = walk(value) as T;
  return { value: redacted, redactions };
}

/**
 * Redacts the named columns of a row in place (the memory store never holds a plaintext
 * secret, whoever writes it) and returns how many secrets were replaced.
 */
export function redactColumns(row: StoredRecord, columns: readonly string[]): number {
  let total = 0;
  for (const column of columns) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    const { value: redacted, redactions } = redactDeep(value);
    if (redactions > 0) row[column] = redacted;
    total += redactions;
  }
  return total;
}
