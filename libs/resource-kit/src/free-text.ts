import type { FieldViolation } from "@msp/errors";
import { DomainError } from "@msp/errors";
import { redactValue } from "@msp/redaction";
import type { StoredRecord } from "./codec";
import type { FieldInfo } from "./fields";

/**
 * Replaces every secret in the free-text fields of a record about to be stored with
 * `[REDACTED:<kind>]`, in place, with the redactor the hooks run (libs/redaction): a summary,
 * command or note sent straight to the API is stored as the hooks would have sent it. The fields
 * are redacted together, so a password one field sets is also taken out where another repeats
 * it. Throws INVALID_ARGUMENT, naming the field, when a value outgrows its limit by the markers.
 */
export function redactFreeText(fields: readonly FieldInfo[], record: StoredRecord, prefix: string): void {
  const texts: Record<string, unknown> = {};
  let any = false;
  for (const field of fields) {
    const value = record[field.name];
    if (field.freeText && value !== null && value !== undefined) {
      texts[field.name] = value;
      any = true;
    }
  }
  if (!any) return;
  const redacted = redactValue(texts);
  if (redacted.total === 0) return;
  const violations: FieldViolation[] = [];
  for (const field of fields) {
    if (!(field.name in texts)) continue;
    const value = redacted.value[field.name];
    record[field.name] = value;
    violations.push(...overLimit(field, value, prefix));
  }
  if (violations.length > 0) {
    throw new DomainError("invalid_argument", violations.map((v) => `${v.field}: ${v.description}`).join("; "), violations);
  }
}

/** A redacted value longer than its field allows: the marker is longer than the secret it replaced. */
function overLimit(field: FieldInfo, value: unknown, prefix: string): FieldViolation[] {
  const k = field.kind;
  const rule = (max: number, length: number) => `must be at most ${max} characters once its secrets are redacted (got ${length})`;
  if (k.type === "string" && typeof value === "string" && value.length > k.maxLength) {
    return [{ field: `${prefix}.${field.name}`, description: rule(k.maxLength, value.length) }];
  }
  if (k.type === "stringList" && Array.isArray(value)) {
    return value.flatMap((item, i) =>
      typeof item === "string" && item.length > k.maxLength
        ? [{ field: `${prefix}.${field.name}[${i}]`, description: rule(k.maxLength, item.length) }]
        : [],
    );
  }
  return [];
}
