import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { ScalarType } from "@bufbuild/protobuf";

/**
 * Encodes ts-proto message objects (as the generated code shapes them: Date for Timestamp,
 * bigint for 64-bit integers, plain objects for Struct) to protobuf binary in two passes: sizes
 * first, then one write into a buffer of exactly that size. The generated encoders fork and
 * join a writer per nested message and encode every string separately, which dominates the
 * cost of large responses (a session's timeline: thousands of nested records). Same bytes.
 */
export type MessageEncoder<T> = (message: T) => Buffer;

/** Wire types. */
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

type Plain = Record<string, unknown>;

/** One field as the encoder walks it: its tag, how to size and write its value. */
interface FieldPlan {
  localName: string;
  number: number;
  /** Written even when zero: explicit presence (proto3 optional, oneof members). */
  explicit: boolean;
  kind: "scalar" | "enum" | "message" | "list" | "struct";
  scalar?: ScalarType;
  message?: MessagePlan;
  timestamp?: boolean;
  /** Repeated numbers are packed (proto3). */
  packed?: boolean;
}

interface MessagePlan {
  fields: FieldPlan[];
}

const plans = new Map<string, MessagePlan>();

/**
 * An encoder for `desc`'s ts-proto objects. Throws at once for message shapes it does not
 * handle (maps, wrappers, field masks, oneofs as ts-proto unions), so it is never wrong quietly.
 */
export function createMessageEncoder<T>(desc: DescMessage): MessageEncoder<T> {
  const plan = planOf(desc);
  return (message: T) => {
    const sizes: number[] = [];
    const length = sizeMessage(plan, message as Plain, sizes);
    const writer = { buf: Buffer.allocUnsafe(length), pos: 0, sizes, next: 0 };
    writeMessage(plan, message as Plain, writer);
    return writer.buf;
  };
}

function planOf(desc: DescMessage): MessagePlan {
  const known = plans.get(desc.typeName);
  if (known) return known;
  const plan: MessagePlan = { fields: [] };
  plans.set(desc.typeName, plan);
  for (const field of desc.fields) plan.fields.push(fieldPlan(desc, field));
  return plan;
}

function fieldPlan(desc: DescMessage, field: DescField): FieldPlan {
  const unsupported = (what: string) => new Error(`createMessageEncoder: ${desc.typeName}.${field.name}: ${what} is not supported`);
  if (field.oneof && !field.proto.proto3Optional) throw unsupported("a oneof");
  const base = { localName: field.localName, number: field.number, explicit: field.proto.proto3Optional === true };
  switch (field.fieldKind) {
    case "scalar":
      return { ...base, kind: "scalar", scalar: field.scalar };
    case "enum":
      return { ...base, kind: "enum" };
    case "message": {
      const name = field.message.typeName;
      if (name === "google.protobuf.Timestamp") return { ...base, kind: "message", timestamp: true, message: planOf(field.message) };
      if (name === "google.protobuf.Struct") return { ...base, kind: "struct" };
      if (name.startsWith("google.protobuf.")) throw unsupported(name);
      return { ...base, kind: "message", message: planOf(field.message) };
    }
    case "list":
      if (field.listKind === "message") {
        if (field.message.typeName.startsWith("google.protobuf.")) throw unsupported(`a list of ${field.message.typeName}`);
        return { ...base, kind: "list", message: planOf(field.message) };
      }
      if (field.listKind === "enum") return { ...base, kind: "list", scalar: ScalarType.INT32, packed: true };
      return {
        ...base,
        kind: "list",
        scalar: field.scalar,
        packed: field.scalar !== ScalarType.STRING && field.scalar !== ScalarType.BYTES,
      };
    case "map":
      throw unsupported("a map");
  }
}

// ---- sizing -------------------------------------------------------------------------------

function varintSize(value: number): number {
  if (value < 0) return 10;
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return value < 2 ** 35 ? 5 : value < 2 ** 42 ? 6 : value < 2 ** 49 ? 7 : value < 2 ** 56 ? 8 : 9;
}

function bigVarintSize(value: bigint): number {
  let v = BigInt.asUintN(64, value);
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
}

const tagSize = (number: number, wire: number) => varintSize((number << 3) | wire);

function isDefault(plan: FieldPlan, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (plan.explicit) return false;
  return value === 0 || value === "" || value === false || value === 0n || (value instanceof Uint8Array && value.length === 0);
}

function scalarSize(type: ScalarType, value: unknown, sizes: number[]): number {
  switch (type) {
    case ScalarType.STRING: {
      const bytes = Buffer.byteLength(value as string, "utf8");
      sizes.push(bytes);
      return varintSize(bytes) + bytes;
    }
    case ScalarType.BYTES: {
      const bytes = (value as Uint8Array).length;
      return varintSize(bytes) + bytes;
    }
    case ScalarType.BOOL:
      return 1;
    case ScalarType.INT32:
    case ScalarType.UINT32:
      return varintSize(value as number);
    case ScalarType.SINT32:
      return varintSize((((value as number) << 1) ^ ((value as number) >> 31)) >>> 0);
    case ScalarType.INT64:
    case ScalarType.UINT64:
      return bigVarintSize(BigInt(value as bigint));
    case ScalarType.SINT64: {
      const v = BigInt(value as bigint);
      return bigVarintSize((v << 1n) ^ (v >> 63n));
    }
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
    case ScalarType.FLOAT:
      return 4;
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.DOUBLE:
      return 8;
  }
}

function wireOf(type: ScalarType): number {
  switch (type) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return LENGTH_DELIMITED;
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
    case ScalarType.FLOAT:
      return FIXED32;
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.DOUBLE:
      return FIXED64;
    case ScalarType.BOOL:
    case ScalarType.INT32:
    case ScalarType.UINT32:
    case ScalarType.SINT32:
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
      return VARINT;
  }
}

function timestampParts(date: Date): { seconds: number; nanos: number } {
  const ms = date.getTime();
  const seconds = Math.trunc(ms / 1000);
  return { seconds, nanos: (ms % 1000) * 1_000_000 };
}

function timestampSize(date: Date): number {
  const { seconds, nanos } = timestampParts(date);
  return (seconds !== 0 ? 1 + (seconds < 0 ? 10 : varintSize(seconds)) : 0) + (nanos !== 0 ? 1 + (nanos < 0 ? 10 : varintSize(nanos)) : 0);
}

/** Size of a message's body; pushes the body sizes of nested messages and strings, in write order. */
function sizeMessage(plan: MessagePlan, message: Plain, sizes: number[]): number {
  let total = 0;
  for (const field of plan.fields) {
    const value = message[field.localName];
    switch (field.kind) {
      case "scalar":
        if (isDefault(field, value)) break;
        total += tagSize(field.number, wireOf(field.scalar!)) + scalarSize(field.scalar!, value, sizes);
        break;
      case "enum":
        if (isDefault(field, value)) break;
        total += tagSize(field.number, VARINT) + varintSize(value as number);
        break;
      case "message": {
        if (value === undefined || value === null) break;
        const slot = sizes.length;
        sizes.push(0);
        const body = field.timestamp ? timestampSize(value as Date) : sizeMessage(field.message!, value as Plain, sizes);
        sizes[slot] = body;
        total += tagSize(field.number, LENGTH_DELIMITED) + varintSize(body) + body;
        break;
      }
      case "struct": {
        if (value === undefined || value === null) break;
        const slot = sizes.length;
        sizes.push(0);
        const body = structSize(value as Plain, sizes);
        sizes[slot] = body;
        total += tagSize(field.number, LENGTH_DELIMITED) + varintSize(body) + body;
        break;
      }
      case "list": {
        const list = value as unknown[] | undefined;
        if (!list || list.length === 0) break;
        if (field.message) {
          for (const item of list) {
            const slot = sizes.length;
            sizes.push(0);
            const body = sizeMessage(field.message, item as Plain, sizes);
            sizes[slot] = body;
            total += tagSize(field.number, LENGTH_DELIMITED) + varintSize(body) + body;
          }
        } else if (field.packed) {
          const slot = sizes.length;
          sizes.push(0);
          let body = 0;
          for (const item of list) body += scalarSize(field.scalar!, item, sizes);
          sizes[slot] = body;
          total += tagSize(field.number, LENGTH_DELIMITED) + varintSize(body) + body;
        } else {
          for (const item of list) total += tagSize(field.number, wireOf(field.scalar!)) + scalarSize(field.scalar!, item, sizes);
        }
        break;
      }
    }
  }
  return total;
}

// google.protobuf.Struct { map<string, Value> fields = 1 }; Value is a oneof of null (1),
// number (2), string (3), bool (4), Struct (5), ListValue (6); ListValue { repeated Value values = 1 }.

function structSize(struct: Plain, sizes: number[]): number {
  let total = 0;
  for (const [key, item] of Object.entries(struct)) {
    if (item === undefined) continue;
    const entrySlot = sizes.length;
    sizes.push(0);
    const keyBytes = Buffer.byteLength(key, "utf8");
    sizes.push(keyBytes);
    const valueSlot = sizes.length;
    sizes.push(0);
    const valueBody = valueSize(item, sizes);
    sizes[valueSlot] = valueBody;
    const entry = 1 + varintSize(keyBytes) + keyBytes + 1 + varintSize(valueBody) + valueBody;
    sizes[entrySlot] = entry;
    total += 1 + varintSize(entry) + entry;
  }
  return total;
}

function valueSize(value: unknown, sizes: number[]): number {
  if (value === null) return 2;
  if (typeof value === "number") return 9;
  if (typeof value === "boolean") return 2;
  if (typeof value === "string") {
    const bytes = Buffer.byteLength(value, "utf8");
    sizes.push(bytes);
    return 1 + varintSize(bytes) + bytes;
  }
  const slot = sizes.length;
  sizes.push(0);
  let body: number;
  if (Array.isArray(value)) {
    body = 0;
    for (const item of value) {
      const itemSlot = sizes.length;
      sizes.push(0);
      const itemBody = valueSize(item, sizes);
      sizes[itemSlot] = itemBody;
      body += 1 + varintSize(itemBody) + itemBody;
    }
  } else {
    body = structSize(value as Plain, sizes);
  }
  sizes[slot] = body;
  return 1 + varintSize(body) + body;
}

// ---- writing ------------------------------------------------------------------------------

interface Writer {
  buf: Buffer;
  pos: number;
  sizes: number[];
  next: number;
}

function writeVarint(w: Writer, value: number): void {
  if (value < 0) {
    writeBigVarint(w, BigInt(value));
    return;
  }
  while (value >= 0x80) {
    w.buf[w.pos++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  w.buf[w.pos++] = value;
}

function writeBigVarint(w: Writer, value: bigint): void {
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    w.buf[w.pos++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  w.buf[w.pos++] = Number(v);
}

const writeTag = (w: Writer, number: number, wire: number) => writeVarint(w, (number << 3) | wire);

function writeString(w: Writer, value: string): void {
  const bytes = w.sizes[w.next++]!;
  writeVarint(w, bytes);
  w.pos += w.buf.write(value, w.pos, bytes, "utf8");
}

function writeScalar(w: Writer, type: ScalarType, value: unknown): void {
  switch (type) {
    case ScalarType.STRING:
      writeString(w, value as string);
      return;
    case ScalarType.BYTES: {
      const bytes = value as Uint8Array;
      writeVarint(w, bytes.length);
      w.buf.set(bytes, w.pos);
      w.pos += bytes.length;
      return;
    }
    case ScalarType.BOOL:
      w.buf[w.pos++] = value ? 1 : 0;
      return;
    case ScalarType.INT32:
    case ScalarType.UINT32:
      writeVarint(w, value as number);
      return;
    case ScalarType.SINT32:
      writeVarint(w, (((value as number) << 1) ^ ((value as number) >> 31)) >>> 0);
      return;
    case ScalarType.INT64:
    case ScalarType.UINT64:
      writeBigVarint(w, BigInt(value as bigint));
      return;
    case ScalarType.SINT64: {
      const v = BigInt(value as bigint);
      writeBigVarint(w, (v << 1n) ^ (v >> 63n));
      return;
    }
    case ScalarType.FIXED32:
      w.pos = w.buf.writeUInt32LE(value as number, w.pos);
      return;
    case ScalarType.SFIXED32:
      w.pos = w.buf.writeInt32LE(value as number, w.pos);
      return;
    case ScalarType.FLOAT:
      w.pos = w.buf.writeFloatLE(value as number, w.pos);
      return;
    case ScalarType.FIXED64:
      w.pos = w.buf.writeBigUInt64LE(BigInt(value as bigint), w.pos);
      return;
    case ScalarType.SFIXED64:
      w.pos = w.buf.writeBigInt64LE(BigInt(value as bigint), w.pos);
      return;
    case ScalarType.DOUBLE:
      w.pos = w.buf.writeDoubleLE(value as number, w.pos);
      return;
  }
}

function writeMessage(plan: MessagePlan, message: Plain, w: Writer): void {
  for (const field of plan.fields) {
    const value = message[field.localName];
    switch (field.kind) {
      case "scalar":
        if (isDefault(field, value)) break;
        writeTag(w, field.number, wireOf(field.scalar!));
        writeScalar(w, field.scalar!, value);
        break;
      case "enum":
        if (isDefault(field, value)) break;
        writeTag(w, field.number, VARINT);
        writeVarint(w, value as number);
        break;
      case "message":
        if (value === undefined || value === null) break;
        writeTag(w, field.number, LENGTH_DELIMITED);
        writeVarint(w, w.sizes[w.next++]!);
        if (field.timestamp) {
          const { seconds, nanos } = timestampParts(value as Date);
          if (seconds !== 0) {
            w.buf[w.pos++] = 0x08;
            writeVarint(w, seconds);
          }
          if (nanos !== 0) {
            w.buf[w.pos++] = 0x10;
            writeVarint(w, nanos);
          }
        } else {
          writeMessage(field.message!, value as Plain, w);
        }
        break;
      case "struct":
        if (value === undefined || value === null) break;
        writeTag(w, field.number, LENGTH_DELIMITED);
        writeVarint(w, w.sizes[w.next++]!);
        writeStruct(w, value as Plain);
        break;
      case "list": {
        const list = value as unknown[] | undefined;
        if (!list || list.length === 0) break;
        if (field.message) {
          for (const item of list) {
            writeTag(w, field.number, LENGTH_DELIMITED);
            writeVarint(w, w.sizes[w.next++]!);
            writeMessage(field.message, item as Plain, w);
          }
        } else if (field.packed) {
          writeTag(w, field.number, LENGTH_DELIMITED);
          writeVarint(w, w.sizes[w.next++]!);
          for (const item of list) writeScalar(w, field.scalar!, item);
        } else {
          for (const item of list) {
            writeTag(w, field.number, wireOf(field.scalar!));
            writeScalar(w, field.scalar!, item);
          }
        }
        break;
      }
    }
  }
}

function writeStruct(w: Writer, struct: Plain): void {
  for (const [key, item] of Object.entries(struct)) {
    if (item === undefined) continue;
    w.buf[w.pos++] = 0x0a; // fields = 1, a map entry
    writeVarint(w, w.sizes[w.next++]!);
    w.buf[w.pos++] = 0x0a; // key = 1
    writeString(w, key);
    w.buf[w.pos++] = 0x12; // value = 2
    writeVarint(w, w.sizes[w.next++]!);
    writeValue(w, item);
  }
}

function writeValue(w: Writer, value: unknown): void {
  if (value === null) {
    w.buf[w.pos++] = 0x08; // null_value = 1
    w.buf[w.pos++] = 0;
  } else if (typeof value === "number") {
    w.buf[w.pos++] = 0x11; // number_value = 2, fixed64
    w.pos = w.buf.writeDoubleLE(value, w.pos);
  } else if (typeof value === "boolean") {
    w.buf[w.pos++] = 0x20; // bool_value = 4
    w.buf[w.pos++] = value ? 1 : 0;
  } else if (typeof value === "string") {
    w.buf[w.pos++] = 0x1a; // string_value = 3
    writeString(w, value);
  } else if (Array.isArray(value)) {
    w.buf[w.pos++] = 0x32; // list_value = 6
    writeVarint(w, w.sizes[w.next++]!);
    for (const item of value) {
      w.buf[w.pos++] = 0x0a; // values = 1
      writeVarint(w, w.sizes[w.next++]!);
      writeValue(w, item);
    }
  } else {
    w.buf[w.pos++] = 0x2a; // struct_value = 5
    writeVarint(w, w.sizes[w.next++]!);
    writeStruct(w, value as Plain);
  }
}
