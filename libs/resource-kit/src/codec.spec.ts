import { DomainError } from "@msp/errors";
import { ClientSchema } from "@msp/proto/src/gen/es/msp/work/v1/client_pb";
import { CommandRunSchema } from "@msp/proto/src/gen/es/msp/work/v1/command_run_pb";
import { FileChangeSchema } from "@msp/proto/src/gen/es/msp/work/v1/file_change_pb";
import { MachineSchema } from "@msp/proto/src/gen/es/msp/work/v1/machine_pb";
import { ProjectSchema } from "@msp/proto/src/gen/es/msp/work/v1/project_pb";
import { SessionSchema } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";
import type { ProtoObject } from "./codec";
import { fromStored, isPresent, normalizeRow, toStored } from "./codec";
import type { FieldInfo } from "./fields";
import { describeFields } from "./fields";

const clientFields = describeFields(ClientSchema, { decimals: { default_hourly_rate: 2 }, maxLength: { network_subnet: 64 } });
const projectFields = describeFields(ProjectSchema, {
  decimals: { estimated_hours: 2, actual_hours: 2 },
  dates: ["started_on", "target_on", "completed_on"],
});
const machineFields = describeFields(MachineSchema);
const sessionFields = describeFields(SessionSchema, { decimals: { billable_hours: 2 } });

const uuid = "0190c2d6-5c1a-7b3e-8f00-1234567890ab";

/** The fields of a resource with the given names, as a resource passes only the ones it writes. */
function only(fields: readonly FieldInfo[], ...names: string[]): FieldInfo[] {
  const picked = fields.filter((f) => names.includes(f.name));
  if (picked.length !== names.length) throw new Error(`unknown field among ${names.join(", ")}`);
  return picked;
}

/** The DomainError a call throws; anything else thrown (or nothing) fails the test. */
function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("the call was accepted");
}

/** Stores one field of a message, as toStored does for every field. */
function storeOne(fields: readonly FieldInfo[], prefix: string, name: string, value: unknown): unknown {
  const [info] = only(fields, name);
  return toStored([info!], { [info!.localName]: value }, prefix)[name];
}

function refusalOf(fields: readonly FieldInfo[], prefix: string, name: string, value: unknown): string {
  const error = refusal(() => storeOne(fields, prefix, name, value));
  expect(error.code).toBe("invalid_argument");
  expect(error.violations).toHaveLength(1);
  return error.message;
}

describe("toStored", () => {
  it("stores a complete client under its column names", () => {
    const message = {
      name: "Acme",
      clientType: 1,
      domainName: "acme.example",
      defaultHourlyRate: "120",
      isActive: true,
      notes: "Main office",
    };
    expect(
      toStored(only(clientFields, "name", "client_type", "domain_name", "default_hourly_rate", "is_active", "notes"), message, "client"),
    ).toEqual({
      name: "Acme",
      client_type: "msp_client",
      domain_name: "acme.example",
      default_hourly_rate: "120.00",
      is_active: true,
      notes: "Main office",
    });
  });

  it("stores absent, null and empty values as null", () => {
    const record = toStored(clientFields, { name: "", domainName: null, defaultHourlyRate: "  ", clientType: 0 }, "client");
    expect(Object.keys(record)).toEqual(clientFields.map((f) => f.name));
    expect(Object.values(record).every((v) => v === null)).toBe(true);
  });

  describe("enums", () => {
    it("maps numbers to stored names", () => {
      expect(storeOne(clientFields, "client", "client_type", 1)).toBe("msp_client");
      expect(storeOne(clientFields, "client", "client_type", 2)).toBe("internal");
      expect(storeOne(projectFields, "project", "status", 2)).toBe("working");
    });

    it("refuses unknown numbers and non-numbers, listing the allowed values", () => {
      expect(refusalOf(clientFields, "client", "client_type", 99)).toBe(
        "client.client_type: unknown value 99; one of msp_client, internal, project",
      );
      expect(refusalOf(clientFields, "client", "client_type", -1)).toBe(
        "client.client_type: unknown value -1; one of msp_client, internal, project",
      );
      expect(refusalOf(clientFields, "client", "client_type", "msp_client")).toBe(
        "client.client_type: must be one of msp_client, internal, project",
      );
    });
  });

  describe("decimals", () => {
    it.each([
      ["120", "120.00"],
      ["1.5", "1.50"],
      ["1.50", "1.50"],
      ["1.230", "1.23"],
      ["0", "0.00"],
      ["-3.5", "-3.50"],
      [" 7 ", "7.00"],
      ["9999999999999.99", "9999999999999.99"],
    ])("normalizes %j to %j", (given, stored) => {
      expect(storeOne(clientFields, "client", "default_hourly_rate", given)).toBe(stored);
    });

    it("refuses more decimal places than the scale", () => {
      expect(refusalOf(clientFields, "client", "default_hourly_rate", "1.234")).toBe(
        "client.default_hourly_rate: must have at most 2 decimal places",
      );
    });

    it.each(["abc", "1.", ".5", "1e3", "1,5", "+1", "12345678901234", "NaN"])("refuses %j as not a decimal number", (given) => {
      expect(refusalOf(clientFields, "client", "default_hourly_rate", given)).toBe(
        'client.default_hourly_rate: must be a decimal number such as "120.50"',
      );
    });

    it("refuses a number where the proto has a string", () => {
      expect(refusalOf(clientFields, "client", "default_hourly_rate", 120)).toBe("client.default_hourly_rate: must be a string");
    });
  });

  describe("dates", () => {
    it.each(["2026-02-28", "2028-02-29", "2026-12-31", "1999-01-01"])("accepts %s", (date) => {
      expect(storeOne(projectFields, "project", "target_on", date)).toBe(date);
    });

    it.each([
      "2026-02-30",
      "2026-02-29",
      "2026-04-31",
      "2026-13-01",
      "2026-00-10",
      "2026-1-5",
      "26-01-05",
      "2026-01-31T00:00:00Z",
      "31/01/2026",
      "today",
    ])("refuses %s", (date) => {
      expect(refusalOf(projectFields, "project", "target_on", date)).toBe("project.target_on: must be a date in the form YYYY-MM-DD");
    });
  });

  describe("strings and ids", () => {
    it("accepts strings up to the limit and refuses longer ones, naming the request field", () => {
      expect(storeOne(clientFields, "client", "name", "x".repeat(255))).toBe("x".repeat(255));
      expect(refusalOf(clientFields, "client", "name", "x".repeat(256))).toBe("client.name: must be at most 255 characters (got 256)");
      expect(refusalOf(clientFields, "client", "network_subnet", "1".repeat(65))).toBe(
        "client.network_subnet: must be at most 64 characters (got 65)",
      );
      expect(storeOne(clientFields, "client", "notes", "n".repeat(65_535))).toHaveLength(65_535);
    });

    it("refuses non-strings", () => {
      expect(refusalOf(clientFields, "client", "name", 42)).toBe("client.name: must be a string");
    });

    it("lower-cases UUIDs and refuses anything else", () => {
      expect(storeOne(projectFields, "project", "client_id", uuid.toUpperCase())).toBe(uuid);
      expect(refusalOf(projectFields, "project", "client_id", "client-7")).toBe("project.client_id: must be a UUID");
    });
  });

  describe("booleans, integers and timestamps", () => {
    it("accepts only real booleans", () => {
      expect(storeOne(clientFields, "client", "is_active", false)).toBe(false);
      expect(refusalOf(clientFields, "client", "is_active", "yes")).toBe("client.is_active: must be true or false");
      expect(refusalOf(clientFields, "client", "is_active", 1)).toBe("client.is_active: must be true or false");
    });

    it("accepts non-negative safe integers", () => {
      expect(storeOne(sessionFields, "session", "duration_minutes", 0)).toBe(0);
      expect(storeOne(sessionFields, "session", "duration_minutes", 90)).toBe(90);
      expect(refusalOf(sessionFields, "session", "duration_minutes", -1)).toBe("session.duration_minutes: must not be negative");
      expect(refusalOf(sessionFields, "session", "duration_minutes", 1.5)).toBe("session.duration_minutes: must be an integer");
      expect(refusalOf(sessionFields, "session", "duration_minutes", 2 ** 53)).toBe(
        "session.duration_minutes: must be at most 9007199254740991",
      );
    });

    it("accepts negative integers where the resource says so, and 64-bit fields as bigint", () => {
      const fields = describeFields(FileChangeSchema);
      const signed = describeFields(CommandRunSchema, { signed: ["exit_code"] });
      expect(storeOne(signed, "command_run", "exit_code", -1073741819)).toBe(-1073741819);
      expect(refusalOf(signed, "command_run", "position", -1)).toBe("command_run.position: must not be negative");
      expect(storeOne(fields, "file_change", "size_bytes", 6_000_000_000n)).toBe(6_000_000_000);
      expect(refusalOf(fields, "file_change", "size_bytes", -1n)).toBe("file_change.size_bytes: must not be negative");
      expect(refusalOf(fields, "file_change", "size_bytes", 2n ** 60n)).toBe("file_change.size_bytes: must be at most 9007199254740991");
      // Read back as bigint, whichever way the driver returned the column; absent reads as unset.
      for (const stored of [6_000_000_000, "6000000000", 6_000_000_000n]) {
        expect(fromStored(only(fields, "size_bytes"), { size_bytes: stored })).toEqual({ sizeBytes: 6_000_000_000n });
      }
      expect(fromStored(only(fields, "size_bytes"), {})).toEqual({});
    });

    it("accepts valid Dates between 1970 and 9999", () => {
      const at = new Date("2026-11-25T10:00:00.123Z");
      expect(storeOne(sessionFields, "session", "started_at", at)).toBe(at);
      expect(refusalOf(sessionFields, "session", "started_at", new Date("nope"))).toBe("session.started_at: must be a valid timestamp");
      expect(refusalOf(sessionFields, "session", "started_at", "2026-11-25T10:00:00Z")).toBe(
        "session.started_at: must be a valid timestamp",
      );
      expect(refusalOf(sessionFields, "session", "started_at", new Date("1969-12-31T23:59:59Z"))).toBe(
        "session.started_at: must be between 1970 and 9999",
      );
    });
  });

  describe("string lists", () => {
    it("stores a copy of the list", () => {
      const tags = ["billing", "urgent"];
      const stored = storeOne(sessionFields, "session", "tags", tags);
      expect(stored).toEqual(["billing", "urgent"]);
      expect(stored).not.toBe(tags);
    });

    it("refuses too many items, long items, non-string items and non-lists, naming the item", () => {
      expect(
        storeOne(
          sessionFields,
          "session",
          "tags",
          Array.from({ length: 500 }, (_, i) => `t${i}`),
        ),
      ).toHaveLength(500);
      expect(
        refusalOf(
          sessionFields,
          "session",
          "tags",
          Array.from({ length: 501 }, (_, i) => `t${i}`),
        ),
      ).toBe("session.tags: must have at most 500 items");
      expect(refusalOf(sessionFields, "session", "tags", ["ok", "x".repeat(1025)])).toBe(
        "session.tags[1]: must be at most 1024 characters",
      );
      expect(refusalOf(sessionFields, "session", "tags", [7])).toBe("session.tags[0]: must be a string");
      expect(refusalOf(sessionFields, "session", "tags", "billing")).toBe("session.tags: must be a list of strings");
    });
  });

  describe("typed sub-messages", () => {
    it("stores machine capabilities as JSON keyed by proto field names, skipping absent fields", () => {
      const capabilities = { hasDocker: true, hasGit: false, powershellVersion: "7.4.1", vpnProfiles: ["office"], hasSsh: undefined };
      expect(storeOne(machineFields, "machine", "capabilities", capabilities)).toEqual({
        has_docker: true,
        has_git: false,
        powershell_version: "7.4.1",
        vpn_profiles: ["office"],
      });
    });

    it("refuses oversize strings inside, naming the request field path", () => {
      expect(refusalOf(machineFields, "machine", "capabilities", { powershellVersion: "7".repeat(1025) })).toBe(
        "machine.capabilities.powershell_version: must be at most 1024 characters",
      );
    });

    it("refuses a non-object", () => {
      expect(refusalOf(machineFields, "machine", "capabilities", "docker")).toBe("machine.capabilities: must be an object");
    });
  });

  it("reports every violation together, in field order", () => {
    const error = refusal(() =>
      toStored(clientFields, { name: "x".repeat(300), clientType: 99, defaultHourlyRate: "1.234", isActive: "yes" }, "client"),
    );
    expect(error.code).toBe("invalid_argument");
    expect(error.violations).toEqual([
      { field: "client.name", description: "must be at most 255 characters (got 300)" },
      { field: "client.client_type", description: "unknown value 99; one of msp_client, internal, project" },
      { field: "client.default_hourly_rate", description: "must have at most 2 decimal places" },
      { field: "client.is_active", description: "must be true or false" },
    ]);
    expect(error.message).toBe(
      "client.name: must be at most 255 characters (got 300); client.client_type: unknown value 99; one of msp_client, internal, project; " +
        "client.default_hourly_rate: must have at most 2 decimal places; client.is_active: must be true or false",
    );
  });
});

describe("isPresent", () => {
  it("treats undefined, null and empty lists as absent", () => {
    const [name] = only(clientFields, "name");
    const [tags] = only(sessionFields, "tags");
    expect(isPresent(name!, {})).toBe(false);
    expect(isPresent(name!, { name: null })).toBe(false);
    expect(isPresent(name!, { name: "" })).toBe(true);
    expect(isPresent(tags!, { tags: [] })).toBe(false);
    expect(isPresent(tags!, { tags: ["a"] })).toBe(true);
  });
});

describe("fromStored", () => {
  it("reads a client row back into a message, omitting absent optional fields", () => {
    const created = new Date("2026-01-02T03:04:05.678Z");
    const message = fromStored(clientFields, {
      id: uuid,
      name: "Acme",
      client_type: "msp_client",
      default_hourly_rate: "120.5",
      is_active: 1,
      notes: null,
      created_at: created,
    });
    expect(message).toEqual({
      id: uuid,
      name: "Acme",
      clientType: 1,
      defaultHourlyRate: "120.50",
      isActive: true,
      etag: "",
      createdAt: created,
      updatedAt: undefined,
    });
    expect("notes" in message).toBe(false);
    expect("domainName" in message).toBe(false);
  });

  it("fills proto3 zero values for absent non-optional fields", () => {
    expect(fromStored(sessionFields, {})).toEqual({
      id: "",
      startedAt: undefined,
      endedAt: undefined,
      durationMinutes: 0,
      billableHours: "0.00",
      tags: [],
      billableMinutes: 0,
      billableAmount: "",
      etag: "",
      createdAt: undefined,
      updatedAt: undefined,
    });
  });

  it("reads an unknown stored enum value as unspecified (0)", () => {
    expect(fromStored(only(clientFields, "client_type"), { client_type: "retired" })).toEqual({ clientType: 0 });
  });

  it.each([
    [1, true],
    [0, false],
    ["1", true],
    ["0", false],
    [true, true],
    [false, false],
  ])("reads the boolean %j as %j", (stored, value) => {
    expect(fromStored(only(clientFields, "is_active"), { is_active: stored })).toEqual({ isActive: value });
  });

  it("formats decimals from numbers and strings to the scale", () => {
    const rate = only(clientFields, "default_hourly_rate");
    expect(fromStored(rate, { default_hourly_rate: 120 })).toEqual({ defaultHourlyRate: "120.00" });
    expect(fromStored(rate, { default_hourly_rate: 0.5 })).toEqual({ defaultHourlyRate: "0.50" });
    expect(fromStored(rate, { default_hourly_rate: "75" })).toEqual({ defaultHourlyRate: "75.00" });
    expect(fromStored(rate, { default_hourly_rate: "-1.2" })).toEqual({ defaultHourlyRate: "-1.20" });
  });

  it("reads session timestamps stored by SQLite as text", () => {
    const message = fromStored(sessionFields, {
      started_at: "2026-11-25 10:00:00.123 +00:00",
      duration_minutes: "45",
      billable_hours: "1.5",
    });
    expect(message["startedAt"]).toEqual(new Date("2026-11-25T10:00:00.123Z"));
    expect(message["durationMinutes"]).toBe(45);
    expect(message["billableHours"]).toBe("1.50");
  });

  it("reads project dates from text or Date", () => {
    const dates = only(projectFields, "started_on", "target_on", "completed_on");
    expect(
      fromStored(dates, { started_on: "2026-03-01", target_on: new Date("2026-04-30T00:00:00Z"), completed_on: "2026-05-02 00:00:00" }),
    ).toEqual({
      startedOn: "2026-03-01",
      targetOn: "2026-04-30",
      completedOn: "2026-05-02",
    });
  });

  it("parses JSON lists stored as text, keeping only strings", () => {
    const tools = only(machineFields, "installed_tools");
    expect(fromStored(tools, { installed_tools: '["git","docker"]' })).toEqual({ installedTools: ["git", "docker"] });
    expect(fromStored(tools, { installed_tools: ["git"] })).toEqual({ installedTools: ["git"] });
    expect(fromStored(tools, { installed_tools: '["git",7,null]' })).toEqual({ installedTools: ["git"] });
    expect(fromStored(tools, { installed_tools: "not json" })).toEqual({ installedTools: [] });
    expect(fromStored(tools, { installed_tools: '{"a":1}' })).toEqual({ installedTools: [] });
  });

  it("reads capabilities stored as JSON text into a complete sub-message", () => {
    const capabilities = only(machineFields, "capabilities");
    expect(
      fromStored(capabilities, { capabilities: '{"has_docker":true,"powershell_version":"7.4.1","vpn_profiles":["office"]}' }),
    ).toEqual({
      capabilities: {
        hasDocker: true,
        hasGit: false,
        hasSsh: false,
        hasPowershell: false,
        powershellVersion: "7.4.1",
        hasVpnAccess: false,
        vpnProfiles: ["office"],
      },
    });
    expect(fromStored(capabilities, { capabilities: "not json" })).toEqual({ capabilities: undefined });
    expect(fromStored(capabilities, { capabilities: "[1,2]" })).toEqual({ capabilities: undefined });
  });

  it("round-trips what toStored wrote", () => {
    const message: ProtoObject = {
      name: "Acme",
      clientType: 3,
      domainName: "acme.example",
      networkSubnet: "10.0.0.0/24",
      primaryContact: "Ada",
      defaultHourlyRate: "99.90",
      isActive: false,
      notes: "n",
    };
    const writable = clientFields.filter((f) => f.optional);
    expect(fromStored(writable, toStored(writable, message, "client"))).toEqual(message);

    const machine = {
      capabilities: {
        hasDocker: true,
        hasGit: true,
        hasSsh: false,
        hasPowershell: false,
        powershellVersion: "",
        hasVpnAccess: false,
        vpnProfiles: [],
      },
    };
    const caps = only(machineFields, "capabilities");
    const stored = JSON.stringify(toStored(caps, machine, "machine")["capabilities"]);
    expect(fromStored(caps, { capabilities: stored })).toEqual(machine);
  });
});

describe("normalizeRow", () => {
  it("brings an SQLite row to one shape", () => {
    const row = {
      id: uuid,
      status: "completed",
      started_at: "2026-11-25 10:00:00.123 +00:00",
      ended_at: null,
      duration_minutes: "45",
      is_billable: 1,
      billable_hours: 1.5,
      tags: '["billing"]',
      revision: "3",
      created_at: "2026-11-25 09:00:00.000 +00:00",
      updated_at: "2026-11-25 11:00:00.000 +00:00",
      extra: "kept",
    };
    const copy = { ...row };
    expect(normalizeRow(sessionFields, row)).toEqual({
      id: uuid,
      status: "completed",
      started_at: new Date("2026-11-25T10:00:00.123Z"),
      ended_at: null,
      duration_minutes: 45,
      is_billable: true,
      billable_hours: "1.50",
      tags: ["billing"],
      revision: 3,
      created_at: new Date("2026-11-25T09:00:00.000Z"),
      updated_at: new Date("2026-11-25T11:00:00.000Z"),
      extra: "kept",
    });
    expect(row).toEqual(copy);
  });

  it("keeps a MariaDB row's Dates, booleans and parsed JSON", () => {
    const started = new Date("2026-11-25T10:00:00Z");
    const out = normalizeRow(sessionFields, { started_at: started, is_billable: false, tags: ["a"], billable_hours: "2.00" });
    expect(out["started_at"]).toBe(started);
    expect(out).toEqual({ started_at: started, is_billable: false, tags: ["a"], billable_hours: "2.00" });
  });

  it("reads booleans from 1/0 and '1'/'0', and unreadable JSON as null", () => {
    expect(
      normalizeRow(machineFields, { is_active: 0, is_primary: "1", installed_tools: "oops", capabilities: '{"has_git":true}' }),
    ).toEqual({
      is_active: false,
      is_primary: true,
      installed_tools: null,
      capabilities: { has_git: true },
    });
  });

  it("reads project dates as YYYY-MM-DD text", () => {
    expect(normalizeRow(projectFields, { target_on: new Date("2026-04-30T00:00:00Z"), started_on: "2026-03-01" })).toEqual({
      target_on: "2026-04-30",
      started_on: "2026-03-01",
    });
  });
});
