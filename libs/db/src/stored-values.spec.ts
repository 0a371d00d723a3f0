import { textOf, toDate } from "./stored-values";

describe("toDate", () => {
  it("returns a Date unchanged", () => {
    const at = new Date();
    expect(toDate(at)).toBe(at);
  });

  it.each([
    ["2026-11-25 10:00:00.123 +00:00", "2026-11-25T10:00:00.123Z"],
    ["2026-11-25 10:00:00.123", "2026-11-25T10:00:00.123Z"],
    ["1970-01-01 00:00:00.000", "1970-01-01T00:00:00.000Z"],
    ["9999-12-31 23:59:59.999 +00:00", "9999-12-31T23:59:59.999Z"],
    ["2026-11-25 10:00:00.12x", null],
    ["2026-11-25 10:00:00.123+00:00", "2026-11-25T10:00:00.123Z"],
    ["2026-11-25 12:00:00.000 +02:00", "2026-11-25T10:00:00.000Z"],
    ["2026-11-25 05:00:00 -05:00", "2026-11-25T10:00:00.000Z"],
    ["2026-11-25 10:00:00Z", "2026-11-25T10:00:00.000Z"],
    ["2026-11-25 10:00:00", "2026-11-25T10:00:00.000Z"],
    ["2026-11-25T10:00:00.000Z", "2026-11-25T10:00:00.000Z"],
    ["2026-11-25T11:00:00+01:00", "2026-11-25T10:00:00.000Z"],
  ])("reads %j as %s", (text, iso) => {
    if (iso === null) expect(Number.isNaN(toDate(text).getTime())).toBe(true);
    else expect(toDate(text).toISOString()).toBe(iso);
  });

  it("reads garbage as an invalid Date rather than throwing", () => {
    expect(Number.isNaN(toDate("yesterday").getTime())).toBe(true);
  });
});

describe("textOf", () => {
  it.each([
    ["text", "text"],
    [42, "42"],
    [true, "true"],
    [BigInt("9007199254740993"), "9007199254740993"],
    [Buffer.from("é bytes", "utf8"), "é bytes"],
    [{ a: 1 }, '{"a":1}'],
  ])("reads %p as %j", (value, text) => {
    expect(textOf(value)).toBe(text);
  });
});
