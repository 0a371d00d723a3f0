import type { DescMessage } from "@bufbuild/protobuf";
import { ProtoSink } from "@msp/proto";
import { BillableTimeSchema } from "@msp/proto/src/gen/es/msp/work/v1/billable_time_pb";
import { ClientSchema } from "@msp/proto/src/gen/es/msp/work/v1/client_pb";
import { CommandRunSchema } from "@msp/proto/src/gen/es/msp/work/v1/command_run_pb";
import { FileChangeSchema } from "@msp/proto/src/gen/es/msp/work/v1/file_change_pb";
import { SessionSchema } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";
import { WorkItemSchema } from "@msp/proto/src/gen/es/msp/work/v1/work_item_pb";
import { BillableTime } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { CommandRun } from "@msp/proto/src/gen/ts/msp/work/v1/command_run";
import { FileChange } from "@msp/proto/src/gen/ts/msp/work/v1/file_change";
import { Session, SessionTimeline } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { WorkItem } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import type { StoredRecord } from "./codec";
import { fromStored } from "./codec";
import { etagOf } from "./etag";
import type { FieldInfo, FieldOverrides } from "./fields";
import { describeFields } from "./fields";
import { createRowEncoder } from "./row-encoder";

/** A resource message as ts-proto encodes it: the reference the row encoder must match byte for byte. */
interface Case {
  schema: DescMessage;
  overrides: FieldOverrides;
  encode: (message: never) => { finish(): Uint8Array };
}

const cases: Case[] = [
  { schema: ClientSchema, overrides: { decimals: { default_hourly_rate: 2 } }, encode: (m) => Client.encode(m) },
  {
    schema: SessionSchema,
    overrides: { decimals: { billable_hours: 2, billable_amount: 2 } },
    encode: (m) => Session.encode(m),
  },
  { schema: WorkItemSchema, overrides: {}, encode: (m) => WorkItem.encode(m) },
  { schema: CommandRunSchema, overrides: { signed: ["exit_code"] }, encode: (m) => CommandRun.encode(m) },
  { schema: FileChangeSchema, overrides: {}, encode: (m) => FileChange.encode(m) },
  {
    schema: BillableTimeSchema,
    overrides: { decimals: { hourly_rate: 2, effective_hourly_rate: 2, billed_amount: 2 } },
    encode: (m) => BillableTime.encode(m),
  },
];

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** A stored value of a field's kind, in one of the shapes either driver hands back, or null. */
function storedValue(field: FieldInfo, random: () => number): unknown {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  if (random() < 0.25) return null;
  const k = field.kind;
  switch (k.type) {
    case "string":
      return pick(["", "x", "ünïcode ✓ 😀", "a".repeat(42), "ü".repeat(43), "b".repeat(200), "c".repeat(20_000), 'quote " and \\ \n']);
    case "uuid":
      return pick(["0190f5c8-1111-7000-8000-000000000001", "0190F5C8-2222-7000-8000-00000000000A", ""]);
    case "decimal":
      return pick([120.5, "75.00", "0", 0, "1234567890123.45", "-3.1"]);
    case "date":
      return pick(["2026-11-25", new Date("2026-02-28T00:00:00Z")]);
    case "bool":
      return pick([true, false, 0, 1, "1", "0"]);
    case "int":
      return k.long
        ? pick([0, 1, 4096, 2 ** 32 + 5, "9007199254740991", 2 ** 31 - 1])
        : pick([0, 1, 127, 128, 300_000, -1, -2_147_483_648]);
    case "enum":
      return pick([...k.values.slice(1).map((v) => v.slice(k.prefix.length).toLowerCase()), "not-a-value"]);
    case "timestamp":
      return pick([
        new Date("2026-11-25T10:00:00.123Z"),
        new Date("1970-01-01T00:00:00Z"),
        new Date("1970-01-01T00:00:00.001Z"),
        "2026-11-25 10:05:00.000",
        "2026-11-25 10:05:00.250 +00:00",
      ]);
    case "stringList":
      return pick(["[]", '["a","ü",""]', ["x", "y"], "not json", JSON.stringify(["d".repeat(300)])]);
    case "object":
      return null;
  }
}

describe("createRowEncoder", () => {
  it.each(cases.map((c) => [c.schema.typeName, c] as const))("writes what toMessage gives, as ts-proto encodes it: %s", (_name, c) => {
    const fields = describeFields(c.schema, c.overrides);
    const encodeRow = createRowEncoder(c.schema, fields);
    const random = seededRandom(c.schema.typeName.length * 7919);
    for (let round = 0; round < 300; round++) {
      const row: StoredRecord = { revision: Math.floor(random() * 1000) };
      for (const field of fields) row[field.name] = storedValue(field, random);
      row["id"] = "0190f5c8-0000-7000-8000-00000000abcd";
      const message = { ...fromStored(fields, row), etag: etagOf("0190f5c8-0000-7000-8000-00000000abcd", Number(row["revision"])) };
      const sink = new ProtoSink(16);
      encodeRow(row, sink);
      expect(Buffer.from(sink.finish()).toString("hex")).toBe(Buffer.from(c.encode(message as never).finish()).toString("hex"));
    }
  });

  it("refuses at once a message it cannot write", () => {
    const fields = describeFields(ClientSchema, {});
    const withObject: FieldInfo[] = [
      ...fields,
      { name: "name", localName: "name", kind: { type: "object", desc: undefined }, optional: false, freeText: true },
    ];
    expect(() => createRowEncoder(ClientSchema, withObject)).toThrow(/message fields are not supported/);
  });
});

describe("ProtoSink", () => {
  it("writes nested messages of any length with their length before them, as ts-proto does", () => {
    for (const size of [0, 1, 42, 43, 127, 128, 16_383, 16_384, 300_000]) {
      const title = "z".repeat(size - (size % 2)) + (size % 2 ? "ü" : "");
      const sink = new ProtoSink(4);
      const workItems = sink.begin(2);
      const workItem = sink.begin(1);
      sink.string(5, title);
      sink.int32(15, -1);
      sink.timestamp(101, Date.parse("2026-11-25T10:00:00.5Z"));
      sink.end(workItem);
      sink.end(workItems);
      const expected = SessionTimeline.encode(
        SessionTimeline.fromPartial({
          workItems: [{ workItem: { title, actualMinutes: -1, createdAt: new Date("2026-11-25T10:00:00.5Z") } }],
        }),
      ).finish();
      expect(Buffer.from(sink.finish()).equals(Buffer.from(expected))).toBe(true);
    }
  });
});
