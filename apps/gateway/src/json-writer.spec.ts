import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { ScalarType, create, createFileRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ReflectList, ReflectMessage } from "@bufbuild/protobuf/reflect";
import { protoCamelCase, reflect } from "@bufbuild/protobuf/reflect";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import {
  FeatureSet_FieldPresence,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";
import { loadDescriptorSet } from "@msp/proto";
import { jsonWriterOf, reflectionJson } from "./json-writer";

// fromBinary is watched, to tell the writer's own answers from those it leaves to protobuf-es.
jest.mock("@bufbuild/protobuf", () => {
  const actual = jest.requireActual<typeof import("@bufbuild/protobuf")>("@bufbuild/protobuf");
  return { ...actual, fromBinary: jest.fn(actual.fromBinary) };
});

const registry = createFileRegistry(loadDescriptorSet());
const messages: DescMessage[] = [];
// The platform's own messages (proto3), and through them the well-known types they use.
for (const type of registry) if (type.kind === "message" && type.typeName.startsWith("msp.")) messages.push(type);

/** The writer's output as text, to compare with the reflection path's. */
function writtenJson(desc: DescMessage, bytes: Uint8Array): string {
  return jsonWriterOf(desc)(bytes).toString("utf8");
}

/**
 * What the platform's messages lack: every 64-bit integer type, maps with integer, bool and string
 * keys, and a oneof (a proto3 file built here, so they are checked on random values too).
 */
const everything = (() => {
  const { INT64, UINT64, SINT64, FIXED64, SFIXED64, INT32, BOOL, STRING, MESSAGE, ENUM } = FieldDescriptorProto_Type;
  const { OPTIONAL, REPEATED } = FieldDescriptorProto_Label;
  const field = (name: string, number: number, type: FieldDescriptorProto_Type, more: object = {}) => ({
    name,
    jsonName: protoCamelCase(name),
    number,
    type,
    label: OPTIONAL,
    ...more,
  });
  const entry = (name: string, key: FieldDescriptorProto_Type, value: FieldDescriptorProto_Type, more: object = {}) => ({
    name,
    field: [field("key", 1, key), field("value", 2, value, more)],
    options: { mapEntry: true },
  });
  const file = create(FileDescriptorProtoSchema, {
    name: "jsonwriter_test.proto",
    package: "jsonwriter.test",
    syntax: "proto3",
    enumType: [
      {
        name: "Color",
        value: [
          { name: "COLOR_UNSPECIFIED", number: 0 },
          { name: "COLOR_RED", number: 1 },
        ],
      },
    ],
    messageType: [
      {
        name: "Everything",
        field: [
          field("an_int64", 1, INT64),
          field("a_uint64", 2, UINT64),
          field("a_sint64", 3, SINT64),
          field("a_fixed64", 4, FIXED64),
          field("a_sfixed64", 5, SFIXED64),
          field("sint64s", 6, SINT64, { label: REPEATED }),
          field("by_int", 7, MESSAGE, { label: REPEATED, typeName: ".jsonwriter.test.Everything.ByIntEntry" }),
          field("by_bool", 8, MESSAGE, { label: REPEATED, typeName: ".jsonwriter.test.Everything.ByBoolEntry" }),
          field("by_name", 9, MESSAGE, { label: REPEATED, typeName: ".jsonwriter.test.Everything.ByNameEntry" }),
          field("by_sint64", 10, MESSAGE, { label: REPEATED, typeName: ".jsonwriter.test.Everything.BySint64Entry" }),
          field("text", 11, STRING, { oneofIndex: 0 }),
          field("nested", 12, MESSAGE, { oneofIndex: 0, typeName: ".jsonwriter.test.Everything" }),
          field("count", 13, INT32, { oneofIndex: 0 }),
        ],
        nestedType: [
          entry("ByIntEntry", INT32, STRING),
          entry("ByBoolEntry", BOOL, MESSAGE, { typeName: ".jsonwriter.test.Everything" }),
          entry("ByNameEntry", STRING, ENUM, { typeName: ".jsonwriter.test.Color" }),
          entry("BySint64Entry", SINT64, INT64),
        ],
        oneofDecl: [{ name: "choice" }],
      },
    ],
  });
  return createFileRegistry(file, () => undefined).getMessage("jsonwriter.test.Everything")!;
})();

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
    // proto2 required fields must be set for protobuf-es to encode the message.
    if (random() < 0.3 && field.presence !== FeatureSet_FieldPresence.LEGACY_REQUIRED) continue;
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
      // An open enum keeps a value it does not know; a closed one cannot be given one.
      return random() < 0.1 && field.enum!.open ? 999 : values[Math.floor(random() * values.length)]!.number;
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

/** The writer and the reflection path on `bytes`: the same JSON, or both refusing them. */
function expectSameJson(desc: DescMessage, bytes: Uint8Array): string | undefined {
  let expected: string;
  try {
    expected = reflectionJson(desc, bytes);
  } catch {
    expect(() => jsonWriterOf(desc)(bytes)).toThrow();
    return undefined;
  }
  expect({ type: desc.typeName, json: writtenJson(desc, bytes) }).toEqual({ type: desc.typeName, json: expected });
  return expected;
}

describe("the JSON writer", () => {
  const session = registry.getMessage("msp.work.v1.Session")!;
  const timeline = registry.getMessage("msp.work.v1.SessionTimeline")!;
  const timestamp = registry.getMessage("google.protobuf.Timestamp")!;
  const { LengthDelimited, Varint } = WireType;

  it("knows every message type of the platform", () => {
    expect(messages.length).toBeGreaterThan(100);
    expect(messages.map((m) => m.typeName)).toContain("msp.work.v1.SessionTimeline");
  });

  it("writes exactly what protobuf-es writes, for random values of every message type", () => {
    const random = randomSource(20261125);
    let compared = 0;
    for (const desc of [...messages, everything]) {
      for (let round = 0; round < 12; round++) {
        const bytes = toBinary(desc, randomMessage(desc, random, 0).message);
        // Some values are not representable in JSON (a Value without a kind, say): the writer refuses them too.
        if (expectSameJson(desc, bytes) !== undefined) compared++;
      }
    }
    expect(compared).toBeGreaterThan(messages.length * 6);
  });

  it("writes what protobuf-es writes for the other types it knows (maps, oneofs, proto2), on random values", () => {
    const random = randomSource(7);
    for (const type of registry) {
      if (type.kind !== "message" || type.typeName.startsWith("msp.")) continue;
      for (let round = 0; round < 6; round++) {
        let bytes: Uint8Array;
        try {
          bytes = toBinary(type, randomMessage(type, random, 0).message);
        } catch {
          continue; // a required field left unset deep down: protobuf-es will not encode it
        }
        expectSameJson(type, bytes);
      }
    }
  });

  it("answers from the wire, without protobuf-es, for messages without delegated well-known types", () => {
    const random = randomSource(2026);
    const value = randomMessage(timeline, random, 0);
    const workItems = value.get(timeline.field["workItems"]!) as ReflectList;
    for (let i = 0; i < 20; i++) workItems.add(randomMessage(workItems.field().message!, random, 1));
    const bytes = toBinary(timeline, value.message);
    jest.mocked(fromBinary).mockClear();
    for (const desc of [session, timeline]) jsonWriterOf(desc)(new Uint8Array(0));
    jsonWriterOf(timeline)(bytes);
    expect(fromBinary).not.toHaveBeenCalled();
    expect(() => jsonWriterOf(timeline)(bytes.subarray(0, bytes.length - 1))).toThrow();
    expect(fromBinary).toHaveBeenCalled();
  });

  it("writes empty messages with every implicit field at its zero value", () => {
    for (const desc of [...messages, everything])
      expect(writtenJson(desc, new Uint8Array(0))).toBe(reflectionJson(desc, new Uint8Array(0)));
  });

  it("escapes strings as JSON.stringify does, and copies the others as they are", () => {
    const samples = [
      'say "hi"',
      "back\\slash",
      "line\nbreak\r\ttab",
      "\u0000\u0001\b\f\u001f control",
      "\u007f DEL and \u2028 separators \u2029 stay",
      "Ünïcødé ✓",
      "emoji 🧰 and 👩‍💻",
      'Ünï "quoted" 🧰\n',
      "</script>",
      "x".repeat(5000),
    ];
    for (const title of samples) {
      const bytes = new BinaryWriter().tag(6, LengthDelimited).string(title).finish();
      const json = expectSameJson(session, bytes);
      expect(JSON.parse(json!)).toMatchObject({ title });
    }
  });

  it("leaves invalid UTF-8 to protobuf-es: refused in proto3 strings, replaced where not validated", () => {
    const fileProto = registry.getMessage("google.protobuf.FileDescriptorProto")!; // proto2: strings not validated
    const invalid = [[0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf0, 0x9f, 0xa7], [0xff], [0x22, 0xfe, 0x0a]];
    for (const bad of invalid) {
      const value = new Uint8Array([0x61, ...bad, 0x62]);
      const bytes = new BinaryWriter().tag(6, LengthDelimited).bytes(value).finish();
      expect(() => reflectionJson(session, bytes)).toThrow();
      expect(() => jsonWriterOf(session)(bytes)).toThrow();
      const json = expectSameJson(fileProto, new BinaryWriter().tag(1, LengthDelimited).bytes(value).finish());
      expect(json).toContain("\uFFFD");
    }
  });

  describe("timestamps", () => {
    const startedAt = (seconds: bigint, nanos: number): Uint8Array => {
      const value = new BinaryWriter().tag(1, Varint).int64(seconds).tag(2, Varint).int32(nanos).finish();
      return new BinaryWriter().tag(session.field["startedAt"]!.number, LengthDelimited).bytes(value).finish();
    };
    const written = (seconds: bigint, nanos: number): unknown =>
      (JSON.parse(expectSameJson(session, startedAt(seconds, nanos))!) as { startedAt: unknown }).startedAt;

    it("writes RFC 3339 from year 1 to 9999, with 0, 3, 6 or 9 fractional digits", () => {
      expect(written(-62_135_596_800n, 0)).toBe("0001-01-01T00:00:00Z");
      expect(written(-62_135_596_800n, 1)).toBe("0001-01-01T00:00:00.000000001Z");
      expect(written(-1n, 500_000_000)).toBe("1969-12-31T23:59:59.500Z");
      expect(written(-86_401n, 120_000)).toBe("1969-12-30T23:59:59.000120Z");
      expect(written(0n, 0)).toBe("1970-01-01T00:00:00Z");
      expect(written(-2_203_891_200n, 0)).toBe("1900-03-01T00:00:00Z");
      expect(written(951_782_400n, 123_456_789)).toBe("2000-02-29T00:00:00.123456789Z");
      expect(written(1_709_251_199n, 10_000_000)).toBe("2024-02-29T23:59:59.010Z");
      expect(written(4_107_456_000n, 0)).toBe("2100-02-28T00:00:00Z");
      expect(written(4_107_542_400n, 0)).toBe("2100-03-01T00:00:00Z");
      expect(written(253_402_300_799n, 999_999_999)).toBe("9999-12-31T23:59:59.999999999Z");
    });

    it("agrees with protobuf-es across the whole range", () => {
      const random = randomSource(1969);
      for (let i = 0; i < 3000; i++) {
        const seconds = BigInt(Math.floor(-62_135_596_800 + random() * (253_402_300_799 + 62_135_596_800)));
        written(seconds, [0, 1_000_000, 1000, 1, Math.floor(random() * 1e9)][i % 5]!);
      }
    });

    it("leaves values out of range to protobuf-es, which refuses them", () => {
      for (const [seconds, nanos] of [
        [-62_135_596_801n, 0],
        [253_402_300_800n, 0],
        [0n, -1],
        [0n, 1_000_000_000],
        [-(2n ** 63n), 0],
      ] as const) {
        expect(() => reflectionJson(session, startedAt(seconds, nanos))).toThrow();
        expect(() => jsonWriterOf(session)(startedAt(seconds, nanos))).toThrow();
      }
    });

    it("merges a timestamp sent twice, and reads its fields in any order", () => {
      const field = session.field["startedAt"]!.number;
      const bytes = new BinaryWriter()
        .tag(field, LengthDelimited)
        .bytes(new BinaryWriter().tag(2, Varint).int32(5).tag(1, Varint).int64(1_764_000_000n).finish())
        .tag(field, LengthDelimited)
        .bytes(new BinaryWriter().tag(2, Varint).int32(250_000_000).finish())
        .finish();
      expect(JSON.parse(expectSameJson(session, bytes)!)).toMatchObject({ startedAt: "2025-11-24T16:00:00.250Z" });
      expect(writtenJson(timestamp, new BinaryWriter().tag(1, Varint).int64(1n).finish())).toBe('"1970-01-01T00:00:01Z"');
    });
  });

  it("writes 64-bit integers exactly, as strings", () => {
    const fileChange = registry.getMessage("msp.work.v1.FileChange")!;
    const sizeBytes = fileChange.field["sizeBytes"]!.number;
    const values = [
      0n,
      -1n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 53n + 1n,
      -(2n ** 53n) - 1n,
      2n ** 32n,
      -(2n ** 32n),
      2n ** 63n - 1n,
      -(2n ** 63n),
    ];
    for (const value of values) {
      const json = expectSameJson(fileChange, new BinaryWriter().tag(sizeBytes, Varint).int64(value).finish());
      expect(JSON.parse(json!)).toMatchObject({ sizeBytes: value.toString() });
      const all = create(everything, {
        anInt64: value,
        aUint64: BigInt.asUintN(64, value),
        aSint64: value,
        aFixed64: BigInt.asUintN(64, value),
        aSfixed64: value,
        sint64s: [value, BigInt.asIntN(64, -value)],
      } as never);
      const written = JSON.parse(expectSameJson(everything, toBinary(everything, all))!) as Record<string, unknown>;
      expect(written).toMatchObject({
        anInt64: value.toString(),
        aUint64: BigInt.asUintN(64, value).toString(),
        aSint64: value.toString(),
      });
    }
  });

  it("writes fields in field-number order whatever their order on the wire, the last of a singular field winning", () => {
    const updatedAt = new BinaryWriter().tag(1, Varint).int64(1_764_000_000n).finish();
    const bytes = new BinaryWriter()
      .tag(102, LengthDelimited)
      .bytes(updatedAt)
      .tag(100, LengthDelimited)
      .string("etag-1")
      .tag(15, LengthDelimited)
      .string("b")
      .tag(6, LengthDelimited)
      .string("first title")
      .tag(1, LengthDelimited)
      .string("id-1")
      .tag(15, LengthDelimited)
      .string("a")
      .tag(6, LengthDelimited)
      .string("second title")
      .finish();
    const json = expectSameJson(session, bytes)!;
    const keys = Object.keys(JSON.parse(json) as object);
    const numbers = keys.map((key) => session.fields.find((f) => f.jsonName === key)!.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(JSON.parse(json)).toMatchObject({ id: "id-1", title: "second title", tags: ["b", "a"], etag: "etag-1" });
  });

  it("merges a message field that appears twice, as protobuf does", () => {
    const sessionField = timeline.field["session"]!;
    const first = toBinary(session, { ...reflect(session).message, id: "a", title: "first" } as never);
    const second = toBinary(session, { ...reflect(session).message, title: "second" } as never);
    const writer = new BinaryWriter();
    writer.tag(sessionField.number, LengthDelimited).bytes(first);
    writer.tag(sessionField.number, LengthDelimited).bytes(second);
    const bytes = writer.finish();
    expect(JSON.parse(expectSameJson(timeline, bytes)!)).toMatchObject({ session: { id: "a", title: "second" } });
  });

  it("keeps the last member of a oneof, merging a message member sent again", () => {
    const nested = (text: string) => new BinaryWriter().tag(11, LengthDelimited).string(text).finish();
    const bytes = new BinaryWriter()
      .tag(12, LengthDelimited)
      .bytes(nested("dropped"))
      .tag(13, Varint)
      .int32(7)
      .tag(12, LengthDelimited)
      .bytes(new BinaryWriter().tag(1, Varint).int64(5n).finish())
      .tag(12, LengthDelimited)
      .bytes(new BinaryWriter().tag(2, Varint).uint64(6n).finish())
      .finish();
    const json = JSON.parse(expectSameJson(everything, bytes)!) as Record<string, unknown>;
    expect(json).toMatchObject({ nested: { anInt64: "5", aUint64: "6" } });
    expect(json).not.toHaveProperty("count");
    expect(json).not.toHaveProperty("nested.text");
  });

  it("writes maps as protobuf-es does: integer-like keys first, a repeated key in its first place with its last value", () => {
    const wire = new BinaryWriter();
    const entry = (field: number, build: (w: BinaryWriter) => BinaryWriter) =>
      wire.tag(field, LengthDelimited).bytes(build(new BinaryWriter()).finish());
    entry(9, (w) => w.tag(1, LengthDelimited).string("b").tag(2, Varint).int32(1));
    entry(9, (w) => w.tag(1, LengthDelimited).string("10"));
    entry(9, (w) => w.tag(1, LengthDelimited).string('a "quoted" key'));
    entry(9, (w) => w.tag(1, LengthDelimited).string("__proto__").tag(2, Varint).int32(1)); // lost in a JS object
    entry(9, (w) => w.tag(1, LengthDelimited).string("2").tag(2, Varint).int32(5));
    entry(9, (w) => w.tag(1, LengthDelimited).string("b").tag(2, Varint).int32(0));
    entry(8, (w) => w.tag(1, Varint).bool(true));
    entry(7, (w) => w.tag(2, LengthDelimited).string("no key"));
    entry(10, (w) =>
      w
        .tag(1, Varint)
        .sint64(-3n)
        .tag(2, Varint)
        .int64(2n ** 60n),
    );
    const bytes = wire.finish();
    const json = expectSameJson(everything, bytes)!;
    expect(json).toContain('"byName":{"2":5,"10":"COLOR_UNSPECIFIED","b":"COLOR_UNSPECIFIED","a \\"quoted\\" key":"COLOR_UNSPECIFIED"}');
    expect(JSON.parse(json)).toMatchObject({ byInt: { "0": "no key" }, byBool: { true: {} }, bySint64: { "-3": "1152921504606846976" } });
  });

  it("skips unknown fields of every wire type", () => {
    const writer = new BinaryWriter();
    writer.tag(1, LengthDelimited).string("0b9c7e0c-1f7e-4c1e-9f5e-1a2b3c4d5e6f");
    writer.tag(9001, Varint).int64(-5n);
    writer.tag(9002, WireType.Bit64).fixed64(7n);
    writer.tag(9003, LengthDelimited).bytes(new Uint8Array([1, 2, 3]));
    writer.tag(9004, WireType.Bit32).fixed32(9);
    writer.tag(9005, WireType.StartGroup).tag(1, Varint).int32(1).tag(9005, WireType.EndGroup);
    expectSameJson(session, writer.finish());
  });

  it("writes a large session timeline as protobuf-es does", () => {
    const random = randomSource(650);
    for (let round = 0; round < 3; round++) {
      const value = randomMessage(timeline, random, 0);
      const workItems = value.get(timeline.field["workItems"]!) as ReflectList;
      for (let i = 0; i < 50; i++) workItems.add(randomMessage(workItems.field().message!, random, 1));
      expectSameJson(timeline, toBinary(timeline, value.message));
    }
  });

  it("falls back to protobuf-es on bytes it does not expect, answering or failing the same way", () => {
    for (const bytes of [
      [0x0a, 0x05, 0x61], // truncated string
      [0x08], // truncated varint
      [0x0a], // missing length
      [0x00, 0x01], // field number 0
      [0x0f], // wire type 7
      [0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 0x01], // a tag longer than 32 bits
      [0x4a, 0x03, 0x08, 0x01], // truncated timestamp
      [0x4a, 0x03, 0x0a, 0x01, 0x61], // a timestamp's seconds sent as a string
      [0x30, 0x01], // a string sent as a varint
      [0x40, 0x01, 0x40], // a varint cut short after its tag
    ]) {
      expectSameJson(session, new Uint8Array(bytes));
    }
    // A closed (proto2) enum keeps a value it does not know out of the message.
    const fieldProto = registry.getMessage("google.protobuf.FieldDescriptorProto")!;
    expect(expectSameJson(fieldProto, new BinaryWriter().tag(5, Varint).int32(999).finish())).toBe("{}");
    const truncated = new Uint8Array([0x0a, 0x05, 0x61]);
    expect(() => jsonWriterOf(session)(truncated)).toThrow();
    expect(() => reflectionJson(session, truncated)).toThrow();
  });
});
