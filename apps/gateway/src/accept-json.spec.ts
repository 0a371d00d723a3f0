import { fromJson } from "@bufbuild/protobuf";
import { DomainError } from "@msp/errors";
import { ExportBillableTimeRequestSchema, GetBillingSummaryRequestSchema } from "@msp/proto/src/gen/es/msp/work/v1/billable_time_pb";
import {
  CreateFileChangeRequestSchema,
  FileChangeType,
  ListFileChangesResponseSchema,
  UpdateFileChangeRequestSchema,
} from "@msp/proto/src/gen/es/msp/work/v1/file_change_pb";
import { acceptQueryValue, acceptRequestJson, decodeRefusal } from "./accept-json";

const changeTypes = "created, modified, deleted, renamed, backed_up";
const forms = 'an RFC 3339 timestamp such as "2026-12-01T09:30:00Z" or a date such as "2026-12-01" (midnight UTC)';

/** The refusal `run` throws: its message and field violations. */
function refusal(run: () => unknown): { message: string; violations: readonly { field: string; description: string }[] } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("invalid_argument");
    return { message: (error as DomainError).message, violations: (error as DomainError).violations };
  }
  throw new Error("expected a refusal");
}

describe("acceptRequestJson", () => {
  it.each(["modified", "MODIFIED", "Modified", "file_change_type_modified"])(
    "reads the enum value %j as FILE_CHANGE_TYPE_MODIFIED",
    (text) => {
      const json = { fileChange: { changeType: text, filePath: "a.txt" } };
      acceptRequestJson(CreateFileChangeRequestSchema, json);
      expect(json).toEqual({ fileChange: { changeType: "FILE_CHANGE_TYPE_MODIFIED", filePath: "a.txt" } });
      expect(fromJson(CreateFileChangeRequestSchema, json).fileChange?.changeType).toBe(FileChangeType.MODIFIED);
    },
  );

  it("leaves canonical JSON as it is: proto names and numbers of enum values, RFC 3339 timestamps", () => {
    for (const [schema, canonical] of [
      [CreateFileChangeRequestSchema, { file_change: { change_type: "FILE_CHANGE_TYPE_UNSPECIFIED" } }],
      [CreateFileChangeRequestSchema, { fileChange: { changeType: 3 } }],
      [GetBillingSummaryRequestSchema, { clientId: "c", start: "2026-12-01T09:30:00.250+01:00", end: null }],
    ] as const) {
      const json = structuredClone(canonical) as Record<string, unknown>;
      acceptRequestJson(schema, json);
      expect(json).toEqual(canonical);
    }
  });

  it("reads a date alone as its midnight UTC", () => {
    const json = { clientId: "c", start: "2026-12-01", end: "2027-01-01t00:00:00z" };
    acceptRequestJson(GetBillingSummaryRequestSchema, json);
    expect(json).toEqual({ clientId: "c", start: "2026-12-01T00:00:00Z", end: "2027-01-01T00:00:00Z" });
    const request = fromJson(GetBillingSummaryRequestSchema, json);
    expect(Number(request.start?.seconds)).toBe(Date.parse("2026-12-01T00:00:00Z") / 1000);
  });

  it("refuses an unknown enum value, naming the field by its proto path and listing the values", () => {
    expect(refusal(() => acceptRequestJson(CreateFileChangeRequestSchema, { fileChange: { changeType: "modifed" } }))).toEqual({
      message: `file_change.change_type: 'modifed' is not one of ${changeTypes}`,
      violations: [{ field: "file_change.change_type", description: `'modifed' is not one of ${changeTypes}` }],
    });
    expect(refusal(() => acceptRequestJson(CreateFileChangeRequestSchema, { fileChange: { changeType: true } })).message).toBe(
      `file_change.change_type: true is not one of ${changeTypes}`,
    );
  });

  it("refuses a bad timestamp naming the field and the forms it takes", () => {
    for (const bad of ["2026-02-30", "01/12/2026", "2026-12-01T09:30:00", 1764547200]) {
      const shown = typeof bad === "string" ? `'${bad}'` : String(bad);
      expect(refusal(() => acceptRequestJson(GetBillingSummaryRequestSchema, { start: bad }))).toEqual({
        message: `start: ${shown} is not ${forms}`,
        violations: [{ field: "start", description: `${shown} is not ${forms}` }],
      });
    }
  });

  it("refuses an unknown field, naming it and the fields there are", () => {
    const { message, violations } = refusal(() =>
      acceptRequestJson(CreateFileChangeRequestSchema, { fileChange: { chnageType: "modified" } }),
    );
    expect(message).toMatch(/^file_change\.chnageType: is not a field of FileChange; its fields are id, sessionId, .*changeType/);
    expect(violations[0]?.field).toBe("file_change.chnageType");
  });

  it.each([
    [{ fileChange: { filePath: 5 } }, "file_change.file_path", "must be a string"],
    [{ fileChange: "x" }, "file_change", "must be a JSON object"],
    [{ fileChange: [] }, "file_change", "must be a JSON object"],
    [{ fileChange: { sizeBytes: true } }, "file_change.size_bytes", "must be a number"],
  ])("refuses a value of the wrong JSON type: %j", (json, field, rule) => {
    expect(refusal(() => acceptRequestJson(CreateFileChangeRequestSchema, json)).violations).toEqual([{ field, description: rule }]);
  });

  it("refuses a bool that is not true or false", () => {
    expect(refusal(() => acceptRequestJson(ExportBillableTimeRequestSchema, { uninvoicedOnly: "yes" })).violations).toEqual([
      { field: "uninvoiced_only", description: "must be true or false" },
    ]);
  });

  it("reads the items of a list, naming a refused one by its index", () => {
    const json = { fileChanges: [{ changeType: "deleted" }, { changeType: "RENAMED" }] };
    acceptRequestJson(ListFileChangesResponseSchema, json);
    expect(json.fileChanges.map((c) => c.changeType)).toEqual(["FILE_CHANGE_TYPE_DELETED", "FILE_CHANGE_TYPE_RENAMED"]);
    const bad = { fileChanges: [{ changeType: "deleted" }, { changeType: "gone" }] };
    expect(refusal(() => acceptRequestJson(ListFileChangesResponseSchema, bad)).violations[0]?.field).toBe("file_changes[1].change_type");
    expect(refusal(() => acceptRequestJson(ListFileChangesResponseSchema, { fileChanges: {} })).violations).toEqual([
      { field: "file_changes", description: "must be a JSON array" },
    ]);
  });

  it("names the field of another well-known type protobuf-es refuses", () => {
    expect(refusal(() => acceptRequestJson(UpdateFileChangeRequestSchema, { updateMask: 5 })).violations).toEqual([
      { field: "update_mask", description: "is not a valid FieldMask: 5" },
    ]);
    const json = { updateMask: "changeType,filePath" };
    acceptRequestJson(UpdateFileChangeRequestSchema, json);
    expect(json).toEqual({ updateMask: "changeType,filePath" });
  });

  it("lets null clear a field, as canonical JSON does", () => {
    const json = { fileChange: { changeType: null, filePath: null } };
    acceptRequestJson(CreateFileChangeRequestSchema, json);
    expect(fromJson(CreateFileChangeRequestSchema, json).fileChange?.changeType).toBeUndefined();
  });
});

describe("acceptQueryValue", () => {
  const field = (name: string) => GetBillingSummaryRequestSchema.fields.find((f) => f.name === name)!;

  it("reads a date as midnight UTC and keeps other values", () => {
    expect(acceptQueryValue(field("start"), "2026-12-01", "start")).toBe("2026-12-01T00:00:00Z");
    expect(acceptQueryValue(field("client_id"), "2026-12-01", "clientId")).toBe("2026-12-01");
  });

  it("names the parameter as it was written", () => {
    expect(refusal(() => acceptQueryValue(field("end"), "soon", "end")).message).toBe(`end: 'soon' is not ${forms}`);
  });
});

describe("decodeRefusal", () => {
  it("names the field protobuf-es refused a value of", () => {
    let error: unknown;
    try {
      fromJson(CreateFileChangeRequestSchema, { fileChange: { sizeBytes: 1.5 } });
    } catch (caught) {
      error = caught;
    }
    const refused = decodeRefusal(error);
    expect(refused.violations).toEqual([{ field: "size_bytes", description: expect.stringContaining("1.5") }]);
    expect(refused.message).toMatch(/^size_bytes: /);
  });
});
