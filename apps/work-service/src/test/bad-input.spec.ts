import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";
import { BillableTime } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { CommandRun } from "@msp/proto/src/gen/ts/msp/work/v1/command_run";
import { DatabaseChange } from "@msp/proto/src/gen/ts/msp/work/v1/database_change";
import { Deployment } from "@msp/proto/src/gen/ts/msp/work/v1/deployment";
import { ExternalIntegration } from "@msp/proto/src/gen/ts/msp/work/v1/external_integration";
import { FileChange } from "@msp/proto/src/gen/ts/msp/work/v1/file_change";
import { Machine } from "@msp/proto/src/gen/ts/msp/work/v1/machine";
import { ProblemSolution } from "@msp/proto/src/gen/ts/msp/work/v1/problem_solution";
import { Project } from "@msp/proto/src/gen/ts/msp/work/v1/project";
import { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { Tag } from "@msp/proto/src/gen/ts/msp/work/v1/tag";
import { Task } from "@msp/proto/src/gen/ts/msp/work/v1/task";
import { TicketLink } from "@msp/proto/src/gen/ts/msp/work/v1/ticket_link";
import { WorkItem } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

/* eslint-disable @typescript-eslint/no-explicit-any -- one table drives every resource's generated client */
interface Case {
  singular: string;
  plural: string;
  client: () => any;
  build: (partial: any) => unknown;
  /** The resource message's field in requests as the generated client names it: client, workItem... */
  field: string;
  /** The resource's name in error messages, when not `field`: work_item. */
  name?: string;
  required: string;
  /** An enum field, for the enum checks; resources without one skip them. */
  enumField?: [local: string, proto: string];
  longField: [local: string, proto: string, limit: number];
  refField?: [local: string, proto: string];
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const cases: Case[] = [
  {
    singular: "Client",
    plural: "Clients",
    client: () => stack.clients,
    build: (p) => Client.fromPartial(p),
    field: "client",
    required: "name",
    enumField: ["clientType", "client_type"],
    longField: ["name", "name", 255],
  },
  {
    singular: "Machine",
    plural: "Machines",
    client: () => stack.machines,
    build: (p) => Machine.fromPartial(p),
    field: "machine",
    required: "hostname",
    enumField: ["platform", "platform"],
    longField: ["homeDirectory", "home_directory", 1024],
  },
  {
    singular: "Project",
    plural: "Projects",
    client: () => stack.projects,
    build: (p) => Project.fromPartial(p),
    field: "project",
    required: "client_id",
    enumField: ["status", "status"],
    longField: ["description", "description", 65535],
    refField: ["clientId", "client_id"],
  },
  {
    singular: "Session",
    plural: "Sessions",
    client: () => stack.sessions,
    build: (p) => Session.fromPartial(p),
    field: "session",
    required: "",
    enumField: ["status", "status"],
    longField: ["title", "title", 255],
    refField: ["machineId", "machine_id"],
  },
  {
    singular: "Tag",
    plural: "Tags",
    client: () => stack.tags,
    build: (p) => Tag.fromPartial(p),
    field: "tag",
    required: "name",
    enumField: ["category", "category"],
    longField: ["name", "name", 64],
  },
  {
    singular: "Task",
    plural: "Tasks",
    client: () => stack.tasks,
    build: (p) => Task.fromPartial(p),
    field: "task",
    required: "title",
    enumField: ["status", "status"],
    longField: ["title", "title", 255],
    refField: ["parentTaskId", "parent_task_id"],
  },
  {
    singular: "WorkItem",
    plural: "WorkItems",
    client: () => stack.workItems,
    build: (p) => WorkItem.fromPartial(p),
    field: "workItem",
    name: "work_item",
    required: "title",
    enumField: ["category", "category"],
    longField: ["title", "title", 255],
    refField: ["sessionId", "session_id"],
  },
  {
    singular: "FileChange",
    plural: "FileChanges",
    client: () => stack.fileChanges,
    build: (p) => FileChange.fromPartial(p),
    field: "fileChange",
    name: "file_change",
    required: "file_path",
    enumField: ["changeType", "change_type"],
    longField: ["filePath", "file_path", 1024],
    refField: ["workItemId", "work_item_id"],
  },
  {
    singular: "CommandRun",
    plural: "CommandRuns",
    client: () => stack.commandRuns,
    build: (p) => CommandRun.fromPartial(p),
    field: "commandRun",
    name: "command_run",
    required: "command_text",
    enumField: ["failureCategory", "failure_category"],
    longField: ["host", "host", 255],
    refField: ["sessionId", "session_id"],
  },
  {
    singular: "ProblemSolution",
    plural: "ProblemSolutions",
    client: () => stack.problemSolutions,
    build: (p) => ProblemSolution.fromPartial(p),
    field: "problemSolution",
    name: "problem_solution",
    required: "solution",
    longField: ["solution", "solution", 65535],
    refField: ["workItemId", "work_item_id"],
  },
  {
    singular: "Deployment",
    plural: "Deployments",
    client: () => stack.deployments,
    build: (p) => Deployment.fromPartial(p),
    field: "deployment",
    required: "deployment_type",
    enumField: ["deploymentType", "deployment_type"],
    longField: ["deployedTo", "deployed_to", 1024],
    refField: ["workItemId", "work_item_id"],
  },
  {
    singular: "DatabaseChange",
    plural: "DatabaseChanges",
    client: () => stack.databaseChanges,
    build: (p) => DatabaseChange.fromPartial(p),
    field: "databaseChange",
    name: "database_change",
    required: "database_name",
    enumField: ["changeType", "change_type"],
    longField: ["sqlExecuted", "sql_executed", 65535],
    refField: ["workItemId", "work_item_id"],
  },
  {
    singular: "BillableTime",
    plural: "BillableTime",
    client: () => stack.billableTime,
    build: (p) => BillableTime.fromPartial(p),
    field: "billableTime",
    name: "billable_time",
    required: "client_id",
    enumField: ["category", "category"],
    longField: ["description", "description", 65535],
    refField: ["sessionId", "session_id"],
  },
  {
    singular: "TicketLink",
    plural: "TicketLinks",
    client: () => stack.ticketLinks,
    build: (p) => TicketLink.fromPartial(p),
    field: "ticketLink",
    name: "ticket_link",
    required: "session_id",
    enumField: ["system", "system"],
    longField: ["ticketId", "ticket_id", 128],
    refField: ["clientId", "client_id"],
  },
  {
    singular: "ExternalIntegration",
    plural: "ExternalIntegrations",
    client: () => stack.externalIntegrations,
    build: (p) => ExternalIntegration.fromPartial(p),
    field: "externalIntegration",
    name: "external_integration",
    required: "integration_type",
    enumField: ["action", "action"],
    longField: ["externalUrl", "external_url", 1024],
    refField: ["workItemId", "work_item_id"],
  },
];

const listRequest = (overrides: object) => ({ pageSize: 0, pageToken: "", filter: "", orderBy: "", ...overrides });
const invalid = status.INVALID_ARGUMENT;

describe.each(cases)("$singular bad input", (c) => {
  const name = c.name ?? c.field;
  // A field to write malformed filters on: the enum, or the id every resource has.
  const filterField = c.enumField?.[1] ?? "id";
  const get = (id: string) => call(c.client(), `get${c.singular}`, { id });
  const list = (overrides: object) => call(c.client(), `list${c.plural}`, listRequest(overrides));
  const create = (message: unknown) => call(c.client(), `create${c.singular}`, { [c.field]: message });
  const update = (message: unknown, updateMask: string[]) => call(c.client(), `update${c.singular}`, { [c.field]: message, updateMask });
  const remove = (id: string) => call(c.client(), `delete${c.singular}`, { id, etag: "" });

  it("Get refuses a missing or malformed id", async () => {
    await expectStatus(get(""), invalid, /^id: is required/);
    await expectStatus(get("not-a-uuid"), invalid, /^id: must be a UUID/);
    await expectStatus(get("'; DROP TABLE clients; --"), invalid, /^id: must be a UUID/);
  });

  it("List refuses bad page sizes, page tokens, filters and orders", async () => {
    await expectStatus(list({ pageSize: -1 }), invalid, /^page_size/);
    await expectStatus(list({ pageToken: "garbage!!" }), invalid, /^page_token/);
    await expectStatus(list({ pageToken: Buffer.from('{"q":"x","a":[1]}.abc').toString("base64url") }), invalid, /^page_token/);
    await expectStatus(list({ pageToken: "A".repeat(10_000) }), invalid, /^page_token/);
    await expectStatus(list({ filter: 'no_such_field = "x"' }), invalid, /^filter: cannot filter on 'no_such_field'/);
    await expectStatus(list({ filter: `${filterField} = ` }), invalid, /^filter: expected a value/);
    await expectStatus(list({ filter: `${filterField} = "x" OR ${filterField} = "y"` }), invalid, /^filter: only AND/);
    if (c.enumField) {
      await expectStatus(
        list({ filter: `${c.enumField[1]} = "not_a_value"` }),
        invalid,
        new RegExp(`^filter: ${c.enumField[1]}: 'not_a_value' is not one of`),
      );
    }
    await expectStatus(list({ orderBy: "no_such_field" }), invalid, /^order_by: cannot order by 'no_such_field'/);
    await expectStatus(list({ orderBy: "created_at sideways" }), invalid, /^order_by/);
    const page = await list({ pageSize: 100_000 });
    expect(page).toBeDefined();
  });

  it("Create refuses a missing message, missing required fields, unknown enum values and oversize strings", async () => {
    await expectStatus(create(undefined), invalid, new RegExp(`^${name}: is required`));
    if (c.required) await expectStatus(create(c.build({})), invalid, new RegExp(`${name}\\.${c.required}: is required`));
    if (c.enumField) {
      await expectStatus(create(c.build({ [c.enumField[0]]: 99 })), invalid, new RegExp(`${name}\\.${c.enumField[1]}: unknown value 99`));
    }
    const long = "x".repeat(c.longField[2] + 1);
    await expectStatus(
      create(c.build({ [c.longField[0]]: long })),
      invalid,
      new RegExp(`${name}\\.${c.longField[1]}: must be at most ${c.longField[2]} characters`),
    );
    if (c.refField) {
      await expectStatus(
        create(c.build({ [c.refField[0]]: "not-a-uuid" })),
        invalid,
        new RegExp(`${name}\\.${c.refField[1]}: must be a UUID`),
      );
    }
  });

  it("Update refuses a missing id, unknown or read-only mask paths; Delete refuses malformed ids", async () => {
    await expectStatus(update(undefined, []), invalid, new RegExp(`^${name}: is required`));
    await expectStatus(update(c.build({}), []), invalid, new RegExp(`^${name}\\.id: is required`));
    await expectStatus(update(c.build({ id: "zzz" }), []), invalid, new RegExp(`^${name}\\.id: must be a UUID`));
    const id = "0190f5c8-0000-7000-8000-000000000000";
    await expectStatus(update(c.build({ id }), ["no_such_field"]), invalid, /^update_mask: unknown field no_such_field/);
    await expectStatus(update(c.build({ id }), ["created_at"]), invalid, /^update_mask: created_at cannot be changed/);
    await expectStatus(update(c.build({ id }), []), status.NOT_FOUND, new RegExp(`${name} ${id} not found`));
    await expectStatus(remove(""), invalid, /^id: is required/);
    await expectStatus(remove("12345"), invalid, /^id: must be a UUID/);
    await expectStatus(remove(id), status.NOT_FOUND);
  });
});

describe("billing and timeline custom methods bad input", () => {
  const ghost = "0190f5c8-0000-7000-8000-000000000000";

  it("MarkInvoiced refuses no ids, malformed ids, too many ids and a long reference", async () => {
    const mark = (billableTimeIds: string[], invoiceReference = "") =>
      call(stack.billableTime, "markInvoiced", { billableTimeIds, invoiceReference });
    await expectStatus(mark([]), invalid, /^billable_time_ids: is required/);
    await expectStatus(mark([ghost, "'; DROP TABLE billable_time; --"]), invalid, /^billable_time_ids\[1\]: must be a UUID/);
    const many = Array.from({ length: 1001 }, (_, i) => `0190f5c8-0000-7000-8000-${String(i).padStart(12, "0")}`);
    await expectStatus(mark(many), invalid, /^billable_time_ids: must name at most 1000/);
    await expectStatus(mark([ghost], "r".repeat(65)), invalid, /^invoice_reference/);
    await expectStatus(mark([ghost]), status.FAILED_PRECONDITION, new RegExp(`not found: ${ghost}`));
  });

  it.each(["getBillingSummary", "exportBillableTime"] as const)("%s refuses bad client ids and periods", async (method) => {
    const report = (request: object) => call(stack.billableTime, method, { clientId: "", uninvoicedOnly: false, ...request } as never);
    await expectStatus(report({}), invalid, /^client_id: is required/);
    await expectStatus(report({ clientId: "1 OR 1=1" }), invalid, /^client_id: must be a UUID/);
    await expectStatus(report({ clientId: ghost }), status.NOT_FOUND);
    const client = await call(stack.clients, "createClient", { client: Client.fromPartial({ name: `Bad input ${method}` }) });
    const start = new Date("2026-02-01T00:00:00Z");
    await expectStatus(report({ clientId: client.id, start, end: start }), invalid, /^end: must be after start/);
  });

  it("GetSessionTimeline refuses missing and malformed ids", async () => {
    await expectStatus(call(stack.sessions, "getSessionTimeline", { id: "" }), invalid, /^id: is required/);
    await expectStatus(call(stack.sessions, "getSessionTimeline", { id: "../etc" }), invalid, /^id: must be a UUID/);
    await expectStatus(call(stack.sessions, "getSessionTimeline", { id: ghost }), status.NOT_FOUND);
  });
});
