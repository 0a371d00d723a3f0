import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { ScalarType } from "@bufbuild/protobuf";
import { acceptQueryValue } from "./accept-json";
import { badRequest } from "./http-errors";
import { fieldAt } from "./rest-routes";

type JsonObject = Record<string, unknown>;

/** Messages whose canonical JSON form is a string, so a query parameter can carry them. */
const stringLikeMessages = new Set([
  "google.protobuf.Timestamp",
  "google.protobuf.Duration",
  "google.protobuf.FieldMask",
  "google.protobuf.StringValue",
  "google.protobuf.Int64Value",
  "google.protobuf.UInt64Value",
  "google.protobuf.Int32Value",
  "google.protobuf.UInt32Value",
  "google.protobuf.DoubleValue",
  "google.protobuf.FloatValue",
]);

/** Sets a value at a field path (proto names or JSON names) in a JSON object, using JSON names. */
export function setAt(target: JsonObject, message: DescMessage, path: readonly string[], value: unknown): void {
  let object = target;
  let desc: DescMessage | undefined = message;
  path.forEach((name, i) => {
    const field = desc?.fields.find((f) => f.name === name || f.jsonName === name);
    if (!field) return;
    if (i === path.length - 1) {
      object[field.jsonName] = value;
      return;
    }
    const next = object[field.jsonName];
    const isObject = typeof next === "object" && next !== null && !Array.isArray(next);
    // A path parameter lands inside the body's message (body "*" with {credential.id}): the body
    // must have sent that field as an object, or nothing at all.
    if (next !== undefined && next !== null && !isObject) {
      const where = path.slice(0, i + 1).join(".");
      throw badRequest(`invalid request: ${where} must be a JSON object`, where);
    }
    const child: JsonObject = isObject ? (next as JsonObject) : {};
    object[field.jsonName] = child;
    object = child;
    desc = field.fieldKind === "message" ? field.message : undefined;
  });
}

/**
 * Turns query parameters into request JSON: scalars and enums, repeated scalars (the parameter
 * given several times), nested fields written with dots (a.b), and string-like well-known types.
 * Enum values and timestamps take the forms request bodies take (accept-json.ts); a bad one is
 * refused naming the parameter as it was written.
 */
export function applyQuery(target: JsonObject, message: DescMessage, query: URLSearchParams, pathBound: ReadonlySet<string>): void {
  const lists = new Map<string, unknown[]>();
  for (const [key, raw] of query) {
    const path = key.split(".");
    const field = fieldAt(message, path);
    if (!field || !queryable(field)) throw badRequest(`unknown query parameter '${key}'`, key);
    if (pathBound.has(path.join("."))) continue;
    const value = queryValue(field, raw, key);
    if (field.fieldKind === "list") {
      const list = lists.get(key) ?? [];
      list.push(value);
      lists.set(key, list);
      setAt(target, message, path, list);
    } else {
      setAt(target, message, path, value);
    }
  }
}

function queryable(field: DescField): boolean {
  if (field.fieldKind === "scalar" || field.fieldKind === "enum") return true;
  if (field.fieldKind === "list") return field.listKind !== "message";
  return field.fieldKind === "message" && stringLikeMessages.has(field.message.typeName);
}

function queryValue(field: DescField, raw: string, key: string): unknown {
  const scalar = field.fieldKind === "scalar" || field.fieldKind === "list" ? field.scalar : undefined;
  if (scalar === ScalarType.BOOL) {
    if (raw !== "true" && raw !== "false") throw badRequest(`query parameter '${key}' must be true or false`, key);
    return raw === "true";
  }
  return acceptQueryValue(field, raw, key);
}
