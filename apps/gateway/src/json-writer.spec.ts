import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { ScalarType, createFileRegistry, toBinary } from "@bufbuild/protobuf";
import type { ReflectList, ReflectMessage } from "@bufbuild/protobuf/reflect";
import { reflect } from "@bufbuild/protobuf/reflect";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { loadDescriptorSet } from "@msp/proto";
import { jsonWriterOf, reflectionJson } from "./json-writer";

const registry = createFileRegistry(loadDescriptorSet());
const messages: DescMessage[] = [];
// The platform's own messages (proto3), and through them the well-known types they use.
for (const type of registry) if (type.kind === "message" && type.typeName.startsWith("msp.")) messages.push(type);

/** A deterministic pseudo-random source, so a failure can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const texts = ["", "a", "Ünïcødé ✓", 'quote " and \\ backslash', "line\nbreak\ttab", "\u0000\u001f", "emoji 🧰", "</script>"];

function randomScalar(type: ScalarType, random: () => number): unknown {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  switch (type) {
    case ScalarType.STRING:
      return pick(texts);
    case ScalarType.BYTES:
      return new Uint8Array(Array.from({ length: Math.floor(random() * 7) }, () => Math.floor(random() * 256)));
    case ScalarType.BOOL:
      return random() < 0.5;
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return pick([0, 1, -1, 300, -300, 2147483647, -2147483648]);
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return pick([0, 1, 300, 4294967295]);
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return pick([0n, 1n, -1n, 9007199254740993n, -9223372036854775808n, 9223372036854775807n, 1764000000n]);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return pick([0n, 1n, 18446744073709551615n, 4294967296n]);
    case ScalarType.FLOAT:
      return pick([0, 1.5, -2.25, 0.1, Number.NaN, Infinity, -Infinity, 3.4e38]);
    case ScalarType.DOUBLE:
      return pick([0, 0.1, -1e-300, 1e21, 123.456, Number.NaN, -Infinity]);
  }
}

function fill(message: ReflectMessage, random: () => number, depth: number): void {
  for (const field of message.fields) {
    if (random() < 0.3) continue;
    setRandom(message, field, random, depth);
  }
}

function randomMessage(desc: DescMessage, random: () => number, depth: number): ReflectMessage {
  const message = reflect(desc);
  if (desc.typeName === "google.protobuf.Timestamp") {
    message.set(desc.field["seconds"]!, BigInt(Math.floor(random() * 4e9)));
    message.set(desc.field["nanos"]!, [0, 5_000_000, 123_456_000, 123_456_789][Math.floor(random() * 4)]!);
  } else if (desc.typeName === "google.protobuf.Duration" || desc.typeName === "google.protobuf.Any") {
    // Written by protobuf-es itself: any valid value will do.
  } else if (desc.typeName === "google.protobuf.Value") {
    message.set(desc.field["string_value"] ?? desc.field["stringValue"]!, "v");
  } else if (desc.typeName === "google.protobuf.FieldMask") {
    (message.get(desc.field["paths"]!) as ReflectList).add("display_name");
  } else if (depth < 4) {
    fill(message, random, depth + 1);
  }
  return message;
}

function setRandom(message: ReflectMessage, field: DescField, random: () => number, depth: number): void {
  const valueOf = (kind: "scalar" | "enum" | "message"): unknown => {
    if (kind === "scalar") return randomScalar(field.scalar!, random);
    if (kind === "enum") {
      const values = field.enum!.values;
      return random() < 0.1 ? 999 : values[Math.floor(random() * values.length)]!.number;
    }
    return randomMessage(field.message!, random, depth);
  };
  switch (field.fieldKind) {
    case "scalar":
      message.set(field, randomScalar(field.scalar, random));
      return;
    case "enum":
    case "message":
      message.set(field, valueOf(field.fieldKind));
      return;
    case "list": {
      const list = message.get(field);
      for (let i = Math.floor(random() * 4); i > 0; i--) list.add(valueOf(field.listKind));
      return;
    }
    case "map": {
      const map = message.get(field);
      for (let i = Math.floor(random() * 4); i > 0; i--) {
        const key = randomScalar(field.mapKey, random);
        map.set(field.mapKey === ScalarType.STRING ? `k${String(key)}${i}` : (key as never), valueOf(field.mapKind));
      }
      return;
    }
  }
}

describe("the JSON writer", () => {
  it("knows every message type of the platform", () => {
    expect(messages.length).toBeGreaterThan(100);
    expect(messages.map((m) => m.typeName)).toContain("msp.work.v1.SessionTimeline");
  });

  it("writes exactly what protobuf-es writes, for random values of every message type", () => {
    const random = randomSource(20261125);
    let compared = 0;
    for (const desc of messages) {
      for (let round = 0; round < 12; round++) {
        const bytes = toBinary(desc, randomMessage(desc, random, 0).message);
        let expected: string;
        try {
          expected = reflectionJson(desc, bytes);
        } catch {
          continue; // not representable in JSON (a Value without a kind, say): the writer falls back the same way
        }
        expect({ type: desc.typeName, json: jsonWriterOf(desc)(bytes) }).toEqual({ type: desc.typeName, json: expected });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(messages.length * 6);
  });

  it("writes empty messages with every implicit field at its zero value", () => {
    for (const desc of messages) expect(jsonWriterOf(desc)(new Uint8Array(0))).toBe(reflectionJson(desc, new Uint8Array(0)));
  });

  const session = registry.getMessage("msp.work.v1.Session")!;
  const timeline = registry.getMessage("msp.work.v1.SessionTimeline")!;

  it("skips unknown fields of every wire type", () => {
    const writer = new BinaryWriter();
    writer.tag(1, WireType.LengthDelimited).string("0b9c7e0c-1f7e-4c1e-9f5e-1a2b3c4d5e6f");
    writer.tag(9001, WireType.Varint).int64(-5n);
    writer.tag(9002, WireType.Bit64).fixed64(7n);
    writer.tag(9003, WireType.LengthDelimited).bytes(new Uint8Array([1, 2, 3]));
    writer.tag(9004, WireType.Bit32).fixed32(9);
    writer.tag(9005, WireType.StartGroup).tag(1, WireType.Varint).int32(1).tag(9005, WireType.EndGroup);
    const bytes = writer.finish();
    expect(jsonWriterOf(session)(bytes)).toBe(reflectionJson(session, bytes));
  });

  it("merges a message field that appears twice, as protobuf does", () => {
    const sessionField = timeline.field["session"]!;
    const first = toBinary(session, { ...reflect(session).message, id: "a", title: "first" } as never);
    const second = toBinary(session, { ...reflect(session).message, title: "second" } as never);
    const writer = new BinaryWriter();
    writer.tag(sessionField.number, WireType.LengthDelimited).bytes(first);
    writer.tag(sessionField.number, WireType.LengthDelimited).bytes(second);
    const bytes = writer.finish();
    const json = jsonWriterOf(timeline)(bytes);
    expect(json).toBe(reflectionJson(timeline, bytes));
    expect(JSON.parse(json)).toMatchObject({ session: { id: "a", title: "second" } });
  });

  it("falls back to protobuf-es on bytes it cannot read, failing the same way", () => {
    const truncated = new Uint8Array([0x0a, 0x05, 0x61]);
    expect(() => jsonWriterOf(session)(truncated)).toThrow();
    expect(() => reflectionJson(session, truncated)).toThrow();
  });
});
