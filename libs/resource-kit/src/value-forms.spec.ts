import { FileChangeType, FileChangeTypeSchema } from "@msp/proto/src/gen/es/msp/work/v1/file_change_pb";
import { canonicalTimestamp, enumShortNames, enumValueNamed } from "./value-forms";

describe("enum values as people write them", () => {
  it.each(["modified", "MODIFIED", "Modified", "FILE_CHANGE_TYPE_MODIFIED", "file_change_type_modified"])("read %s", (text) => {
    expect(enumValueNamed(FileChangeTypeSchema, text)?.number).toBe(FileChangeType.MODIFIED);
  });

  it("reads a short name with an underscore", () => {
    expect(enumValueNamed(FileChangeTypeSchema, "backed_up")?.number).toBe(FileChangeType.BACKED_UP);
  });

  it.each(["modifed", "", "unspecified", "FILE_CHANGE_TYPE_UNSPECIFIED", "2", "change_type_modified", " modified"])(
    "do not read %j (the zero value names no choice)",
    (text) => {
      expect(enumValueNamed(FileChangeTypeSchema, text)).toBeUndefined();
    },
  );

  it("lists every short name but the zero value's", () => {
    expect(enumShortNames(FileChangeTypeSchema)).toEqual(["created", "modified", "deleted", "renamed", "backed_up"]);
  });
});

describe("canonicalTimestamp", () => {
  it.each([
    ["2026-12-01", "2026-12-01T00:00:00Z"],
    ["2024-02-29", "2024-02-29T00:00:00Z"],
    ["2026-12-01T09:30:00Z", "2026-12-01T09:30:00Z"],
    ["2026-12-01t09:30:00z", "2026-12-01T09:30:00Z"],
    ["2026-12-01T09:30:00.123456789+02:00", "2026-12-01T09:30:00.123456789+02:00"],
    ["2026-12-01T09:30:00.5-05:30", "2026-12-01T09:30:00.5-05:30"],
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"],
    ["9999-12-31", "9999-12-31T00:00:00Z"],
  ])("reads %s as %s", (text, canonical) => {
    expect(canonicalTimestamp(text)).toBe(canonical);
  });

  it.each([
    "today",
    "2026",
    "2026-12",
    "2026-1-01",
    "2026-12-1",
    "2026-02-29",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "0000-01-01",
    "2026-12-01 09:30:00Z",
    // Without an offset the instant would depend on the server's time zone.
    "2026-12-01T09:30:00",
    "2026-12-01T24:00:00Z",
    "2026-12-01T09:60:00Z",
    "2026-12-01T09:30:60Z",
    "2026-12-01T09:30:00.Z",
    "2026-12-01T09:30:00.1234567890Z",
    "2026-12-01T09:30:00+24:00",
    "2026-12-01T09:30:00+0200",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    " 2026-12-01",
  ])("refuses %j", (text) => {
    expect(canonicalTimestamp(text)).toBeUndefined();
  });
});
