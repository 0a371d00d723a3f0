import { createHash } from "node:crypto";
import type { WhereOptions } from "sequelize";
import { Op } from "sequelize";
import type { Database } from "@msp/db";
import { DomainError } from "@msp/errors";
import { MachineSchema } from "@msp/proto/src/gen/es/msp/work/v1/machine_pb";
import { ProjectSchema } from "@msp/proto/src/gen/es/msp/work/v1/project_pb";
import { SessionSchema } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";
import { normalizeRow } from "./codec";
import { describeFields } from "./fields";
import type { OrderTerm } from "./query";
import { afterCursor, compileFilter, decodePageToken, encodePageToken, pageSizeOf, parseOrderBy } from "./query";
import { timestampForms } from "./value-forms";

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

function expectRefused(fn: () => unknown, field: string, message: string | RegExp): void {
  const error = refusal(fn);
  expect(error.code).toBe("invalid_argument");
  expect(error.violations.map((v) => v.field)).toEqual([field]);
  if (typeof message === "string") expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

const uuid = "0190c2d6-5c1a-7b3e-8f00-1234567890ab";

describe("pageSizeOf", () => {
  it.each([
    [0, 50],
    [1, 1],
    [50, 50],
    [499, 499],
    [500, 500],
    [501, 500],
    [1_000_000, 500],
  ])("reads %d as %d", (requested, size) => {
    expect(pageSizeOf(requested)).toBe(size);
  });

  it.each([-1, -500, 1.5, Number.NaN])("refuses %d, naming page_size", (requested) => {
    expectRefused(() => pageSizeOf(requested), "page_size", /^page_size: /);
  });

  it("says a negative size must not be negative", () => {
    expectRefused(() => pageSizeOf(-1), "page_size", "page_size: must not be negative");
  });
});

describe("parseOrderBy", () => {
  const orderable = ["name", "created_at", "updated_at"];

  it("orders by id alone when order_by is empty", () => {
    expect(parseOrderBy("", orderable)).toEqual<OrderTerm[]>([{ column: "id", desc: false }]);
    expect(parseOrderBy("   ", orderable)).toEqual<OrderTerm[]>([{ column: "id", desc: false }]);
  });

  it("reads fields with asc or desc in any case, and appends id to break ties", () => {
    expect(parseOrderBy("name", orderable)).toEqual([
      { column: "name", desc: false },
      { column: "id", desc: false },
    ]);
    expect(parseOrderBy("name asc", orderable)).toEqual([
      { column: "name", desc: false },
      { column: "id", desc: false },
    ]);
    expect(parseOrderBy("  created_at   DESC ,name  ", orderable)).toEqual([
      { column: "created_at", desc: true },
      { column: "name", desc: false },
      { column: "id", desc: false },
    ]);
  });

  it("accepts camelCase field names", () => {
    expect(parseOrderBy("updatedAt desc, createdAt", orderable)).toEqual([
      { column: "updated_at", desc: true },
      { column: "created_at", desc: false },
      { column: "id", desc: false },
    ]);
  });

  it("does not append id when the caller already ordered by it", () => {
    expect(parseOrderBy("name, id desc", [...orderable, "id"])).toEqual([
      { column: "name", desc: false },
      { column: "id", desc: true },
    ]);
  });

  it.each([
    ["email", "order_by: cannot order by 'email'; orderable fields: name, created_at, updated_at"],
    ["id", "order_by: cannot order by 'id'; orderable fields: name, created_at, updated_at"],
    ["name,", "order_by: cannot order by ''; orderable fields: name, created_at, updated_at"],
    ["name sideways", "order_by: 'name sideways' must be a field name optionally followed by asc or desc"],
    ["name asc desc", "order_by: 'name asc desc' must be a field name optionally followed by asc or desc"],
    ["name, name desc", "order_by: 'name' is named twice"],
    ["createdAt, created_at", "order_by: 'created_at' is named twice"],
  ])("refuses %j", (text, message) => {
    expectRefused(() => parseOrderBy(text, orderable), "order_by", message);
  });
});

describe("compileFilter", () => {
  const escape = jest.fn((value: unknown) => `'${String(value).replace(/'/g, "''")}'`);
  const sqlite = { dialect: "sqlite", sequelize: { escape } } as unknown as Database;
  const mariadb = { dialect: "mariadb", sequelize: { escape } } as unknown as Database;

  const sessionFields = describeFields(SessionSchema, { decimals: { billable_hours: 2 } });
  const sessionFilterable = [
    "client_id",
    "external_session_id",
    "status",
    "is_billable",
    "technician",
    "started_at",
    "duration_minutes",
    "billable_hours",
  ];
  const projectFields = describeFields(ProjectSchema, { decimals: { estimated_hours: 2 }, dates: ["target_on"] });
  const projectFilterable = ["client_id", "slug", "status", "target_on", "created_at"];
  const machineFields = describeFields(MachineSchema);
  const machineFilterable = ["hostname", "installed_tools", "capabilities", "is_active"];

  const sessions = (filter: string, db = sqlite) => compileFilter(db, "sessions", filter, sessionFields, sessionFilterable);
  const projects = (filter: string) => compileFilter(sqlite, "projects", filter, projectFields, projectFilterable);
  const machines = (filter: string, db = sqlite) => compileFilter(db, "machines", filter, machineFields, machineFilterable);
  const where = (column: string, op: symbol, value: unknown): WhereOptions => ({ [column]: { [op]: value } }) as WhereOptions;
  const refusedFilter = (fn: () => unknown, message: string) => expectRefused(fn, "filter", message);

  it("compiles an empty filter to no conditions", () => {
    expect(sessions("")).toEqual([]);
  });

  it("compiles each comparison to one condition with its operator", () => {
    expect(sessions('technician = "Ada" AND duration_minutes >= 30 AND duration_minutes < 90 AND technician != "Bob"')).toEqual([
      where("technician", Op.eq, "Ada"),
      where("duration_minutes", Op.gte, 30),
      where("duration_minutes", Op.lt, 90),
      where("technician", Op.ne, "Bob"),
    ]);
    expect(sessions("duration_minutes > 1 AND duration_minutes <= 2")).toEqual([
      where("duration_minutes", Op.gt, 1),
      where("duration_minutes", Op.lte, 2),
    ]);
  });

  it("distinguishes operators (the comparison is not vacuous)", () => {
    expect(sessions("duration_minutes = 1")).not.toEqual([where("duration_minutes", Op.ne, 1)]);
  });

  it("refuses unknown and non-filterable fields, listing the filterable ones", () => {
    const list = sessionFilterable.join(", ");
    refusedFilter(() => sessions("email = x"), `filter: cannot filter on 'email'; filterable fields: ${list}`);
    refusedFilter(() => sessions('summary = "x"'), `filter: cannot filter on 'summary'; filterable fields: ${list}`);
  });

  it("accepts camelCase field names", () => {
    expect(sessions("isBillable = true AND durationMinutes = 5")).toEqual([
      where("is_billable", Op.eq, true),
      where("duration_minutes", Op.eq, 5),
    ]);
  });

  it("passes parse errors through", () => {
    refusedFilter(
      () => sessions("is_billable = true OR is_billable = false"),
      "filter: only AND is supported between comparisons at position 20 (near 'OR')",
    );
  });

  describe("booleans", () => {
    it("compare with true or false, by = and !=", () => {
      expect(sessions("is_billable = true")).toEqual([where("is_billable", Op.eq, true)]);
      expect(sessions("is_billable != false")).toEqual([where("is_billable", Op.ne, false)]);
    });

    it.each(['"true"', "1", "TRUE", "yes"])("refuse %s", (value) => {
      refusedFilter(() => sessions(`is_billable = ${value}`), "filter: is_billable: must be compared with true or false");
    });

    it("refuse ordering operators", () => {
      refusedFilter(() => sessions("is_billable < true"), "filter: is_billable: only = and != apply to true/false");
    });
  });

  describe("enumerations", () => {
    it.each(["working", '"working"', "PROJECT_STATUS_WORKING", '"project_status_working"', "Working"])("read %s as working", (value) => {
      expect(projects(`status = ${value}`)).toEqual([where("status", Op.eq, "working")]);
    });

    it("compare with !=", () => {
      expect(projects("status != blocked")).toEqual([where("status", Op.ne, "blocked")]);
    });

    it.each([
      ["done", "done"],
      ["unspecified", "unspecified"],
      ["PROJECT_STATUS_UNSPECIFIED", "PROJECT_STATUS_UNSPECIFIED"],
      ["SESSION_STATUS_COMPLETED", "SESSION_STATUS_COMPLETED"],
      ["2", "2"],
    ])("refuse %s", (value, shown) => {
      refusedFilter(
        () => projects(`status = ${value}`),
        `filter: status: '${shown}' is not one of pending, working, blocked, critical, deferred, complete`,
      );
    });

    it.each(["<", ">", "<=", ">="])("refuse %s", (op) => {
      refusedFilter(() => projects(`status ${op} working`), "filter: status: only = and != apply to enumerations");
    });
  });

  describe("UUIDs", () => {
    it("compare with a quoted UUID, lower-cased", () => {
      expect(projects(`client_id = "${uuid.toUpperCase()}"`)).toEqual([where("client_id", Op.eq, uuid)]);
    });

    it.each(['"client-7"', "42", "acme", `"${uuid}x"`])("refuse %s", (value) => {
      refusedFilter(() => projects(`client_id = ${value}`), "filter: client_id: must be compared with a UUID");
    });

    it("leave external ids free text", () => {
      expect(sessions('external_session_id = "claude-abc"')).toEqual([where("external_session_id", Op.eq, "claude-abc")]);
    });
  });

  describe("timestamps", () => {
    it("compare with quoted RFC 3339 timestamps, read as instants", () => {
      expect(sessions('started_at >= "2026-01-31T00:00:00Z"')).toEqual([where("started_at", Op.gte, new Date("2026-01-31T00:00:00Z"))]);
      expect(sessions('started_at < "2026-01-31T02:00:00.500+02:00"')).toEqual([
        where("started_at", Op.lt, new Date("2026-01-31T00:00:00.500Z")),
      ]);
    });

    it("compare with a quoted date as its midnight UTC", () => {
      expect(sessions('started_at >= "2026-01-31"')).toEqual([where("started_at", Op.gte, new Date("2026-01-31T00:00:00Z"))]);
    });

    it.each(["today", "2026"])("refuse the unquoted %s", (value) => {
      refusedFilter(
        () => sessions(`started_at > ${value}`),
        `filter: started_at: must be compared with a quoted timestamp: ${timestampForms}`,
      );
    });

    it.each([
      "yesterday",
      "2026-1-31",
      "2026-02-29",
      "2026-01-31 10:00:00",
      "2026-01-31 10:00:00.000 +00:00",
      "2026-01-31T25:00:00Z",
      "2026-01-31Tnoon",
      // Without an offset the instant would depend on the server's time zone.
      "2026-01-31T10:00:00",
      // Would silently roll over to March 2.
      "2026-02-30T00:00:00Z",
    ])("refuse %j", (value) => {
      refusedFilter(() => sessions(`started_at > "${value}"`), `filter: started_at: '${value}' is not ${timestampForms}`);
    });
  });

  describe("numbers, dates and strings", () => {
    it("compare integers with integers", () => {
      expect(sessions("duration_minutes = -5")).toEqual([where("duration_minutes", Op.eq, -5)]);
      refusedFilter(() => sessions("duration_minutes = 1.5"), "filter: duration_minutes: must be compared with an integer");
      refusedFilter(() => sessions('duration_minutes = "30"'), "filter: duration_minutes: must be compared with an integer");
    });

    it("compare decimals with numbers, as text", () => {
      expect(sessions("billable_hours >= 1.5")).toEqual([where("billable_hours", Op.gte, "1.5")]);
      expect(sessions('billable_hours = "2.25"')).toEqual([where("billable_hours", Op.eq, "2.25")]);
      refusedFilter(() => sessions("billable_hours = lots"), "filter: billable_hours: must be compared with a number");
      refusedFilter(() => sessions('billable_hours = "1,5"'), "filter: billable_hours: must be compared with a number");
    });

    it("compare dates with YYYY-MM-DD", () => {
      expect(projects('target_on < "2026-12-31"')).toEqual([where("target_on", Op.lt, "2026-12-31")]);
      refusedFilter(() => projects("target_on = 2026"), 'filter: target_on: must be compared with a date such as "2026-01-31"');
    });

    it("compare strings with any literal, as text", () => {
      expect(sessions(String.raw`technician = 'Mike O\'Brien'`)).toEqual([where("technician", Op.eq, "Mike O'Brien")]);
      expect(projects("slug = 5")).toEqual([where("slug", Op.eq, "5")]);
      expect(projects("slug >= acme")).toEqual([where("slug", Op.gte, "acme")]);
    });

    it("refuse sub-messages", () => {
      refusedFilter(() => machines("capabilities = x"), "filter: capabilities: cannot be filtered");
    });
  });

  describe("list membership (:)", () => {
    beforeEach(() => escape.mockClear());

    it("uses json_each on SQLite, with the value escaped by the driver", () => {
      const [condition] = machines('installed_tools:"it\'s"');
      expect(escape).toHaveBeenCalledWith("it's");
      expect((condition as unknown as { val: string }).val).toBe(
        `EXISTS (SELECT 1 FROM json_each("machines"."installed_tools") WHERE value = 'it''s')`,
      );
    });

    it("uses JSON_CONTAINS on MariaDB", () => {
      const [condition] = machines("installed_tools:docker", mariadb);
      expect((condition as unknown as { val: string }).val).toBe("JSON_CONTAINS(`machines`.`installed_tools`, JSON_QUOTE('docker'))");
    });

    it("compares a number as text", () => {
      machines("installed_tools:7");
      expect(escape).toHaveBeenCalledWith("7");
    });

    it("refuses ':' on fields that are not lists", () => {
      refusedFilter(() => machines('hostname:"x"'), "filter: ':' (has) only applies to list fields, not 'hostname'");
    });

    it("refuses other operators on lists", () => {
      refusedFilter(() => machines("installed_tools = docker"), "filter: use ':' to test membership of the list 'installed_tools'");
    });
  });
});

describe("page tokens", () => {
  const fields = describeFields(SessionSchema, { decimals: { billable_hours: 2 } });
  const order = parseOrderBy("started_at desc, technician", ["started_at", "technician", "duration_minutes"]);
  const filter = "is_billable = true";
  const lastRow = normalizeRow(fields, {
    id: uuid,
    started_at: "2026-11-25 10:00:00.123 +00:00",
    technician: 'Müller & "Söhne". Ltd',
  });
  const token = encodePageToken(filter, order, lastRow, fields);
  const cursor = { after: [new Date("2026-11-25T10:00:00.123Z"), 'Müller & "Söhne". Ltd', uuid] };

  /** Refused as a page_token, and with nothing but a DomainError. */
  const expectBadToken = (candidate: string, f = filter, o: readonly OrderTerm[] = order) =>
    expectRefused(() => decodePageToken(candidate, f, o, fields), "page_token", /^page_token: /);

  /** Mirrors query.ts's checksum, to reach the checks behind it with well-formed payloads. */
  const forge = (payload: string) =>
    Buffer.from(`${payload}.${createHash("sha256").update(`msp-page-token:${payload}`).digest("base64url").slice(0, 10)}`).toString(
      "base64url",
    );
  const signature = (
    JSON.parse(
      Buffer.from(token, "base64url")
        .toString("utf8")
        .replace(/\.[^.]*$/, ""),
    ) as { q: string }
  ).q;

  it("is URL-safe text", () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("round-trips the order values of the last row, timestamps as Dates", () => {
    expect(decodePageToken(token, filter, order, fields)).toEqual(cursor);
  });

  it("reads timestamps given as Dates or SQLite text to the same instant", () => {
    const fromDate = encodePageToken(filter, order, { ...lastRow, started_at: new Date("2026-11-25T10:00:00.123Z") }, fields);
    const fromText = encodePageToken(filter, order, { ...lastRow, started_at: "2026-11-25 12:00:00.123 +02:00" }, fields);
    expect(decodePageToken(fromDate, filter, order, fields)).toEqual(cursor);
    expect(decodePageToken(fromText, filter, order, fields)).toEqual(cursor);
  });

  it("round-trips numbers", () => {
    const byDuration = parseOrderBy("duration_minutes", ["duration_minutes"]);
    const t = encodePageToken("", byDuration, { duration_minutes: 45, id: uuid }, fields);
    expect(decodePageToken(t, "", byDuration, fields)).toEqual({ after: [45, uuid] });
  });

  it("refuses a token from a list with another filter or order_by", () => {
    const message = "page_token: belongs to a list with another filter or order_by; keep them unchanged while paging";
    expectRefused(() => decodePageToken(token, "is_billable = false", order, fields), "page_token", message);
    expectRefused(() => decodePageToken(token, "", order, fields), "page_token", message);
    const ascending = parseOrderBy("started_at, technician", ["started_at", "technician"]);
    expectRefused(() => decodePageToken(token, filter, ascending, fields), "page_token", message);
  });

  it("refuses every single-character change that alters what the token says", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let refused = 0;
    for (let i = 0; i < token.length; i++) {
      const replacement = alphabet[(alphabet.indexOf(token[i]!) + 17) % alphabet.length]!;
      const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
      let decoded: unknown;
      try {
        decoded = decodePageToken(tampered, filter, order, fields);
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).violations[0]?.field).toBe("page_token");
        refused++;
        continue;
      }
      // Only a change in base64's unused trailing bits can decode to the same bytes.
      expect(Buffer.from(tampered, "base64url")).toEqual(Buffer.from(token, "base64url"));
      expect(decoded).toEqual(cursor);
    }
    expect(refused).toBeGreaterThanOrEqual(token.length - 1);
  });

  it("refuses every truncation", () => {
    for (let length = 0; length < token.length; length++) expectBadToken(token.slice(0, length));
  });

  it("refuses random base64", () => {
    for (let i = 0; i < 200; i++) {
      const bytes = createHash("sha512")
        .update(String(i))
        .digest()
        .subarray(0, 8 + (i % 56));
      expectBadToken(bytes.toString("base64url"));
    }
  });

  it.each(["=", "+", "/", " ", ".", "é", "\n"])("refuses a token containing %j", (c) => {
    expectBadToken(`${token.slice(0, 10)}${c}${token.slice(10)}`);
  });

  it("refuses padding and oversize tokens", () => {
    expectBadToken(`${token}==`);
    expectBadToken("A".repeat(4097));
  });

  it("refuses a changed payload that keeps the old checksum", () => {
    const text = Buffer.from(token, "base64url").toString("utf8");
    const changed = text.replace(uuid, uuid.replace("0190", "0191"));
    expect(changed).not.toBe(text);
    expectBadToken(Buffer.from(changed).toString("base64url"));
  });

  it.each([
    ["no checksum", () => Buffer.from(`{"q":"x","a":[]}`).toString("base64url")],
    ["a payload that is not JSON", () => forge("{not json")],
    ["JSON null", () => forge("null")],
    ["a JSON number", () => forge("5")],
    ["a JSON string", () => forge('"text"')],
    ["no values", () => forge(JSON.stringify({ q: signature }))],
    ["values that are not a list", () => forge(JSON.stringify({ q: signature, a: { 0: 1 } }))],
    ["too few values", () => forge(JSON.stringify({ q: signature, a: ["2026-11-25T10:00:00.123Z", "x"] }))],
    ["too many values", () => forge(JSON.stringify({ q: signature, a: ["2026-11-25T10:00:00.123Z", "x", uuid, 1] }))],
    ["a null value", () => forge(JSON.stringify({ q: signature, a: ["2026-11-25T10:00:00.123Z", null, uuid] }))],
    ["an object value", () => forge(JSON.stringify({ q: signature, a: ["2026-11-25T10:00:00.123Z", { $gt: "" }, uuid] }))],
    ["a list value", () => forge(JSON.stringify({ q: signature, a: ["2026-11-25T10:00:00.123Z", ["x"], uuid] }))],
    ["a timestamp that is not a date", () => forge(JSON.stringify({ q: signature, a: ["soon", "x", uuid] }))],
    ["a timestamp that is a number", () => forge(JSON.stringify({ q: signature, a: [1764064800123, "x", uuid] }))],
  ])("refuses a well-checksummed token with %s", (_, make) => {
    expectBadToken(make());
  });

  it("accepts a well-formed token built the same way (the forged cases above are not refused for their checksum)", () => {
    expect(
      decodePageToken(forge(JSON.stringify({ q: signature, a: ["2026-11-25T10:00:00.123Z", "x", uuid] })), filter, order, fields),
    ).toEqual({
      after: [new Date("2026-11-25T10:00:00.123Z"), "x", uuid],
    });
  });
});

describe("afterCursor", () => {
  it("selects rows strictly after the cursor, column by column, honouring desc", () => {
    const order: OrderTerm[] = [
      { column: "name", desc: false },
      { column: "created_at", desc: true },
      { column: "id", desc: false },
    ];
    const at = new Date("2026-01-01T00:00:00Z");
    expect(afterCursor(order, { after: ["Acme", at, uuid] })).toEqual({
      [Op.or]: [
        { [Op.and]: [{ name: { [Op.gt]: "Acme" } }] },
        { [Op.and]: [{ name: { [Op.eq]: "Acme" } }, { created_at: { [Op.lt]: at } }] },
        { [Op.and]: [{ name: { [Op.eq]: "Acme" } }, { created_at: { [Op.eq]: at } }, { id: { [Op.gt]: uuid } }] },
      ],
    });
  });
});
