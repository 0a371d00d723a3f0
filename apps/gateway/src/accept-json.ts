import type { DescEnum, DescField, DescMessage, JsonValue } from "@bufbuild/protobuf";
import { ScalarType, fromJson } from "@bufbuild/protobuf";
import { DomainError, invalidArgument } from "@msp/errors";
import { canonicalTimestamp, enumShortNames, enumValueNamed, timestampForms } from "@msp/resource-kit";

type JsonObject = Record<string, unknown>;

/** How deep the walk is: messages entered so far, against a self-nesting message sent a million levels deep. */
interface Walk {
  depth: number;
}

/** As deep as protobuf-es reads (its default recursion limit). */
const maxDepth = 100;

/**
 * Request JSON as the gateway reads it, over REST (body and query parameters) and Connect:
 * canonical proto3 JSON, and also what people write by hand, as filters read it: an enum value
 * by its short name in any case (`"modified"` for FILE_CHANGE_TYPE_MODIFIED) and a timestamp as a
 * date alone (`"2026-12-01"`, its midnight UTC). Rewrites those in place to canonical JSON, which
 * protobuf-es then reads. What it would refuse with a message naming a type rather than the field
 * (an unknown field, a value of the wrong JSON type, an unknown enum value, a bad timestamp) is
 * refused here as INVALID_ARGUMENT with a BadRequest field violation, as validation errors are:
 * the field's path in proto names (`file_change.change_type`, `items[2].type`) and what it takes.
 * `at` is the path of `json` itself, ending in a dot.
 */
export function acceptRequestJson(message: DescMessage, json: JsonObject, at = ""): void {
  acceptMessageObject(message, json, at, { depth: 0 });
}

/**
 * One value of a field, as a query parameter carries it (a string; a repeated parameter once per
 * value): its canonical JSON, or a refusal naming `name`, the parameter as the caller wrote it.
 */
export function acceptQueryValue(field: DescField, value: string, name: string): unknown {
  if (field.fieldKind === "enum" || (field.fieldKind === "list" && field.listKind === "enum")) {
    return acceptEnum(field.enum, value, name);
  }
  const message = field.fieldKind === "message" ? field.message : undefined;
  if (message?.typeName === "google.protobuf.Timestamp") return acceptTimestamp(value, name);
  return value;
}

function acceptMessageObject(message: DescMessage, json: JsonObject, at: string, walk: Walk): void {
  const fields = fieldsByKey(message);
  for (const [key, value] of Object.entries(json)) {
    const field = fields.get(key);
    if (!field) throw invalidArgument(`${at}${key}`, `is not a field of ${message.name}; its fields are ${fieldList(message)}`);
    // null clears a field (protobuf-es reads it so); in lists and maps it is refused below.
    if (value === null) continue;
    json[key] = acceptFieldValue(field, value, `${at}${field.name}`, walk);
  }
}

function acceptFieldValue(field: DescField, value: unknown, path: string, walk: Walk): unknown {
  switch (field.fieldKind) {
    case "scalar":
      return checkScalar(field.scalar, value, path);
    case "enum":
      return acceptEnum(field.enum, value, path);
    case "message":
      return acceptMessage(field.message, value, path, walk);
    case "list": {
      if (!Array.isArray(value)) throw invalidArgument(path, "must be a JSON array");
      value.forEach((item: unknown, i) => {
        const itemPath = `${path}[${i}]`;
        if (item === null) throw invalidArgument(itemPath, "must not be null");
        if (field.listKind === "scalar") checkScalar(field.scalar, item, itemPath);
        else if (field.listKind === "enum") value[i] = acceptEnum(field.enum, item, itemPath);
        else value[i] = acceptMessage(field.message, item, itemPath, walk);
      });
      return value;
    }
    case "map": {
      if (!isObject(value)) throw invalidArgument(path, "must be a JSON object");
      for (const [key, item] of Object.entries(value)) {
        const itemPath = `${path}[${JSON.stringify(key)}]`;
        if (item === null) throw invalidArgument(itemPath, "must not be null");
        if (field.mapKind === "scalar") checkScalar(field.scalar, item, itemPath);
        else if (field.mapKind === "enum") value[key] = acceptEnum(field.enum, item, itemPath);
        else value[key] = acceptMessage(field.message, item, itemPath, walk);
      }
      return value;
    }
  }
}

/** An enum value: its proto name or number as canonical JSON has them, or its short name in any case. */
function acceptEnum(desc: DescEnum, value: unknown, path: string): unknown {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string") {
    if (desc.values.some((v) => v.name === value)) return value;
    const named = enumValueNamed(desc, value);
    if (named) return named.name;
  }
  const shown = typeof value === "string" ? `'${value}'` : JSON.stringify(value);
  throw invalidArgument(path, `${shown} is not one of ${enumShortNames(desc).join(", ")}`);
}

function acceptMessage(desc: DescMessage, value: unknown, path: string, walk: Walk): unknown {
  if (desc.typeName === "google.protobuf.Timestamp") return acceptTimestamp(value, path);
  // The other well-known types have JSON forms of their own (a Duration's "90s", a Struct's any
  // object): protobuf-es reads them, here once more on their own to name the field they are in.
  if (desc.typeName.startsWith("google.protobuf.")) {
    if (desc.typeName !== "google.protobuf.Any") checkWellKnown(desc, value, path);
    return value;
  }
  if (!isObject(value)) throw invalidArgument(path, "must be a JSON object");
  if (walk.depth >= maxDepth) throw invalidArgument(path, `nests more than ${maxDepth} messages deep`);
  walk.depth++;
  acceptMessageObject(desc, value, `${path}.`, walk);
  walk.depth--;
  return value;
}

function checkWellKnown(desc: DescMessage, value: unknown, path: string): void {
  try {
    fromJson(desc, value as JsonValue);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^cannot decode .*? from JSON:? */, "") : "";
    throw invalidArgument(path, `is not a valid ${desc.name}${reason ? `: ${reason}` : ""}`);
  }
}

function acceptTimestamp(value: unknown, path: string): string {
  const canonical = typeof value === "string" ? canonicalTimestamp(value) : undefined;
  if (canonical === undefined) {
    const shown = typeof value === "string" ? `'${value}'` : JSON.stringify(value);
    throw invalidArgument(path, `${shown} is not ${timestampForms}`);
  }
  return canonical;
}

/**
 * The JSON type a scalar takes; the value itself (an integer's range, base64) is protobuf-es's
 * to check. Numbers may be strings, as canonical JSON writes 64-bit integers.
 */
function checkScalar(type: ScalarType, value: unknown, path: string): unknown {
  const refusal =
    type === ScalarType.STRING
      ? typeof value !== "string" && "must be a string"
      : type === ScalarType.BYTES
        ? typeof value !== "string" && "must be a base64 string"
        : type === ScalarType.BOOL
          ? typeof value !== "boolean" && "must be true or false"
          : typeof value !== "number" && typeof value !== "string" && "must be a number";
  if (refusal) throw invalidArgument(path, refusal);
  return value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const fieldMaps = new WeakMap<DescMessage, Map<string, DescField>>();

/** A message's fields by the keys JSON may name them with: the JSON name and the proto name. */
function fieldsByKey(message: DescMessage): Map<string, DescField> {
  let fields = fieldMaps.get(message);
  if (!fields) {
    fields = new Map();
    for (const field of message.fields) {
      fields.set(field.jsonName, field);
      fields.set(field.name, field);
    }
    fieldMaps.set(message, fields);
  }
  return fields;
}

function fieldList(message: DescMessage): string {
  return message.fields.map((f) => f.jsonName).join(", ");
}

/**
 * A refusal by protobuf-es's fromJson, of what acceptRequestJson leaves to it (an integer out of
 * range, bad base64, a field set by both its names), as INVALID_ARGUMENT with a field violation:
 * the field protobuf-es names, by its proto name.
 */
export function decodeRefusal(error: unknown): DomainError {
  const cause = error instanceof Error ? error.cause : undefined;
  const field = isFieldError(cause) ? cause.field().name : "";
  const reason = isFieldError(cause) ? cause.message : error instanceof Error ? error.message : String(error);
  return field === ""
    ? new DomainError("invalid_argument", `invalid request: ${reason}`, [{ field, description: reason }])
    : invalidArgument(field, reason);
}

/** protobuf-es's FieldError (not exported), which names the field or oneof a value was refused for. */
function isFieldError(error: unknown): error is Error & { field(): { name: string } } {
  return error instanceof Error && typeof (error as { field?: unknown }).field === "function";
}
