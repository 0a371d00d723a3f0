import { status } from "@grpc/grpc-js";
import { QueryTypes } from "sequelize";
import { call, expectStatus } from "@msp/testing";
import { BillableTime } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { Project } from "@msp/proto/src/gen/ts/msp/work/v1/project";
import { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { WorkItem } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

interface OutboxRow {
  method: string;
  resource_type: string;
  resource_id: string;
  action: string;
  principal: string;
  request_summary: unknown;
}

const outbox = () =>
  stack.service.service.db.sequelize.query<OutboxRow>(
    "SELECT method, resource_type, resource_id, action, principal, request_summary FROM audit_outbox ORDER BY id",
    {
      type: QueryTypes.SELECT,
    },
  );

describe("audit outbox", () => {
  it("records every mutation in its transaction, and nothing for a refused one", async () => {
    const before = (await outbox()).length;
    const client = await call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Audited" }) });
    await call(stack.clients, "updateClient", { client: Client.fromPartial({ id: client.id, notes: "note" }), updateMask: [] });
    await expectStatus(call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Audited" }) }), status.ALREADY_EXISTS);
    await expectStatus(
      call(stack.clients, "updateClient", { client: Client.fromPartial({ id: client.id, etag: "stale" }), updateMask: [] }),
      status.ABORTED,
    );
    await call(stack.clients, "deleteClient", { id: client.id, etag: "" });

    const events = (await outbox()).slice(before);
    expect(events.map((e) => [e.method, e.action, e.resource_id])).toEqual([
      ["msp.work.v1.ClientService/CreateClient", "create", client.id],
      ["msp.work.v1.ClientService/UpdateClient", "update", client.id],
      ["msp.work.v1.ClientService/DeleteClient", "delete", client.id],
    ]);
    expect(events.every((e) => e.resource_type === "client" && e.principal !== "")).toBe(true);
    const summary = typeof events[1]!.request_summary === "string" ? JSON.parse(events[1]!.request_summary) : events[1]!.request_summary;
    expect(summary).toMatchObject({ notes: "note" });
  });

  const summaryOf = (event: OutboxRow) =>
    (typeof event.request_summary === "string" ? JSON.parse(event.request_summary) : event.request_summary) as Record<string, unknown>;

  it("records the entries and sessions a billing change re-prices, after the change itself", async () => {
    const client = await call(stack.clients, "createClient", {
      client: Client.fromPartial({ name: "Re-priced", defaultHourlyRate: "100" }),
    });
    const session = await call(stack.sessions, "createSession", { session: Session.fromPartial({ clientId: client.id }) });
    const entry = (hour: string) =>
      call(stack.billableTime, "createBillableTime", {
        billableTime: BillableTime.fromPartial({
          clientId: client.id,
          sessionId: session.id,
          startedAt: new Date(`2026-01-05T${hour}:00:00Z`),
          endedAt: new Date(`2026-01-05T${hour}:30:00Z`),
          isBillable: true,
        }),
      });
    const [first, second] = [await entry("09"), await entry("11")];
    const before = (await outbox()).length;

    await call(stack.clients, "updateClient", {
      client: Client.fromPartial({ id: client.id, defaultHourlyRate: "120" }),
      updateMask: ["default_hourly_rate"],
    });

    const events = (await outbox()).slice(before);
    expect(events.every((e) => e.method === "msp.work.v1.ClientService/UpdateClient" && e.action === "update")).toBe(true);
    expect(events.map((e) => [e.resource_type, e.resource_id])).toEqual([
      ["client", client.id],
      ["billable_time", first.id],
      ["billable_time", second.id],
      ["session", session.id],
    ]);
    expect(summaryOf(events[1]!)).toMatchObject({ effective_hourly_rate: "120.00", amount: "60.00" });
    expect(summaryOf(events[3]!)).toMatchObject({ billable_minutes: 60, billable_amount: "120.00" });
    const stored = await call(stack.billableTime, "getBillableTime", { id: first.id });
    expect(stored.amount).toBe("60.00");

    // A change that re-prices nothing records only itself.
    const quiet = (await outbox()).length;
    await call(stack.clients, "updateClient", {
      client: Client.fromPartial({ id: client.id, notes: "no price change" }),
      updateMask: ["notes"],
    });
    expect((await outbox()).slice(quiet).map((e) => e.resource_type)).toEqual(["client"]);
  });

  it("records the billable time a deleted work item or project lets go of", async () => {
    const client = await call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Let go", defaultHourlyRate: "100" }) });
    const project = await call(stack.projects, "createProject", {
      project: Project.fromPartial({ clientId: client.id, name: "Let go", slug: "let-go", hourlyRate: "150" }),
    });
    const session = await call(stack.sessions, "createSession", {
      session: Session.fromPartial({ clientId: client.id, projectId: project.id }),
    });
    const item = await call(stack.workItems, "createWorkItem", {
      workItem: WorkItem.fromPartial({ sessionId: session.id, title: "Billed" }),
    });
    const entry = await call(stack.billableTime, "createBillableTime", {
      billableTime: BillableTime.fromPartial({
        clientId: client.id,
        sessionId: session.id,
        workItemId: item.id,
        projectId: project.id,
        startedAt: new Date("2026-01-06T09:00:00Z"),
        endedAt: new Date("2026-01-06T10:00:00Z"),
        isBillable: true,
      }),
    });
    expect(entry.amount).toBe("150.00");

    let before = (await outbox()).length;
    await call(stack.workItems, "deleteWorkItem", { id: item.id, etag: "" });
    let events = (await outbox()).slice(before);
    expect(events.map((e) => [e.resource_type, e.resource_id, e.action])).toEqual([
      ["work_item", item.id, "delete"],
      ["billable_time", entry.id, "update"],
    ]);
    expect(summaryOf(events[1]!)).toEqual({ work_item_id: null });

    before = (await outbox()).length;
    await call(stack.projects, "deleteProject", { id: project.id, etag: "" });
    events = (await outbox()).slice(before);
    expect(events.every((e) => e.method === "msp.work.v1.ProjectService/DeleteProject")).toBe(true);
    expect(events[0]).toMatchObject({ resource_type: "project", resource_id: project.id, action: "delete" });
    expect(events.map((e) => [e.resource_type, e.resource_id])).toEqual(
      expect.arrayContaining([
        ["billable_time", entry.id],
        ["session", session.id],
        ["project", project.id],
      ]),
    );
    const repriced = events.filter((e) => e.resource_type === "billable_time").map(summaryOf);
    expect(repriced).toEqual(expect.arrayContaining([{ project_id: null }, expect.objectContaining({ amount: "100.00" })]));
    expect((await call(stack.billableTime, "getBillableTime", { id: entry.id })).amount).toBe("100.00");
  });
});
