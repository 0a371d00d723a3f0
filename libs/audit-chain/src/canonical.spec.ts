import { canonicalCheckpointBytes, canonicalEventBytes, canonicalEventText, canonicalJson, isoTimestamp } from "./canonical";
import { unchainedEvents } from "./spec-fixtures";

/** The format as the spec defines it, to hold the implementation to. */
function referenceEventText(e: Parameters<typeof canonicalEventText>[0]): string {
  return JSON.stringify([
    1,
    e.seq,
    e.id,
    e.occurredAt.toISOString(),
    e.service,
    e.method,
    e.principal,
    e.resourceType,
    e.resourceId,
    e.action,
    e.outcome,
    e.requestSummary,
    e.sourceIp,
  ]);
}

describe("canonicalJson", () => {
  it("sorts object keys at every depth and keeps array order", () => {
    const value = { b: 1, a: { z: [3, { y: 1, x: 2 }, 1], c: null }, A: "x" };
    expect(canonicalJson(value)).toBe('{"A":"x","a":{"c":null,"z":[3,{"x":2,"y":1},1]},"b":1}');
  });

  it("gives the same text however the object was built", () => {
    expect(canonicalJson({ name: "db", reason: "x" })).toBe(canonicalJson({ reason: "x", name: "db" }));
  });

  it("drops undefined members like JSON.stringify, and writes null for them in arrays", () => {
    const value = { a: undefined, b: [undefined, () => 1], c: () => 1, d: 1 };
    expect(canonicalJson(value)).toBe('{"b":[null,null],"d":1}');
  });

  it("follows JSON.stringify for dates, non-finite numbers, escapes and boxed values", () => {
    const value = { when: new Date(Date.UTC(2024, 0, 2)), n: NaN, text: 'quote " and \\ and \u0001 and é', boxed: Object("s") as unknown };
    expect(canonicalJson(value)).toBe(
      '{"boxed":"s","n":null,"text":"quote \\" and \\\\ and \\u0001 and é","when":"2024-01-02T00:00:00.000Z"}',
    );
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it("throws a TypeError on a cycle, a bigint, or a value with no JSON form", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it("allows the same object twice when it is not a cycle", () => {
    const shared = { b: 2, a: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"a":1,"b":2},{"a":1,"b":2}]');
  });
});

describe("canonicalEventText", () => {
  const [base] = unchainedEvents(1);
  const event = { ...base!, seq: 42 };

  it("is JSON.stringify of the version and the fields in order", () => {
    expect(canonicalEventText(event)).toBe(referenceEventText(event));
    expect(canonicalEventText(event)).toMatch(/^\[1,42,"evt-1","2025-01-02T03:04:06\.691Z","work-service",/);
    expect(canonicalEventBytes(event).equals(Buffer.from(referenceEventText(event), "utf8"))).toBe(true);
  });

  it("matches the reference for awkward strings and nulls", () => {
    const awkward = ['"', "\\", "\n\t\u0000", "é", "日本", "😀", "\ud800", "\udc00x", "\u2028", "\u007f", ""];
    for (const text of awkward) {
      const e = { ...event, id: text, principal: `p${text}`, resourceId: text, requestSummary: text, sourceIp: null };
      expect(canonicalEventText(e)).toBe(referenceEventText(e));
      expect(canonicalEventBytes(e).toString("utf8")).toBe(Buffer.from(referenceEventText(e), "utf8").toString("utf8"));
    }
  });

  it("throws a RangeError for an invalid occurredAt", () => {
    expect(() => canonicalEventText({ ...event, occurredAt: new Date(NaN) })).toThrow(RangeError);
  });
});

describe("isoTimestamp", () => {
  it("is toISOString for any date, inside the fast range and outside it", () => {
    const limits = [-8.64e15, -62198755200000, -1, 0, 1, 253402300799999, 253402300800000, 8.64e15, Date.UTC(999, 11, 31, 23, 59, 59, 999)];
    const recent = Array.from({ length: 5000 }, (_, i) => Math.floor(Math.sin(i + 1) * 1e4) * 1e9 + i * 7919);
    const anywhere = Array.from({ length: 2000 }, (_, i) => Math.floor(Math.sin(i + 1) * 8.64e15));
    const times = [...limits, ...recent, ...anywhere];
    for (const time of times) {
      const date = new Date(time);
      expect(isoTimestamp(date)).toBe(date.toISOString());
    }
  });

  it("throws a RangeError for an invalid date, as toISOString does", () => {
    expect(() => isoTimestamp(new Date("nope"))).toThrow(RangeError);
  });
});

describe("canonicalCheckpointBytes", () => {
  it("is the versioned line format", () => {
    const bytes = canonicalCheckpointBytes({ seq: 2000, hash: "ab".repeat(32), signedAt: new Date(Date.UTC(2025, 5, 1)), prevSeq: 1000 });
    expect(bytes.toString("utf8")).toBe(`msp-audit-checkpoint/1\n2000\n${"ab".repeat(32)}\n2025-06-01T00:00:00.000Z\n1000`);
  });
});
