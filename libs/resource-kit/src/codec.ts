import type { DescMessage } from "@bufbuild/protobuf";
import { ScalarType } from "@bufbuild/protobuf";
import type { FieldViolation } from "@msp/errors";
import { DomainError } from "@msp/errors";
import { isUuid, textOf, toDate } from "@msp/db";
import type { FieldInfo } from "./fields";
import { enumToStored, storedEnumValues, storedToEnum } from "./fields";
import { redactFreeText } from "./free-text";

// Read back from either dialect; they live in @msp/db, which light readers import alone.
export { textOf, toDate };

/** A row as the database stores it: column name -> value. */
export type StoredRecord = Record<string, unknown>;

/** A message as ts-proto generates it: camelCase properties. */
export type ProtoObject = Record<string, unknown>;

/** Is a field present in a message, in the sense of "omitted mask = the fields present"? */
export function isPresent(field: FieldInfo, message: ProtoObject): boolean {
  const value = message[field.localName];
  if (value === undefined || value === null) return false;
  if (field.kind.type === "stringList") return Array.isArray(value) && value.length > 0;
  return true;
}

/**
 * Converts the named fields of a message into stored values, collecting every violation, with
 * the secrets in free text redacted (free-text.ts). `prefix` names the request field holding the
 * message (client.name) in error messages.
 */
export function toStored(fields: readonly FieldInfo[], message: ProtoObject, prefix: string): StoredRecord {
  const record: StoredRecord = {};
  const violations: FieldViolation[] = [];
  for (const field of fields) {
    try {
      record[field.name] = storedValue(field, message[field.localName]);
    } catch (error) {
      if (error instanceof DomainError && error.violations.length > 0) {
        violations.push(...error.violations.map((v) => ({ field: `${prefix}.${v.field}`, description: v.description })));
      } else {
        throw error;
      }
    }
  }
  if (violations.length > 0) {
    throw new DomainError("invalid_argument", violations.map((v) => `${v.field}: ${v.description}`).join("; "), violations);
  }
  redactFreeText(fields, record, prefix);
  return record;
}

function violation(field: string, rule: string): DomainError {
  return new DomainError("invalid_argument", `${field}: ${rule}`, [{ field, description: rule }]);
}

function storedValue(field: FieldInfo, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const k = field.kind;
  switch (k.type) {
    case "string": {
      const s = expectString(field, value);
      if (s.length > k.maxLength) throw violation(field.name, `must be at most ${k.maxLength} characters (got ${s.length})`);
      return s === "" ? null : s;
    }
    case "uuid": {
      const s = expectString(field, value);
      if (s === "") return null;
      if (!isUuid(s)) throw violation(field.name, "must be a UUID");
      return s.toLowerCase();
    }
    case "decimal": {
      const s = expectString(field, value).trim();
      if (s === "") return null;
      const match = /^(-?)(\d{1,13})(?:\.(\d+))?$/.exec(s);
      if (!match) throw violation(field.name, `must be a decimal number such as "120.50"`);
      const fraction = (match[3] ?? "").replace(/0+$/, "");
      if (fraction.length > k.scale) throw violation(field.name, `must have at most ${k.scale} decimal places`);
      const whole = (match[2] ?? "0").replace(/^0+(?=\d)/, "");
      const sign = match[1] && (whole !== "0" || fraction !== "") ? "-" : "";
      return `${sign}${whole}${k.scale > 0 ? `.${fraction.padEnd(k.scale, "0")}` : ""}`;
    }
    case "date": {
      const s = expectString(field, value);
      if (s === "") return null;
      if (
        !/^\d{4}-\d{2}-\d{2}$/.test(s) ||
        Number.isNaN(Date.parse(`${s}T00:00:00Z`)) ||
        new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) !== s
      ) {
        throw violation(field.name, "must be a date in the form YYYY-MM-DD");
      }
      return s;
    }
    case "bool":
      if (typeof value !== "boolean") throw violation(field.name, "must be true or false");
      return value;
    case "int": {
      // 64-bit fields arrive as bigint; the database and JavaScript numbers hold safe integers.
      const number = typeof value === "bigint" ? Number(value) : value;
      if (typeof number !== "number" || !Number.isInteger(number)) throw violation(field.name, "must be an integer");
      if (number < 0 && !k.signed) throw violation(field.name, "must not be negative");
      if (!Number.isSafeInteger(number)) {
        const max = Number.MAX_SAFE_INTEGER;
        throw violation(field.name, k.signed ? `must be between -${max} and ${max}` : `must be at most ${max}`);
      }
      return number;
    }
    case "enum":
      if (typeof value !== "number") throw violation(field.name, `must be one of ${storedEnumValues({ ...field, kind: k }).join(", ")}`);
      return enumToStored({ ...field, kind: k }, value);
    case "timestamp": {
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw violation(field.name, "must be a valid timestamp");
      const year = value.getUTCFullYear();
      if (year < 1970 || year > 9999) throw violation(field.name, "must be between 1970 and 9999");
      return value;
    }
    case "stringList": {
      if (!Array.isArray(value)) throw violation(field.name, "must be a list of strings");
      if (value.length > k.maxItems) throw violation(field.name, `must have at most ${k.maxItems} items`);
      value.forEach((item, i) => {
        if (typeof item !== "string") throw violation(`${field.name}[${i}]`, "must be a string");
        if (item.length > k.maxLength) throw violation(`${field.name}[${i}]`, `must be at most ${k.maxLength} characters`);
      });
      return [...(value as string[])];
    }
    case "object":
      if (typeof value !== "object") throw violation(field.name, "must be an object");
      return k.desc ? messageToJson(k.desc, value as ProtoObject, field.name) : value;
  }
}

function expectString(field: FieldInfo, value: unknown): string {
  if (typeof value !== "string") throw violation(field.name, "must be a string");
  return value;
}

/** Converts a stored row back into a message, with proto3 zero values for absent non-optional fields. */
export function fromStored(fields: readonly FieldInfo[], row: StoredRecord): ProtoObject {
  const message: ProtoObject = {};
  for (const field of fields) {
    const value = protoValue(field, row[field.name]);
    if (value !== undefined || !field.optional) message[field.localName] = value ?? zeroValue(field);
  }
  return message;
}

function protoValue(field: FieldInfo, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  const k = field.kind;
  switch (k.type) {
    case "string":
    case "uuid":
      return textOf(value);
    case "decimal":
      return formatDecimal(value, k.scale);
    case "date":
      return value instanceof Date ? value.toISOString().slice(0, 10) : textOf(value).slice(0, 10);
    case "bool":
      return value === true || value === 1 || value === "1";
    case "int":
      return k.long ? BigInt(textOf(value)) : Number(value);
    case "enum":
      return storedToEnum({ ...field, kind: k }, textOf(value));
    case "timestamp":
      return toDate(value);
    case "stringList": {
      const list = parseJson(value);
      return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
    }
    case "object": {
      const object = parseJson(value);
      if (typeof object !== "object" || object === null || Array.isArray(object)) return undefined;
      return k.desc ? jsonToMessage(k.desc, object as Record<string, unknown>) : object;
    }
  }
}

function zeroValue(field: FieldInfo): unknown {
  switch (field.kind.type) {
    case "string":
    case "uuid":
    case "date":
      return "";
    case "decimal":
      return (0).toFixed(field.kind.scale);
    case "bool":
      return false;
    case "int":
      return field.kind.long ? 0n : 0;
    case "enum":
      return 0;
    case "stringList":
      return [];
    case "timestamp":
    case "object":
      return undefined;
  }
}

/**
 * Brings a row read from either dialect to one shape: Date, boolean, number, parsed JSON,
 * fixed-scale decimal strings. Hooks and comparisons then never see driver quirks.
 */
export function normalizeRow(fields: readonly FieldInfo[], row: StoredRecord): StoredRecord {
  const out: StoredRecord = { ...row };
  for (const field of fields) {
    const value = row[field.name];
    if (value === undefined || value === null) continue;
    switch (field.kind.type) {
      case "timestamp":
        out[field.name] = toDate(value);
        break;
      case "bool":
        out[field.name] = value === true || value === 1 || value === "1";
        break;
      case "int":
        out[field.name] = Number(value);
        break;
      case "decimal":
        out[field.name] = formatDecimal(value, field.kind.scale);
        break;
      case "date":
        out[field.name] = value instanceof Date ? value.toISOString().slice(0, 10) : textOf(value).slice(0, 10);
        break;
      case "stringList":
      case "object":
        out[field.name] = parseJson(value) ?? null;
        break;
      case "string":
      case "uuid":
      case "enum":
        break;
    }
  }
  if (row["revision"] !== undefined) out["revision"] = Number(row["revision"]);
  if (row["created_at"] !== undefined && row["created_at"] !== null) out["created_at"] = toDate(row["created_at"]);
  if (row["updated_at"] !== undefined && row["updated_at"] !== null) out["updated_at"] = toDate(row["updated_at"]);
  return out;
}

/** A stored decimal as text with exactly `scale` fraction digits. */
export function formatDecimal(value: unknown, scale: number): string {
  const text = typeof value === "number" ? value.toFixed(scale) : String(value);
  const [whole = "0", fraction = ""] = text.split(".");
  return scale > 0 ? `${whole}.${fraction.padEnd(scale, "0").slice(0, scale)}` : whole;
}

/** A stored JSON column as its value; text that is not JSON reads as undefined. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A typed sub-message (ts-proto object) as a JSON object keyed by proto field names.
 * `path` is the field holding it, so violations name the request field (capabilities.x), not the type.
 */
function messageToJson(desc: DescMessage, message: ProtoObject, path: string): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const field of desc.fields) {
    const value = message[field.localName];
    if (value === undefined || value === null) continue;
    if (field.fieldKind === "scalar" && field.scalar === ScalarType.STRING && typeof value === "string" && value.length > 1024) {
      throw violation(`${path}.${field.name}`, "must be at most 1024 characters");
    }
    json[field.name] = value;
  }
  return json;
}

/** The reverse of messageToJson, filling proto3 zero values so the message always encodes. */
function jsonToMessage(desc: DescMessage, json: Record<string, unknown>): ProtoObject {
  const message: ProtoObject = {};
  for (const field of desc.fields) {
    const value = json[field.name];
    if (field.fieldKind === "list") message[field.localName] = Array.isArray(value) ? value : [];
    else if (field.fieldKind === "scalar" && field.scalar === ScalarType.BOOL) message[field.localName] = value === true;
    else if (field.fieldKind === "scalar" && field.scalar === ScalarType.STRING)
      message[field.localName] = typeof value === "string" ? value : "";
    else if (field.fieldKind === "scalar" || field.fieldKind === "enum") message[field.localName] = typeof value === "number" ? value : 0;
  }
  return message;
}
