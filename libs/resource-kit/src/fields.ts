import type { DescEnum, DescField, DescMessage } from "@bufbuild/protobuf";
import { ScalarType } from "@bufbuild/protobuf";
import { invalidArgument } from "@msp/errors";
import { enumPrefix, enumShortNames } from "./value-forms";

/**
 * How one proto field of a resource is stored. Derived from the message descriptor, so a
 * resource only declares what the descriptor cannot say (decimals, dates, limits).
 */
export type FieldKind =
  | { type: "string"; maxLength: number }
  | { type: "uuid" }
  | { type: "decimal"; scale: number }
  | { type: "date" }
  | { type: "bool" }
  /** `signed` allows negative values; `long` is a 64-bit field, a bigint in generated messages. */
  | { type: "int"; signed?: true; long?: true }
  | { type: "enum"; values: readonly string[]; prefix: string; desc: DescEnum }
  | { type: "timestamp" }
  | { type: "stringList"; maxItems: number; maxLength: number }
  | { type: "object"; desc: DescMessage | undefined };

export interface FieldInfo {
  /** Proto field name, also the column name: client_type. */
  name: string;
  /** The property name in generated TypeScript: clientType. */
  localName: string;
  kind: FieldKind;
  /** Declared `optional` in the proto: absent reads as undefined rather than a zero value. */
  optional: boolean;
  /**
   * Text from outside that may hold a secret (a summary, a command, notes, a URL, a list or JSON
   * of them): redacted before it is stored (free-text.ts). Ids, enums, numbers, flags and times
   * are not; structured text (a host name, an address, a URL without credentials) is redacted
   * too, which leaves it as it was.
   */
  freeText: boolean;
}

/** What a resource says about its fields beyond the descriptor. */
export interface FieldOverrides {
  /** Decimal strings and their scale, such as { default_hourly_rate: 2 }. */
  decimals?: Readonly<Record<string, number>>;
  /** Calendar dates, YYYY-MM-DD. */
  dates?: readonly string[];
  /** Ids of other rows: must be UUIDs. Fields named id or ending in _id are ids already. */
  ids?: readonly string[];
  /** Fields ending in _id that hold another system's id (a PSA ticket's): free text, not UUIDs. */
  foreignIds?: readonly string[];
  /** Maximum string lengths; strings default to 255, fields named like long text to 65,535. */
  maxLength?: Readonly<Record<string, number>>;
  /** Integers that may be negative, such as an exit code; integers are non-negative otherwise. */
  signed?: readonly string[];
}

const longScalars = new Set([ScalarType.INT64, ScalarType.UINT64, ScalarType.SINT64, ScalarType.FIXED64, ScalarType.SFIXED64]);

const longTextNames = /^(description|notes|summary|dense_summary|blocking_reason|.*_text|.*_notes)$/;

/** Builds the field table of a resource message once, when the resource is defined. */
export function describeFields(schema: DescMessage, overrides: FieldOverrides = {}): FieldInfo[] {
  return schema.fields.map((field) => {
    const kind = kindOf(field, overrides);
    return {
      name: field.name,
      localName: field.localName,
      kind,
      optional: field.proto.proto3Optional === true,
      freeText: isFreeText(field.name, kind, overrides),
    };
  });
}

/** Text, lists of text and JSON, except ids: ours (UUIDs) or another system's, such as a PSA ticket's. */
function isFreeText(name: string, kind: FieldKind, o: FieldOverrides): boolean {
  return kind.type === "stringList" || kind.type === "object" || (kind.type === "string" && !isIdName(name, o));
}

function isIdName(name: string, o: FieldOverrides): boolean {
  return name === "id" || name.endsWith("_id") || o.ids?.includes(name) === true;
}

function kindOf(field: DescField, o: FieldOverrides): FieldKind {
  const name = field.name;
  if (o.decimals?.[name] !== undefined) return { type: "decimal", scale: o.decimals[name] };
  if (o.dates?.includes(name)) return { type: "date" };
  switch (field.fieldKind) {
    case "scalar":
      if (field.scalar === ScalarType.STRING) {
        if (isIdName(name, o)) {
          // external ids (Claude's session id, a ticket's id in a PSA) are free text, not our UUIDs
          if (!name.startsWith("external_") && !o.foreignIds?.includes(name)) return { type: "uuid" };
        }
        return { type: "string", maxLength: o.maxLength?.[name] ?? (longTextNames.test(name) ? 65_535 : 255) };
      }
      if (field.scalar === ScalarType.BOOL) return { type: "bool" };
      return {
        type: "int",
        ...(o.signed?.includes(name) ? { signed: true as const } : {}),
        ...(longScalars.has(field.scalar) ? { long: true as const } : {}),
      };
    case "enum":
      return { type: "enum", desc: field.enum, prefix: enumPrefix(field.enum), values: field.enum.values.map((v) => v.name) };
    case "message":
      if (field.message.typeName === "google.protobuf.Timestamp") return { type: "timestamp" };
      return { type: "object", desc: field.message.typeName === "google.protobuf.Struct" ? undefined : field.message };
    case "list":
      if (field.listKind === "scalar" && field.scalar === ScalarType.STRING) {
        return { type: "stringList", maxItems: 500, maxLength: o.maxLength?.[name] ?? 1024 };
      }
      throw new Error(`resource field ${name}: only repeated string lists are supported`);
    case "map":
      throw new Error(`resource field ${name}: map fields are not supported`);
  }
}

/** The stored value of an enum number: CLIENT_TYPE_MSP_CLIENT (1) -> "msp_client"; 0 -> null. */
export function enumToStored(field: FieldInfo & { kind: { type: "enum" } }, value: number): string | null {
  if (value === 0) return null;
  const known = field.kind.desc.values.find((v) => v.number === value);
  if (!known) throw invalidArgument(field.name, `unknown value ${value}; one of ${storedEnumValues(field).join(", ")}`);
  return known.name.slice(field.kind.prefix.length).toLowerCase();
}

/** The enum number of a stored value; unknown stored values read as 0 (unspecified). */
export function storedToEnum(field: FieldInfo & { kind: { type: "enum" } }, stored: string): number {
  const name = field.kind.prefix + stored.toUpperCase();
  return field.kind.desc.values.find((v) => v.name === name)?.number ?? 0;
}

export function storedEnumValues(field: FieldInfo & { kind: { type: "enum" } }): string[] {
  return enumShortNames(field.kind.desc);
}
