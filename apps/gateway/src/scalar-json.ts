import { isUtf8 } from "node:buffer";
import { ScalarType } from "@bufbuild/protobuf";
import type { JsonSink } from "./json-sink";
import { Fallback } from "./wire-reader";
import type { WireReader } from "./wire-reader";

/** How the JSON writer reads and writes one scalar type, chosen once per field. */
export interface ScalarPlan {
  /** Its wire type, unpacked. */
  wireType: number;
  /** Writes the value at `r.pos` (its wire type checked) as protobuf-es does, leaving `r.pos` after it. */
  write: (r: WireReader, out: JsonSink) => void;
  /** Its JSON when absent: the zero value. */
  zero: Buffer;
  /**
   * Reads it as a map key, as protobuf-es keeps one: the string itself, or the value in decimal.
   * Undefined for the types that cannot be keys.
   */
  key: ((r: WireReader) => string) | undefined;
}

const text = (json: string): Buffer => Buffer.from(json, "utf8");
const TRUE = text("true");
const FALSE = text("false");
const NAN = text('"NaN"');
const INFINITY = text('"Infinity"');
const NEGATIVE_INFINITY = text('"-Infinity"');
const QUOTE = 0x22;

const scalarPlans = new Map<ScalarType, ScalarPlan>();

export function scalarPlanOf(type: ScalarType): ScalarPlan {
  let plan = scalarPlans.get(type);
  if (!plan) {
    plan = newScalarPlan(type);
    scalarPlans.set(type, plan);
  }
  return plan;
}

function newScalarPlan(type: ScalarType): ScalarPlan {
  switch (type) {
    case ScalarType.STRING:
      return { wireType: 2, write: writeString, zero: text('""'), key: stringKey };
    case ScalarType.BYTES:
      return { wireType: 2, write: writeBytes, zero: text('""'), key: undefined };
    case ScalarType.BOOL:
      return { wireType: 0, write: (r, out) => out.bytes(readBool(r) ? TRUE : FALSE), zero: FALSE, key: (r) => String(readBool(r)) };
    case ScalarType.FLOAT:
      return { wireType: 5, write: (r, out) => writeFloat(r.float(), out), zero: text("0"), key: undefined };
    case ScalarType.DOUBLE:
      return { wireType: 1, write: (r, out) => writeFloat(r.double(), out), zero: text("0"), key: undefined };
    case ScalarType.INT32:
      return integer(0, (r) => String(r.varint() | 0), false);
    case ScalarType.UINT32:
      return integer(0, (r) => String(r.varint()), false);
    case ScalarType.SINT32:
      return integer(0, (r) => String(zigzag32(r.varint())), false);
    case ScalarType.FIXED32:
      return integer(5, (r) => String(r.fixed32()), false);
    case ScalarType.SFIXED32:
      return integer(5, (r) => String(r.fixed32() | 0), false);
    case ScalarType.INT64:
      return integer(0, (r) => int64Text(r.varint(), r.hi), true);
    case ScalarType.UINT64:
      return integer(0, (r) => uint64Text(r.varint(), r.hi), true);
    case ScalarType.SINT64:
      return integer(0, (r) => zigzag64Text(r.varint(), r.hi), true);
    case ScalarType.FIXED64:
      return integer(1, (r) => uint64Text(r.fixed64(), r.hi), true);
    case ScalarType.SFIXED64:
      return integer(1, (r) => int64Text(r.fixed64(), r.hi), true);
  }
}

/** An integer type: a JSON number, or for 64 bits a decimal string (exact, as protobuf-es writes it). */
function integer(wireType: number, decimal: (r: WireReader) => string, is64Bit: boolean): ScalarPlan {
  const write = is64Bit
    ? (r: WireReader, out: JsonSink) => {
        out.byte(QUOTE);
        out.ascii(decimal(r));
        out.byte(QUOTE);
      }
    : (r: WireReader, out: JsonSink) => out.ascii(decimal(r));
  return { wireType, write, zero: text(is64Bit ? '"0"' : "0"), key: decimal };
}

/** A string, as JSON.stringify writes it; invalid UTF-8 is left to protobuf-es (it refuses it in proto3 strings). */
function writeString(r: WireReader, out: JsonSink): void {
  const start = r.delimited();
  if (!out.string(r.buf, start, r.pos)) throw new Fallback("invalid UTF-8");
}

function stringKey(r: WireReader): string {
  const start = r.delimited();
  if (!isUtf8(r.buf.subarray(start, r.pos))) throw new Fallback("invalid UTF-8");
  return r.buf.toString("utf8", start, r.pos);
}

function writeBytes(r: WireReader, out: JsonSink): void {
  const start = r.delimited();
  out.byte(QUOTE);
  out.ascii(r.buf.toString("base64", start, r.pos));
  out.byte(QUOTE);
}

function readBool(r: WireReader): boolean {
  return r.varint() !== 0 || r.hi !== 0;
}

function writeFloat(n: number, out: JsonSink): void {
  if (Number.isFinite(n)) out.ascii(String(n));
  else out.bytes(Number.isNaN(n) ? NAN : n > 0 ? INFINITY : NEGATIVE_INFINITY);
}

function zigzag32(n: number): number {
  return (n >>> 1) ^ -(n & 1);
}

/** Zigzag over 64 bits: the value shifted right one bit, all its bits flipped when the low bit is set. */
function zigzag64Text(lo: number, hi: number): string {
  const flip = lo & 1 ? 0xffffffff : 0;
  return int64Text((((lo >>> 1) | (hi << 31)) ^ flip) >>> 0, ((hi >>> 1) ^ flip) >>> 0);
}

/** A two's complement 64-bit integer, given as its unsigned 32-bit halves, in decimal. */
function int64Text(lo: number, hi: number): string {
  if (hi < 0x80000000) return uint64Text(lo, hi);
  const magnitudeLo = (~lo + 1) >>> 0;
  const magnitudeHi = (~hi + (magnitudeLo === 0 ? 1 : 0)) >>> 0;
  return `-${uint64Text(magnitudeLo, magnitudeHi)}`;
}

/** An unsigned 64-bit integer in decimal: as a number below 2^53, where that is exact, else with BigInt. */
function uint64Text(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}
