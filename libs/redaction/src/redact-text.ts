import { countByKind, type Redaction } from "./redaction-kinds";
import { findSecrets, replaceSpans } from "./find-secrets";

/** A redacted text and what was taken out of it. */
export interface RedactionResult {
  text: string;
  redactions: Redaction[];
  total: number;
}

/**
 * Replaces every secret in `text` with `[REDACTED:<kind>]`. Pure and deterministic; reads plain
 * text and raw JSONL alike (a redacted JSON line still parses), and redacting twice changes
 * nothing more.
 */
export function redactText(text: string): RedactionResult {
  if (typeof text !== "string") throw new TypeError(`redactText expects a string, got ${describeType(text)}`);
  const spans = findSecrets(text);
  return { text: replaceSpans(text, spans), redactions: countByKind(spans.map((span) => span.kind)), total: spans.length };
}

/** Convenience: only the redacted text. */
export function redact(text: string): string {
  return redactText(text).text;
}

/** A short name for the type of a bad argument, for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value !== "object") return typeof value;
  const prototype: unknown = Object.getPrototypeOf(value);
  const constructor: unknown =
    typeof prototype === "object" && prototype !== null ? (prototype as { constructor?: unknown }).constructor : undefined;
  return typeof constructor === "function" && constructor.name !== "" ? constructor.name : "object";
}
