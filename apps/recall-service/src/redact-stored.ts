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
