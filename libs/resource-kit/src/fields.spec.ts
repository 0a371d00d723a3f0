import { StructSchema } from "@bufbuild/protobuf/wkt";
import { DomainError } from "@msp/errors";
import { ClientSchema, ClientTypeSchema, ListClientsResponseSchema } from "@msp/proto/src/gen/es/msp/work/v1/client_pb";
import { CommandRunSchema } from "@msp/proto/src/gen/es/msp/work/v1/command_run_pb";
import { FileChangeSchema } from "@msp/proto/src/gen/es/msp/work/v1/file_change_pb";
import { MachineCapabilitiesSchema, MachineSchema } from "@msp/proto/src/gen/es/msp/work/v1/machine_pb";
import { ProjectSchema, ProjectStatusSchema } from "@msp/proto/src/gen/es/msp/work/v1/project_pb";
import { SessionSchema } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";
import type { FieldInfo, FieldKind } from "./fields";
import { describeFields, enumToStored, storedEnumValues, storedToEnum } from "./fields";

type EnumField = FieldInfo & { kind: { type: "enum" } };

function field(fields: readonly FieldInfo[], name: string): FieldInfo {
  const found = fields.find((f) => f.name === name);
  if (!found) throw new Error(`no field ${name}`);
  return found;
}

function enumField(fields: readonly FieldInfo[], name: string): EnumField {
  const found = field(fields, name);
  if (found.kind.type !== "enum") throw new Error(`${name} is not an enum`);
  return found as EnumField;
}

const clientFields = describeFields(ClientSchema, { decimals: { default_hourly_rate: 2 }, maxLength: { network_subnet: 64 } });

describe("describeFields", () => {
  it("derives every client field from the descriptor, in declaration order", () => {
    const kinds: Record<string, FieldKind["type"]> = Object.fromEntries(clientFields.map((f) => [f.name, f.kind.type]));
    expect(kinds).toEqual({
      id: "uuid",
      name: "string",
      client_type: "enum",
      domain_name: "string",
      network_subnet: "string",
      primary_contact: "string",
      default_hourly_rate: "decimal",
      is_active: "bool",
      notes: "string",
      billing_increment_minutes: "int",
      billing_rounding_direction: "enum",
      billing_minimum_minutes: "int",
      billing_rounding_scope: "enum",
      etag: "string",
      created_at: "timestamp",
      updated_at: "timestamp",
    });
    expect(field(clientFields, "client_type").localName).toBe("clientType");
    expect(field(clientFields, "default_hourly_rate").kind).toEqual({ type: "decimal", scale: 2 });
  });

  it("marks proto3 optional fields, and only those, as optional", () => {
    expect(clientFields.filter((f) => f.optional).map((f) => f.name)).toEqual([
      "name",
      "client_type",
      "domain_name",
      "network_subnet",
      "primary_contact",
      "default_hourly_rate",
      "is_active",
      "notes",
      "billing_increment_minutes",
      "billing_rounding_direction",
      "billing_minimum_minutes",
      "billing_rounding_scope",
    ]);
  });

  it("limits strings to 255 characters, long-text names to 65,535, and applies overrides", () => {
    expect(field(clientFields, "name").kind).toEqual({ type: "string", maxLength: 255 });
    expect(field(clientFields, "notes").kind).toEqual({ type: "string", maxLength: 65_535 });
    expect(field(clientFields, "network_subnet").kind).toEqual({ type: "string", maxLength: 64 });
    const sessionFields = describeFields(SessionSchema);
    expect(field(sessionFields, "summary").kind).toEqual({ type: "string", maxLength: 65_535 });
    expect(field(describeFields(ProjectSchema), "description").kind).toEqual({ type: "string", maxLength: 65_535 });
  });

  it("treats id and *_id as UUIDs, except external ids, and honours the ids override", () => {
    const sessionFields = describeFields(SessionSchema);
    expect(field(sessionFields, "id").kind).toEqual({ type: "uuid" });
    expect(field(sessionFields, "client_id").kind).toEqual({ type: "uuid" });
    expect(field(sessionFields, "machine_id").kind).toEqual({ type: "uuid" });
    expect(field(sessionFields, "external_session_id").kind).toEqual({ type: "string", maxLength: 255 });
    expect(field(describeFields(SessionSchema, { ids: ["technician"] }), "technician").kind).toEqual({ type: "uuid" });
    // Another system's id (a PSA ticket's) is free text.
    expect(field(describeFields(SessionSchema, { foreignIds: ["machine_id"] }), "machine_id").kind).toEqual({
      type: "string",
      maxLength: 255,
    });
  });

  it("reads session scalars, timestamps and string lists", () => {
    const sessionFields = describeFields(SessionSchema, { decimals: { billable_hours: 2 } });
    expect(field(sessionFields, "duration_minutes").kind).toStrictEqual({ type: "int" });
    expect(field(sessionFields, "is_billable").kind).toEqual({ type: "bool" });
    expect(field(sessionFields, "billable_hours").kind).toEqual({ type: "decimal", scale: 2 });
    expect(field(sessionFields, "started_at").kind).toEqual({ type: "timestamp" });
    expect(field(sessionFields, "tags").kind).toEqual({ type: "stringList", maxItems: 500, maxLength: 1024 });
    expect(field(sessionFields, "tags").optional).toBe(false);
  });

  it("marks 64-bit integers as long and the signed override as signed", () => {
    expect(field(describeFields(FileChangeSchema), "size_bytes").kind).toStrictEqual({ type: "int", long: true });
    expect(field(describeFields(CommandRunSchema, { signed: ["exit_code"] }), "exit_code").kind).toStrictEqual({
      type: "int",
      signed: true,
    });
  });

  it("turns the dates override into calendar dates", () => {
    const projectFields = describeFields(ProjectSchema, { dates: ["started_on", "target_on"] });
    expect(field(projectFields, "started_on").kind).toEqual({ type: "date" });
    expect(field(projectFields, "target_on").kind).toEqual({ type: "date" });
    expect(field(projectFields, "completed_on").kind).toEqual({ type: "string", maxLength: 255 });
  });

  it("keeps the descriptor of a typed sub-message and limits list items by override", () => {
    const machineFields = describeFields(MachineSchema, { maxLength: { installed_tools: 64 } });
    const capabilities = field(machineFields, "capabilities").kind;
    expect(capabilities.type).toBe("object");
    expect(capabilities.type === "object" && capabilities.desc?.typeName).toBe(MachineCapabilitiesSchema.typeName);
    expect(field(machineFields, "installed_tools").kind).toEqual({ type: "stringList", maxItems: 500, maxLength: 64 });
    expect(field(machineFields, "available_mcps").kind).toEqual({ type: "stringList", maxItems: 500, maxLength: 1024 });
  });

  it("derives the enum prefix from the enum's name", () => {
    const client = enumField(clientFields, "client_type");
    expect(client.kind.prefix).toBe("CLIENT_TYPE_");
    expect(client.kind.desc.typeName).toBe(ClientTypeSchema.typeName);
    expect(client.kind.values).toEqual([
      "CLIENT_TYPE_UNSPECIFIED",
      "CLIENT_TYPE_MSP_CLIENT",
      "CLIENT_TYPE_INTERNAL",
      "CLIENT_TYPE_PROJECT",
    ]);
    expect(enumField(describeFields(ProjectSchema), "status").kind.prefix).toBe("PROJECT_STATUS_");
    expect(enumField(describeFields(MachineSchema), "machine_type").kind.prefix).toBe("MACHINE_TYPE_");
  });

  it("refuses repeated messages and maps, naming the field", () => {
    expect(() => describeFields(ListClientsResponseSchema)).toThrow("resource field clients: only repeated string lists are supported");
    expect(() => describeFields(StructSchema)).toThrow("resource field fields: map fields are not supported");
  });
});

describe("enum values", () => {
  const clientType = enumField(clientFields, "client_type");
  const status = enumField(describeFields(ProjectSchema), "status");

  it("stores an enum number as its lower-case name without the prefix", () => {
    expect(enumToStored(clientType, 1)).toBe("msp_client");
    expect(enumToStored(clientType, 3)).toBe("project");
    expect(enumToStored(status, ProjectStatusSchema.values.find((v) => v.name === "PROJECT_STATUS_WORKING")!.number)).toBe("working");
  });

  it("stores the unspecified value (0) as null", () => {
    expect(enumToStored(clientType, 0)).toBeNull();
  });

  it("refuses an unknown number, naming the field and the allowed values", () => {
    let error: unknown;
    try {
      enumToStored(clientType, 99);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("invalid_argument");
    expect((error as DomainError).message).toBe("client_type: unknown value 99; one of msp_client, internal, project");
    expect((error as DomainError).violations).toEqual([
      { field: "client_type", description: "unknown value 99; one of msp_client, internal, project" },
    ]);
  });

  it("reads a stored name back as its number, in any case, and an unknown one as 0", () => {
    expect(storedToEnum(clientType, "msp_client")).toBe(1);
    expect(storedToEnum(clientType, "MSP_CLIENT")).toBe(1);
    expect(storedToEnum(status, "working")).toBe(2);
    expect(storedToEnum(clientType, "retired")).toBe(0);
    expect(storedToEnum(clientType, "")).toBe(0);
  });

  it("lists the stored values without the unspecified one", () => {
    expect(storedEnumValues(clientType)).toEqual(["msp_client", "internal", "project"]);
    expect(storedEnumValues(status)).toEqual(["pending", "working", "blocked", "critical", "deferred", "complete"]);
  });

  it("round-trips every declared value", () => {
    for (const value of clientType.kind.desc.values.filter((v) => v.number !== 0)) {
      expect(storedToEnum(clientType, enumToStored(clientType, value.number)!)).toBe(value.number);
    }
  });
});
