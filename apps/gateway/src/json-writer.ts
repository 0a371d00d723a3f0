import type { DescEnum, DescField, DescMessage } from "@bufbuild/protobuf";
import { ScalarType, fromBinary, toJson } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import { JsonSink } from "./json-sink";
import { outputBuffers } from "./output-buffers";
import type { ScalarPlan } from "./scalar-json";
import { scalarPlanOf } from "./scalar-json";
import { writeTimestamp } from "./timestamp-json";
import { Fallback, WireReader } from "./wire-reader";

/**
 * Writes a response's proto3 JSON as UTF-8 bytes straight from its protobuf encoding, without
 * building the message: what `JSON.stringify(toJson(desc, fromBinary(desc, bytes), { alwaysEmitImplicit: true }))`
 * gives, byte for byte (json-writer.spec.ts compares both on every response type).
 *
 * The JSON goes into one growing buffer, with no string built per field. Each message is read
 * twice: once to note where each of its fields occurs, then to write its fields in field-number
 * order, as protobuf-es does, whatever their order on the wire. Keys and fixed texts (enum names,
 * zero values) are encoded once per message type; strings are copied from the wire, escaped where
 * JSON.stringify would escape them. Implicit-presence fields absent from the wire get their zero
 * value; explicit ones (messages, `optional`, oneof members) only when present. Timestamps and
 * wrappers are written here; the other well-known types (Struct, Value, Duration, FieldMask, Any)
 * and anything this writer does not expect (a wire type that does not match the schema, invalid
 * UTF-8, a value out of range) go through protobuf-es itself, so an answer is never different
 * from the reflection path, only faster.
 */
export type JsonWriter = (bytes: Uint8Array) => Buffer;

const writers = new WeakMap<DescMessage, JsonWriter>();

/** The JSON writer of a message type, built on first use. */
export function jsonWriterOf(desc: DescMessage): JsonWriter {
  let writer = writers.get(desc);
  if (!writer) {
    const plan = planOf(desc);
    writer = (bytes) => {
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      // JSON is usually under twice the size of the encoding; the sink grows if not.
      const out = new JsonSink(2 * buf.length, outputBuffers);
      try {
        writeMessage(plan, new WireReader(buf), 0, buf.length, out, 0);
        return out.result();
      } catch {
        out.discard();
        return Buffer.from(reflectionJson(desc, bytes), "utf8");
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
/** protobuf-es refuses messages nested deeper than this, the outermost counting as 1. */
const maxNesting = 100;

const text = (json: string): Buffer => Buffer.from(json, "utf8");
const NULL = text("null");
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

// ---------------------------------------------------------------- plans

interface EnumPlan {
  /** The JSON of each known value: its name in quotes. */
  names: Map<number, Buffer>;
  /** google.protobuf.NullValue, whose every value is written `null`. */
  isNullValue: boolean;
  /** Open enums keep values they do not know (written as numbers); closed ones do not. */
  open: boolean;
  /** The value a map entry without one gets: the first declared. */
  firstValue: number;
}

type ValueKind = { kind: "scalar"; scalar: ScalarPlan } | { kind: "enum"; enum: EnumPlan } | { kind: "message"; message: MessagePlan };

type FieldShape =
  | { shape: "singular" }
  /** `packed`: the wire type of an element in packed form; undefined for strings, bytes and messages. */
  | { shape: "list"; packed: number | undefined }
  /** `mapKey`: how its keys are read; `keyZero`: the key of an entry sent without one. */
  | { shape: "map"; mapKey: ScalarPlan; keyZero: string };

type FieldPlan = FieldShape & {
  number: number;
  /** `"jsonName":`, to open the object with. */
  key: Buffer;
  /** `,"jsonName":`, to follow another field. */
  nextKey: Buffer;
  /** Its value, or its values' (a list's elements, a map's values). */
  value: ValueKind;
  /** The JSON written when the field is absent, or undefined to leave it out. */
  absent: Buffer | undefined;
  /** The slots of the other members of its oneof: setting it clears them. */
  oneofOthers: number[];
};

interface MessagePlan {
  desc: DescMessage;
  /** As an object of its fields, in a well-known type's own form, or by protobuf-es. */
  form: "object" | "timestamp" | "wrapper" | "delegate";
  /** Fields in field-number order: a field's index here is its slot. */
  fields: FieldPlan[];
  /** Slots by field number. */
  slotOf: number[];
}

const plans = new WeakMap<DescMessage, MessagePlan>();
const enumPlans = new WeakMap<DescEnum, EnumPlan>();

function planOf(desc: DescMessage): MessagePlan {
  const known = plans.get(desc);
  if (known) return known;
  const plan: MessagePlan = { desc, form: formOf(desc), fields: [], slotOf: [] };
  // Registered before its fields are planned: a message type may contain itself.
  plans.set(desc, plan);
  if (plan.form === "delegate") return plan;
  const sorted = [...desc.fields].sort((a, b) => a.number - b.number);
  sorted.forEach((field, slot) => {
    plan.slotOf[field.number] = slot;
    plan.fields.push(fieldPlanOf(field));
  });
  sorted.forEach((field, slot) => {
    const members = field.oneof?.fields ?? [];
    plan.fields[slot]!.oneofOthers = members.filter((f) => f !== field).map((f) => sorted.indexOf(f));
  });
  return plan;
}

function formOf(desc: DescMessage): MessagePlan["form"] {
  if (desc.typeName === "google.protobuf.Timestamp") return "timestamp";
  if (wrapperTypes.has(desc.typeName)) return "wrapper";
  // proto2 required fields make protobuf-es refuse a message missing them: let it say so.
  if (delegatedTypes.has(desc.typeName) || desc.fields.some((f) => f.presence === LEGACY_REQUIRED)) return "delegate";
  return "object";
}

function fieldPlanOf(field: DescField): FieldPlan {
  const key = JSON.stringify(field.jsonName);
  const common = { number: field.number, key: text(`${key}:`), nextKey: text(`,${key}:`), oneofOthers: [] };
  switch (field.fieldKind) {
    case "list": {
      const packed = field.listKind === "enum" ? 0 : field.listKind === "scalar" ? packedWireType(field.scalar) : undefined;
      return { ...common, shape: "list", packed, value: valueKindOf(field.listKind, field), absent: text("[]") };
    }
    case "map": {
      const keyZero = field.mapKey === ScalarType.STRING ? "" : field.mapKey === ScalarType.BOOL ? "false" : "0";
      const shape = { shape: "map", mapKey: scalarPlanOf(field.mapKey), keyZero } as const;
      return { ...common, ...shape, value: valueKindOf(field.mapKind, field), absent: text("{}") };
    }
    case "scalar":
      return {
        ...common,
        shape: "singular",
        value: valueKindOf("scalar", field),
        absent: field.presence === IMPLICIT ? scalarPlanOf(field.scalar).zero : undefined,
      };
    case "enum": {
      const plan = enumPlanOf(field.enum);
      const absent = field.presence === IMPLICIT ? (plan.isNullValue ? NULL : (plan.names.get(0) ?? text("0"))) : undefined;
      return { ...common, shape: "singular", value: { kind: "enum", enum: plan }, absent };
    }
    case "message":
      return { ...common, shape: "singular", value: valueKindOf("message", field), absent: undefined };
  }
}

function valueKindOf(kind: "scalar" | "enum" | "message", field: DescField): ValueKind {
  if (kind === "scalar") return { kind, scalar: scalarPlanOf(field.scalar!) };
  if (kind === "enum") return { kind, enum: enumPlanOf(field.enum!) };
  return { kind, message: planOf(field.message!) };
}

function enumPlanOf(desc: DescEnum): EnumPlan {
  let plan = enumPlans.get(desc);
  if (!plan) {
    const names = new Map<number, Buffer>();
    // By number, as protobuf-es looks them up (so an alias gives the name it gives).
    for (const { number } of desc.values) names.set(number, text(JSON.stringify(desc.value[number]!.name)));
    plan = { names, isNullValue: desc.typeName === "google.protobuf.NullValue", open: desc.open, firstValue: desc.values[0]!.number };
    enumPlans.set(desc, plan);
  }
  return plan;
}

/** The wire type of a list's elements when packed, undefined for strings and bytes (never packed). */
function packedWireType(type: ScalarType): number | undefined {
  const { wireType } = scalarPlanOf(type);
  return wireType === 2 ? undefined : wireType;
}

// ---------------------------------------------------------------- field positions

/**
 * Where the fields of a message being written occur: the tag positions of each slot's first and
 * last occurrence, -1 when absent. One per nesting depth, reused: writing is synchronous, so a
 * depth has one message at a time.
 */
interface FieldPositions {
  first: Int32Array;
  last: Int32Array;
}

const positionsByDepth: FieldPositions[] = [];

function positionsAt(depth: number, slots: number): FieldPositions {
  let positions = positionsByDepth[depth];
  if (!positions || positions.first.length < slots) {
    const capacity = Math.max(slots, 32);
    positions = { first: new Int32Array(capacity), last: new Int32Array(capacity) };
    positionsByDepth[depth] = positions;
  }
  positions.first.fill(-1, 0, slots);
  positions.last.fill(-1, 0, slots);
  return positions;
}

/**
 * Notes where each field of the message in `[start, end)` occurs. A later occurrence of a field
 * is its value for a singular scalar, is appended for a list, is merged for a message; a oneof
 * member clears the others.
 */
function scan(plan: MessagePlan, r: WireReader, start: number, end: number, depth: number): FieldPositions {
  const positions = positionsAt(depth, plan.fields.length);
  const { first, last } = positions;
  r.pos = start;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag();
    const slot = plan.slotOf[tag >>> 3];
    if (slot !== undefined) {
      for (const other of plan.fields[slot]!.oneofOthers) first[other] = last[other] = -1;
      if (first[slot]! < 0) first[slot] = at;
      last[slot] = at;
    }
    r.skipValue(tag & 7);
  }
  if (r.pos !== end) throw new Fallback("overrun");
  return positions;
}

/**
 * Moves `r` from the tag at `at` to the value of the next occurrence of field `number`, and returns
 * its wire type. There must be one: callers go from a field's first occurrence up to its last.
 */
function seekOccurrence(r: WireReader, number: number, at: number): number {
  r.pos = at;
  for (;;) {
    const tag = r.tag();
    if (tag >>> 3 === number) return tag & 7;
    r.skipValue(tag & 7);
  }
}

// ---------------------------------------------------------------- messages

/** Writes the JSON of the message of type `plan` encoded in `r.buf[start, end)`; `r.pos` is left anywhere. */
function writeMessage(plan: MessagePlan, r: WireReader, start: number, end: number, out: JsonSink, depth: number): void {
  if (depth + 1 > maxNesting) throw new Fallback("nested too deep");
  switch (plan.form) {
    case "object":
      writeObject(plan, r, start, end, out, depth);
      return;
    case "timestamp":
      writeTimestampMessage(r, start, end, out);
      return;
    case "wrapper":
      writeWrapper(plan, r, start, end, out, depth);
      return;
    case "delegate":
      out.utf8(reflectionJson(plan.desc, r.buf.subarray(start, end)));
      return;
  }
}

function writeObject(plan: MessagePlan, r: WireReader, start: number, end: number, out: JsonSink, depth: number): void {
  const { first, last } = scan(plan, r, start, end, depth);
  const { fields } = plan;
  let written = 0;
  out.byte(OPEN_BRACE);
  for (let slot = 0; slot < fields.length; slot++) {
    const field = fields[slot]!;
    const at = last[slot]!;
    if (at < 0 && field.absent === undefined) continue;
    out.bytes(written++ === 0 ? field.key : field.nextKey);
    if (at < 0) out.bytes(field.absent!);
    else writeField(field, r, first[slot]!, at, out, depth);
  }
  out.byte(CLOSE_BRACE);
}

/** Writes a present field's value, given the tag positions of its first and last occurrence. */
function writeField(field: FieldPlan, r: WireReader, first: number, last: number, out: JsonSink, depth: number): void {
  switch (field.shape) {
    case "list":
      writeList(field, r, first, last, out, depth);
      return;
    case "map":
      writeMap(field, r, first, last, out, depth);
      return;
    case "singular":
      if (first !== last && field.value.kind === "message") {
        writeMerged(field.value.message, field.number, r, first, last, out, depth);
      } else {
        r.pos = last;
        writeValue(field.value, r, r.tag() & 7, out, depth);
      }
  }
}

function writeList(field: FieldPlan & { shape: "list" }, r: WireReader, first: number, last: number, out: JsonSink, depth: number): void {
  let written = 0;
  out.byte(OPEN_BRACKET);
  for (let at = first; at <= last; at = r.pos) {
    const wireType = seekOccurrence(r, field.number, at);
    if (wireType === 2 && field.packed !== undefined) {
      const start = r.delimited();
      const end = r.pos;
      r.pos = start;
      while (r.pos < end) {
        if (written++ > 0) out.byte(COMMA);
        writeValue(field.value, r, field.packed, out, depth);
      }
      if (r.pos !== end) throw new Fallback("packed overrun");
    } else {
      if (written++ > 0) out.byte(COMMA);
      writeValue(field.value, r, wireType, out, depth);
    }
  }
  out.byte(CLOSE_BRACKET);
}

/**
 * A message field sent more than once: protobuf merges the occurrences, which is the same as
 * reading their encodings one after the other.
 */
function writeMerged(plan: MessagePlan, number: number, r: WireReader, first: number, last: number, out: JsonSink, depth: number): void {
  const parts: Buffer[] = [];
  for (let at = first; at <= last; at = r.pos) {
    expectWireType(seekOccurrence(r, number, at), 2);
    const start = r.delimited();
    parts.push(r.buf.subarray(start, r.pos));
  }
  const merged = Buffer.concat(parts);
  writeMessage(plan, new WireReader(merged), 0, merged.length, out, depth + 1);
}

/**
 * A map as protobuf-es writes it, from a JS object: a key seen again keeps its first place and
 * takes its last value, and integer-like keys come first, in numeric order.
 */
function writeMap(field: FieldPlan & { shape: "map" }, r: WireReader, first: number, last: number, out: JsonSink, depth: number): void {
  // The tag position of each key's value in its entry, -1 for an entry without one.
  const values: Record<string, number> = {};
  for (let at = first; at <= last; at = r.pos) {
    expectWireType(seekOccurrence(r, field.number, at), 2);
    const start = r.delimited();
    const end = r.pos;
    r.pos = start;
    let key = field.keyZero;
    let valueAt = -1;
    while (r.pos < end) {
      const tagAt = r.pos;
      const tag = r.tag();
      if (tag >>> 3 === 1) {
        key = mapKeyText(field.mapKey, r, tag & 7);
      } else if (tag >>> 3 === 2) {
        valueAt = tagAt;
        r.skipValue(tag & 7);
      } else {
        // protobuf-es does not expect other fields in an entry: let it decide what they mean.
        throw new Fallback("map entry field");
      }
    }
    if (r.pos !== end) throw new Fallback("map entry overrun");
    values[key] = valueAt;
  }
  let written = 0;
  out.byte(OPEN_BRACE);
  for (const key of Object.keys(values)) {
    if (written++ > 0) out.byte(COMMA);
    out.utf8(JSON.stringify(key));
    out.byte(COLON);
    const valueAt = values[key]!;
    if (valueAt < 0) {
      writeZero(field.value, r, out, depth);
    } else {
      r.pos = valueAt;
      writeValue(field.value, r, r.tag() & 7, out, depth);
    }
  }
  out.byte(CLOSE_BRACE);
}

/** google.protobuf.Timestamp: its seconds (field 1) and nanos (field 2), the last of each winning, as RFC 3339. */
function writeTimestampMessage(r: WireReader, start: number, end: number, out: JsonSink): void {
  let seconds = 0;
  let nanos = 0;
  r.pos = start;
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === secondsTag) seconds = int64Number(r.varint(), r.hi);
    else if (tag === nanosTag) nanos = r.varint() | 0;
    else if (tag >>> 3 <= 2) throw new Fallback("wire type");
    else r.skipValue(tag & 7);
  }
  if (r.pos !== end) throw new Fallback("overrun");
  writeTimestamp(out, seconds, nanos);
}

/** A wrapper (google.protobuf.StringValue and the like) is written as its value, field 1. */
function writeWrapper(plan: MessagePlan, r: WireReader, start: number, end: number, out: JsonSink, depth: number): void {
  const { last } = scan(plan, r, start, end, depth);
  const field = plan.fields[0]!;
  if (last[0]! < 0) {
    out.bytes(field.absent!);
  } else {
    r.pos = last[0]!;
    writeValue(field.value, r, r.tag() & 7, out, depth);
  }
}

// ---------------------------------------------------------------- values

/** Writes one value of `kind` at `r.pos` (its tag read) and leaves `r.pos` after it. */
function writeValue(kind: ValueKind, r: WireReader, wireType: number, out: JsonSink, depth: number): void {
  switch (kind.kind) {
    case "scalar":
      expectWireType(wireType, kind.scalar.wireType);
      kind.scalar.write(r, out);
      return;
    case "enum":
      expectWireType(wireType, 0);
      writeEnum(kind.enum, r.varint() | 0, out);
      return;
    case "message": {
      expectWireType(wireType, 2);
      const start = r.delimited();
      const end = r.pos;
      writeMessage(kind.message, r, start, end, out, depth + 1);
      r.pos = end;
    }
  }
}

/** The value of a map entry sent without one. */
function writeZero(kind: ValueKind, r: WireReader, out: JsonSink, depth: number): void {
  switch (kind.kind) {
    case "scalar":
      out.bytes(kind.scalar.zero);
      return;
    case "enum":
      writeEnum(kind.enum, kind.enum.firstValue, out);
      return;
    case "message":
      // An empty message: an empty stretch of the wire anywhere will do.
      writeMessage(kind.message, r, r.pos, r.pos, out, depth + 1);
  }
}

function writeEnum(plan: EnumPlan, value: number, out: JsonSink): void {
  const name = plan.isNullValue ? NULL : plan.names.get(value);
  if (name) out.bytes(name);
  else if (plan.open) out.ascii(String(value));
  else throw new Fallback("closed enum value it does not know");
}

/** A map key as protobuf-es keeps it: the string itself, or a number or boolean in decimal. */
function mapKeyText(keyType: ScalarPlan, r: WireReader, wireType: number): string {
  if (!keyType.key) throw new Fallback("not a map key type");
  expectWireType(wireType, keyType.wireType);
  return keyType.key(r);
}

/** Timestamp's seconds and nanos, both varints. */
const secondsTag = (1 << 3) | 0;
const nanosTag = (2 << 3) | 0;

/** A two's complement 64-bit integer as a number: exact within ±2^53, which is all a timestamp needs. */
function int64Number(lo: number, hi: number): number {
  return (hi | 0) * 4294967296 + lo;
}

function expectWireType(wireType: number, wanted: number): void {
  if (wireType !== wanted) throw new Fallback("wire type");
}
