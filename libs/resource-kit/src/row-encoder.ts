import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { ScalarType } from "@bufbuild/protobuf";
import type { ProtoSink } from "@msp/proto";
import type { StoredRecord } from "./codec";
import { formatDecimal, parseJson, textOf, toDate } from "./codec";
import { etagOf } from "./etag";
import type { FieldInfo } from "./fields";

/**
 * Writes a stored row's message straight to protobuf, without the message object: the same
 * message `toMessage` gives (fromStored plus the etag), field by field in field-number order,
 * as a generated encoder writes it. For responses of thousands of rows (a session's timeline).
 */
export type RowEncoder = (row: StoredRecord, sink: ProtoSink) => void;

type FieldWriter = (value: unknown, sink: ProtoSink) => void;

interface FieldPlan {
  column: string;
  /** Writes a present (non-null) stored value, leaving out what proto3 leaves out. */
  write: FieldWriter;
  /** Written for a null column, when the message shows a non-zero value for it (a decimal's 0.00). */
  absent: FieldWriter | undefined;
}

export function createRowEncoder(schema: DescMessage, fields: readonly FieldInfo[]): RowEncoder {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const plans = fields
    .map((field) => ({ field, desc: byName.get(field.name)! }))
    .sort((a, b) => a.desc.number - b.desc.number)
    .map(({ field, desc }) => planOf(field, desc));
  return (row, sink) => {
    for (const plan of plans) {
      const value = plan.column === "etag" ? etagOf(textOf(row["id"]), Number(row["revision"])) : row[plan.column];
      if (value !== null && value !== undefined) plan.write(value, sink);
      else plan.absent?.(null, sink);
    }
  };
}

function planOf(field: FieldInfo, desc: DescField): FieldPlan {
  const number = desc.number;
  // Explicit presence (proto3 optional) writes zero values too; implicit presence leaves them out.
  const explicit = field.optional;
  const plan = (write: FieldWriter, absent?: FieldWriter): FieldPlan => ({ column: field.name, write, absent });
  const k = field.kind;
  switch (k.type) {
    case "string":
    case "uuid":
    case "date":
      return plan((value, sink) => {
        const text = k.type !== "date" ? textOf(value) : (value instanceof Date ? value.toISOString() : textOf(value)).slice(0, 10);
        if (explicit || text !== "") sink.string(number, text);
      });
    case "decimal": {
      const zero = (0).toFixed(k.scale);
      return plan(
        (value, sink) => sink.string(number, formatDecimal(value, k.scale)),
        explicit ? undefined : (_value, sink) => sink.string(number, zero),
      );
    }
    case "bool":
      return plan((value, sink) => {
        const on = value === true || value === 1 || value === "1";
        if (explicit || on) sink.int32(number, on ? 1 : 0);
      });
    case "int": {
      const scalar = desc.fieldKind === "scalar" ? desc.scalar : undefined;
      if (scalar !== ScalarType.INT32 && scalar !== ScalarType.INT64 && scalar !== ScalarType.UINT32 && scalar !== ScalarType.UINT64) {
        throw new Error(`createRowEncoder: ${desc.parent.typeName}.${desc.name}: only int32, int64, uint32 and uint64 are supported`);
      }
      return plan((value, sink) => {
        if (k.long) {
          const n = BigInt(textOf(value));
          if (explicit || n !== 0n) sink.int64(number, n);
        } else {
          const n = Number(value);
          if (explicit || n !== 0) sink.int32(number, n);
        }
      });
    }
    case "enum": {
      const numbers = new Map(k.desc.values.map((v) => [v.name.slice(k.prefix.length).toLowerCase(), v.number]));
      return plan((value, sink) => {
        const n = numbers.get(textOf(value).toLowerCase()) ?? 0;
        if (explicit || n !== 0) sink.int32(number, n);
      });
    }
    case "timestamp":
      return plan((value, sink) => sink.timestamp(number, toDate(value).getTime()));
    case "stringList":
      return plan((value, sink) => {
        const list = parseJson(value);
        if (!Array.isArray(list)) return;
        for (const item of list) if (typeof item === "string") sink.string(number, item);
      });
    case "object":
      throw new Error(`createRowEncoder: ${desc.parent.typeName}.${desc.name}: message fields are not supported`);
  }
}
