import type { DescEnum, DescField, DescMessage } from "@bufbuild/protobuf";
import { ScalarType, fromBinary, toJson } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";

/**
 * Writes a response's proto3 JSON straight from its protobuf encoding, without building the
 * message: what `JSON.stringify(toJson(desc, fromBinary(desc, bytes), { alwaysEmitImplicit: true }))`
 * gives, character for character (json-writer.spec.ts compares both on every response type),
 * in about a quarter of the time on large responses such as a session timeline (BENCHMARKS.md).
 *
 * Fields come out in field-number order, as protobuf-es writes them. Implicit-presence fields
 * absent from the wire get their zero value; explicit ones (messages, `optional`, oneof members)
 * only when present. Timestamps and wrappers are written here; the other well-known types
 * (Struct, Value, Duration, FieldMask, Any) and anything this writer does not expect (a wire
 * type that does not match the schema, a value out of range) go through protobuf-es itself, so
 * an answer is never different from the reflection path, only faster.
 */
export type JsonWriter = (bytes: Uint8Array) => string;

const writers = new WeakMap<DescMessage, JsonWriter>();

/** The JSON writer of a message type, built on first use. */
export function jsonWriterOf(desc: DescMessage): JsonWriter {
  let writer = writers.get(desc);
  if (!writer) {
    const plan = planOf(desc);
    writer = (bytes) => {
      try {
        const reader = new WireReader(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        return writeMessage(plan, reader, bytes.length);
      } catch {
        return reflectionJson(desc, bytes);
      }
    };
    writers.set(desc, writer);
  }
  return writer;
}

/** The reference path: decode the message, convert it with protobuf-es, stringify. */
export function reflectionJson(desc: DescMessage, bytes: Uint8Array): string {
  return JSON.stringify(toJson(desc, fromBinary(desc, bytes), { alwaysEmitImplicit: true }));
}

const { IMPLICIT, LEGACY_REQUIRED } = FeatureSet_FieldPresence;
const wrapperTypes = new Set(
  ["Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"].map((t) => `google.protobuf.${t}Value`),
);
/** Well-known types written by protobuf-es itself (rare in responses, and subtle). */
const delegatedTypes = new Set(["Any", "Struct", "Value", "ListValue", "Duration", "FieldMask"].map((t) => `google.protobuf.${t}`));

class Fallback extends Error {}

// ---------------------------------------------------------------- wire reading

class WireReader {
  pos = 0;
  readonly view: DataView;
  /** The high 32 bits of the last varint read. */
  hi = 0;
  constructor(
    readonly buf: Buffer,
    view?: DataView,
  ) {
    this.view = view ?? new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** A reader over the same bytes at `pos`: sub-messages are read in place. */
  at(pos: number): WireReader {
    const sub = new WireReader(this.buf, this.view);
    sub.pos = pos;
    return sub;
  }

  /** The low 32 bits of a varint; its high 32 bits are left in `hi`. */
  varint(): number {
    let lo = 0;
    let hi = 0;
    let b: number;
    for (let shift = 0; shift < 28; shift += 7) {
      b = this.byte();
      lo |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        this.hi = 0;
        return lo >>> 0;
      }
    }
    b = this.byte();
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x70) >> 4;
    if ((b & 0x80) === 0) {
      this.hi = hi >>> 0;
      return lo >>> 0;
    }
    for (let shift = 3; shift <= 31; shift += 7) {
      b = this.byte();
      hi |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        this.hi = hi >>> 0;
        return lo >>> 0;
      }
    }
    throw new Fallback("varint too long");
  }

  /** A varint known to fit 32 bits (lengths, tags); larger ones keep their low bits. */
  varint32(): number {
    const buf = this.buf;
    const pos = this.pos;
    if (pos < buf.length) {
      const b = buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.varint();
  }

  byte(): number {
    if (this.pos >= this.buf.length) throw new Fallback("truncated");
    return this.buf[this.pos++]!;
  }

  skip(n: number): number {
    const start = this.pos;
    if (n < 0 || start + n > this.buf.length) throw new Fallback("truncated");
    this.pos = start + n;
    return start;
  }

  /** Skips a field's value of wire type `wireType`. */
  skipField(wireType: number, fieldNumber: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.skip(8);
        return;
      case 2:
        this.skip(this.varint32());
        return;
      case 5:
        this.skip(4);
        return;
      case 3:
        for (;;) {
          const tag = this.varint32();
          const type = tag & 7;
          if (type === 4) {
            if (tag >>> 3 !== fieldNumber) throw new Fallback("mismatched group");
            return;
          }
          this.skipField(type, tag >>> 3);
        }
      default:
        throw new Fallback(`wire type ${wireType}`);
    }
  }
}

// ---------------------------------------------------------------- scalars

function int64Text(lo: number, hi: number, signed: boolean): string {
  if (hi === 0) return String(lo);
  if (!signed || (hi & 0x80000000) === 0) {
    if (hi < 0x200000) return String(hi * 4294967296 + lo);
    return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  }
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function zigzag64Text(lo: number, hi: number): string {
  if (hi === 0) return String(lo & 1 ? -(lo >>> 1) - 1 : lo >>> 1);
  const v = (BigInt(hi) << 32n) | BigInt(lo);
  return ((v >> 1n) ^ -(v & 1n)).toString();
}

function floatJson(n: number): string {
  if (Number.isNaN(n)) return '"NaN"';
  if (n === Infinity) return '"Infinity"';
  if (n === -Infinity) return '"-Infinity"';
  return JSON.stringify(n);
}

/** A string field's JSON: plain ASCII is copied as is, the rest goes through JSON.stringify. */
function stringJson(buf: Buffer, start: number, end: number): string {
  if (end - start <= 128) {
    let plain = true;
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80 || c < 0x20 || c === 0x22 || c === 0x5c) {
        plain = false;
        break;
      }
    }
    if (plain) return `"${buf.toString("latin1", start, end)}"`;
  }
  return JSON.stringify(buf.toString("utf8", start, end));
}

/** The JSON of one scalar read at the reader's position (the tag already read). */
function readScalar(r: WireReader, type: ScalarType, wireType: number): string {
  switch (type) {
    case ScalarType.STRING: {
      if (wireType !== 2) throw new Fallback("wire type");
      const n = r.varint32();
      const start = r.skip(n);
      return stringJson(r.buf, start, start + n);
    }
    case ScalarType.BYTES: {
      if (wireType !== 2) throw new Fallback("wire type");
      const n = r.varint32();
      const start = r.skip(n);
      return `"${r.buf.toString("base64", start, start + n)}"`;
    }
    case ScalarType.INT32:
      expect(wireType, 0);
      return String(r.varint() | 0);
    case ScalarType.UINT32:
      expect(wireType, 0);
      return String(r.varint());
    case ScalarType.SINT32: {
      expect(wireType, 0);
      const n = r.varint();
      return String((n >>> 1) ^ -(n & 1));
    }
    case ScalarType.BOOL: {
      expect(wireType, 0);
      const lo = r.varint();
      return lo !== 0 || r.hi !== 0 ? "true" : "false";
    }
    case ScalarType.INT64: {
      expect(wireType, 0);
      const lo = r.varint();
      return `"${int64Text(lo, r.hi, true)}"`;
    }
    case ScalarType.UINT64: {
      expect(wireType, 0);
      const lo = r.varint();
      return `"${int64Text(lo, r.hi, false)}"`;
    }
    case ScalarType.SINT64: {
      expect(wireType, 0);
      const lo = r.varint();
      return `"${zigzag64Text(lo, r.hi)}"`;
    }
    case ScalarType.FIXED32:
      expect(wireType, 5);
      return String(r.view.getUint32(r.skip(4), true));
    case ScalarType.SFIXED32:
      expect(wireType, 5);
      return String(r.view.getInt32(r.skip(4), true));
    case ScalarType.FLOAT:
      expect(wireType, 5);
      return floatJson(r.view.getFloat32(r.skip(4), true));
    case ScalarType.FIXED64:
      expect(wireType, 1);
      return `"${r.view.getBigUint64(r.skip(8), true).toString()}"`;
    case ScalarType.SFIXED64:
      expect(wireType, 1);
      return `"${r.view.getBigInt64(r.skip(8), true).toString()}"`;
    case ScalarType.DOUBLE:
      expect(wireType, 1);
      return floatJson(r.view.getFloat64(r.skip(8), true));
  }
}

function expect(wireType: number, wanted: number): void {
  if (wireType !== wanted) throw new Fallback("wire type");
}

/** Wire type of an unpacked scalar. */
function scalarWireType(type: ScalarType): number {
  switch (type) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return 2;
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.DOUBLE:
      return 1;
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
    case ScalarType.FLOAT:
      return 5;
    case ScalarType.INT32:
    case ScalarType.UINT32:
    case ScalarType.SINT32:
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.BOOL:
      return 0;
  }
}

function scalarDefault(type: ScalarType): string {
  switch (type) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return '""';
    case ScalarType.BOOL:
      return "false";
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return '"0"';
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
    case ScalarType.INT32:
    case ScalarType.FIXED32:
    case ScalarType.UINT32:
    case ScalarType.SFIXED32:
    case ScalarType.SINT32:
      return "0";
  }
}

function enumJson(desc: DescEnum, value: number): string {
  if (desc.typeName === "google.protobuf.NullValue") return "null";
  const found = desc.value[value];
  return found ? JSON.stringify(found.name) : String(value);
}

// ---------------------------------------------------------------- plans

type ValueKind =
  | { kind: "scalar"; scalar: ScalarType }
  | { kind: "enum"; enum: DescEnum }
  | { kind: "message"; message: () => MessagePlan };

interface FieldPlan {
  /** `"jsonName":` */
  key: string;
  slot: number;
  repeated: boolean;
  map: { key: ScalarType; value: ValueKind } | undefined;
  value: ValueKind;
  /** The JSON written when the field is absent, or undefined to leave it out. */
  absent: string | undefined;
  /** The oneof it belongs to: setting one member clears the others. */
  oneof: number[] | undefined;
}

interface MessagePlan {
  desc: DescMessage;
  special: "timestamp" | "wrapper" | "delegate" | undefined;
  /** Fields by number, and in field-number order. */
  byNumber: Map<number, FieldPlan>;
  ordered: FieldPlan[];
}

const plans = new WeakMap<DescMessage, MessagePlan>();

function planOf(desc: DescMessage): MessagePlan {
  const known = plans.get(desc);
  if (known) return known;
  const special = desc.typeName === "google.protobuf.Timestamp" ? "timestamp" : wrapperTypes.has(desc.typeName) ? "wrapper" : undefined;
  // proto2 required fields make protobuf-es refuse a message missing them: let it say so.
  const delegated = delegatedTypes.has(desc.typeName) || desc.fields.some((f) => f.presence === LEGACY_REQUIRED);
  const plan: MessagePlan = {
    desc,
    special: special ?? (delegated ? "delegate" : undefined),
    byNumber: new Map(),
    ordered: [],
  };
  plans.set(desc, plan);
  const sorted = [...desc.fields].sort((a, b) => a.number - b.number);
  const slotOf = new Map(sorted.map((f, i) => [f, i]));
  sorted.forEach((field, slot) => {
    const fieldPlan = fieldPlanOf(field, slot);
    if (field.oneof) fieldPlan.oneof = field.oneof.fields.map((f) => slotOf.get(f)!);
    plan.byNumber.set(field.number, fieldPlan);
    plan.ordered.push(fieldPlan);
  });
  return plan;
}

function valueKindOf(kind: "scalar" | "enum" | "message", field: DescField): ValueKind {
  if (kind === "scalar") return { kind, scalar: field.scalar! };
  if (kind === "enum") return { kind, enum: field.enum! };
  const message = field.message!;
  return { kind, message: () => planOf(message) };
}

function fieldPlanOf(field: DescField, slot: number): FieldPlan {
  const key = `${JSON.stringify(field.jsonName)}:`;
  const base = { key, slot, oneof: undefined };
  switch (field.fieldKind) {
    case "list":
      return { ...base, repeated: true, map: undefined, value: valueKindOf(field.listKind, field), absent: "[]" };
    case "map":
      return {
        ...base,
        repeated: false,
        map: { key: field.mapKey, value: valueKindOf(field.mapKind, field) },
        value: valueKindOf(field.mapKind, field),
        absent: "{}",
      };
    case "scalar":
      return {
        ...base,
        repeated: false,
        map: undefined,
        value: { kind: "scalar", scalar: field.scalar },
        absent: field.presence === IMPLICIT ? scalarDefault(field.scalar) : undefined,
      };
    case "enum":
      return {
        ...base,
        repeated: false,
        map: undefined,
        value: { kind: "enum", enum: field.enum },
        absent: field.presence === IMPLICIT ? enumJson(field.enum, 0) : undefined,
      };
    case "message":
      return { ...base, repeated: false, map: undefined, value: valueKindOf("message", field), absent: undefined };
  }
}

// ---------------------------------------------------------------- writing

/** Reads one value of `kind` at the reader's position (its tag read) and returns its JSON. */
function readValue(kind: ValueKind, r: WireReader, wireType: number): string {
  switch (kind.kind) {
    case "scalar":
      return readScalar(r, kind.scalar, wireType);
    case "enum":
      expect(wireType, 0);
      return enumJson(kind.enum, r.varint() | 0);
    case "message": {
      expect(wireType, 2);
      const n = r.varint32();
      const start = r.skip(n);
      return writeMessage(kind.message(), r.at(start), start + n);
    }
  }
}

type Slot = string | string[] | Map<string, string> | Buffer[] | undefined;

function writeMessage(plan: MessagePlan, r: WireReader, end: number): string {
  if (plan.special === "delegate") return reflectionJson(plan.desc, r.buf.subarray(r.pos, end));
  const slots = new Array<Slot>(plan.ordered.length);
  while (r.pos < end) {
    const tag = r.varint32();
    const number = tag >>> 3;
    const wireType = tag & 7;
    const field = plan.byNumber.get(number);
    if (!field) {
      r.skipField(wireType, number);
      continue;
    }
    if (field.oneof) for (const other of field.oneof) if (other !== field.slot) slots[other] = undefined;
    if (field.map) {
      readMapEntry(field, r, wireType, (slots[field.slot] ??= new Map()) as Map<string, string>);
    } else if (field.repeated) {
      const list = (slots[field.slot] ??= []) as string[];
      if (
        wireType === 2 &&
        field.value.kind !== "message" &&
        !(field.value.kind === "scalar" && scalarWireType(field.value.scalar) === 2)
      ) {
        const n = r.varint32();
        const packedEnd = r.skip(n) + n;
        const inner = r.at(packedEnd - n);
        const elementWireType = field.value.kind === "enum" ? 0 : scalarWireType(field.value.scalar);
        while (inner.pos < packedEnd) list.push(readValue(field.value, inner, elementWireType));
        if (inner.pos !== packedEnd) throw new Fallback("packed overrun");
      } else {
        list.push(readValue(field.value, r, wireType));
      }
    } else if (field.value.kind === "message") {
      expect(wireType, 2);
      const n = r.varint32();
      const start = r.skip(n);
      const previous = slots[field.slot];
      // A message field seen twice is merged: protobuf's merge is the concatenation of the encodings.
      if (previous === undefined) slots[field.slot] = [r.buf.subarray(start, start + n)];
      else (previous as Buffer[]).push(r.buf.subarray(start, start + n));
    } else {
      slots[field.slot] = readValue(field.value, r, wireType);
    }
  }
  if (r.pos !== end) throw new Fallback("overrun");
  if (plan.special === "timestamp") return timestampJson(slots);
  if (plan.special === "wrapper") return (slots[0] as string | undefined) ?? plan.ordered[0]!.absent!;

  let out = "{";
  let first = true;
  for (const field of plan.ordered) {
    const slot = slots[field.slot];
    let json: string | undefined;
    if (slot === undefined) {
      json = field.absent;
    } else if (typeof slot === "string") {
      json = slot;
    } else if (slot instanceof Map) {
      json = mapJson(slot);
    } else if (field.repeated) {
      json = `[${(slot as string[]).join(",")}]`;
    } else {
      const parts = slot as Buffer[];
      const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      const plan = (field.value as { message: () => MessagePlan }).message();
      json = writeMessage(plan, new WireReader(bytes), bytes.length);
    }
    if (json === undefined) continue;
    out += first ? field.key + json : `,${field.key}${json}`;
    first = false;
  }
  return `${out}}`;
}

function readMapEntry(field: FieldPlan, r: WireReader, wireType: number, map: Map<string, string>): void {
  expect(wireType, 2);
  const n = r.varint32();
  const end = r.skip(n) + n;
  const entry = r.at(end - n);
  let key: string | undefined;
  let value: string | undefined;
  const { key: keyType, value: valueKind } = field.map!;
  while (entry.pos < end) {
    const tag = entry.varint32();
    const number = tag >>> 3;
    if (number === 1) key = readScalar(entry, keyType, tag & 7);
    else if (number === 2) value = readValue(valueKind, entry, tag & 7);
    else entry.skipField(tag & 7, number);
  }
  if (entry.pos !== end) throw new Fallback("map entry overrun");
  key ??= scalarDefault(keyType);
  // Keys are written as JSON strings: a string key is already one; other keys are quoted.
  const keyText = key.startsWith('"') ? (JSON.parse(key) as string) : key;
  value ??=
    valueKind.kind === "scalar"
      ? scalarDefault(valueKind.scalar)
      : valueKind.kind === "enum"
        ? enumJson(valueKind.enum, 0)
        : writeMessage(valueKind.message(), new WireReader(Buffer.alloc(0)), 0);
  map.set(keyText, value);
}

/** A map as protobuf-es writes it: a JS object, so integer-like keys come first, in numeric order. */
function mapJson(map: Map<string, string>): string {
  const object: Record<string, string> = {};
  for (const [key, value] of map) object[key] = value;
  const keys = Object.keys(object);
  if (keys.length === 0) return "{}";
  let out = "{";
  keys.forEach((key, i) => {
    out += `${i === 0 ? "" : ","}${JSON.stringify(key)}:${object[key]!}`;
  });
  return `${out}}`;
}

const minTimestampMs = Date.parse("0001-01-01T00:00:00Z");
const maxTimestampMs = Date.parse("9999-12-31T23:59:59Z");

/** google.protobuf.Timestamp as RFC 3339 with 0, 3, 6 or 9 fractional digits, as protobuf-es writes it. */
function timestampJson(slots: Slot[]): string {
  const seconds = Number(JSON.parse((slots[0] as string | undefined) ?? '"0"') as string);
  const nanos = Number((slots[1] as string | undefined) ?? "0");
  const ms = seconds * 1000;
  if (!(ms >= minTimestampMs && ms <= maxTimestampMs) || nanos < 0 || nanos > 999_999_999) throw new Fallback("timestamp out of range");
  let z = "Z";
  if (nanos > 0) {
    const digits = (nanos + 1_000_000_000).toString().substring(1);
    if (digits.endsWith("000000")) z = `.${digits.substring(0, 3)}Z`;
    else if (digits.endsWith("000")) z = `.${digits.substring(0, 6)}Z`;
    else z = `.${digits}Z`;
  }
  return `"${new Date(ms).toISOString().replace(".000Z", z)}"`;
}
