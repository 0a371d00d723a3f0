import { status } from "@grpc/grpc-js";
import { QueryTypes } from "sequelize";
import { call, expectStatus } from "@msp/testing";
import { BillableTime } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { CommandRun } from "@msp/proto/src/gen/ts/msp/work/v1/command_run";
import { DatabaseChange, DatabaseChangeType } from "@msp/proto/src/gen/ts/msp/work/v1/database_change";
import { Deployment, DeploymentType } from "@msp/proto/src/gen/ts/msp/work/v1/deployment";
import { ExternalIntegration, ExternalIntegrationAction } from "@msp/proto/src/gen/ts/msp/work/v1/external_integration";
import { FileChange, FileChangeType } from "@msp/proto/src/gen/ts/msp/work/v1/file_change";
import { ProblemSolution } from "@msp/proto/src/gen/ts/msp/work/v1/problem_solution";
import { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { TicketLink, TicketSystem } from "@msp/proto/src/gen/ts/msp/work/v1/ticket_link";
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

const timeline = (id: string) => call(stack.sessions, "getSessionTimeline", { id });
const newItem = (sessionId: string, title: string, position?: number) =>
  call(stack.workItems, "createWorkItem", { workItem: WorkItem.fromPartial({ sessionId, title, ...(position ? { position } : {}) }) });

/** A session with two work items (created out of order), details under each and under the session alone. */
async function recordedSession() {
  const client = await call(stack.clients, "createClient", {
    client: Client.fromPartial({ name: `Timeline ${Date.now()} ${Math.random()}`, defaultHourlyRate: "100" }),
  });
  const session = await call(stack.sessions, "createSession", {
    session: Session.fromPartial({ clientId: client.id, title: "Mail outage" }),
  });
  const second = await newItem(session.id, "Restart postfix", 2);
  const first = await newItem(session.id, "Read the mail log", 1);
  const file = await call(stack.fileChanges, "createFileChange", {
    fileChange: FileChange.fromPartial({
      workItemId: second.id,
      filePath: "/etc/postfix/main.cf",
      changeType: FileChangeType.FILE_CHANGE_TYPE_MODIFIED,
    }),
  });
  const commands = [];
  for (const text of ["tail -n 200 /var/log/mail.log", "grep reject /var/log/mail.log"]) {
    commands.push(
      await call(stack.commandRuns, "createCommandRun", {
        commandRun: CommandRun.fromPartial({ workItemId: first.id, commandText: text }),
      }),
    );
  }
  const restart = await call(stack.commandRuns, "createCommandRun", {
    commandRun: CommandRun.fromPartial({ workItemId: second.id, commandText: "systemctl restart postfix" }),
  });
  const problem = await call(stack.problemSolutions, "createProblemSolution", {
    problemSolution: ProblemSolution.fromPartial({ workItemId: second.id, problem: "Mail stuck", solution: "Fixed relayhost" }),
  });
  const deployment = await call(stack.deployments, "createDeployment", {
    deployment: Deployment.fromPartial({ workItemId: second.id, deploymentType: DeploymentType.DEPLOYMENT_TYPE_CONFIG }),
  });
  const loose = await call(stack.databaseChanges, "createDatabaseChange", {
    databaseChange: DatabaseChange.fromPartial({
      sessionId: session.id,
      databaseName: "roundcube",
      changeType: DatabaseChangeType.DATABASE_CHANGE_TYPE_CLEANUP,
    }),
  });
  const ticket = await call(stack.ticketLinks, "createTicketLink", {
    ticketLink: TicketLink.fromPartial({ sessionId: session.id, system: TicketSystem.TICKET_SYSTEM_SYNCRO, ticketId: "4711" }),
  });
  const time = await call(stack.billableTime, "createBillableTime", {
    billableTime: BillableTime.fromPartial({ workItemId: second.id, startedAt: new Date("2026-01-05T10:00:00Z"), durationMinutes: 40 }),
  });
  const integration = await call(stack.externalIntegrations, "createExternalIntegration", {
    externalIntegration: ExternalIntegration.fromPartial({
      workItemId: second.id,
      integrationType: "syncro",
      action: ExternalIntegrationAction.EXTERNAL_INTEGRATION_ACTION_UPDATED,
    }),
  });
  return { session, first, second, file, commands, restart, problem, deployment, loose, ticket, time, integration };
}

async function count(table: string, where: string, id: string): Promise<number> {
  const rows = await stack.service.service.db.sequelize.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where} = ?`, {
    replacements: [id],
    type: QueryTypes.SELECT,
  });
  return Number(rows[0]?.n);
}

describe("GetSessionTimeline", () => {
  it("returns the session, its work items in order with their details, the session's own details, tickets and time", async () => {
    const r = await recordedSession();
    const t = await timeline(r.session.id);
    expect(t.session).toMatchObject({ id: r.session.id, title: "Mail outage", billableMinutes: 45, billableAmount: "75.00" });
    expect(t.workItems.map((w) => w.workItem?.title)).toEqual(["Read the mail log", "Restart postfix"]);
    const [first, second] = t.workItems;
    expect(first?.details?.commandRuns.map((c) => c.commandText)).toEqual([
      "tail -n 200 /var/log/mail.log",
      "grep reject /var/log/mail.log",
    ]);
    expect(first?.details).toMatchObject({ fileChanges: [], problemSolutions: [], deployments: [], databaseChanges: [] });
    expect(second?.details?.fileChanges.map((f) => f.id)).toEqual([r.file.id]);
    expect(second?.details?.commandRuns.map((c) => c.id)).toEqual([r.restart.id]);
    expect(second?.details?.problemSolutions.map((p) => p.solution)).toEqual(["Fixed relayhost"]);
    expect(second?.details?.deployments.map((d) => d.id)).toEqual([r.deployment.id]);
    expect(t.sessionDetails?.databaseChanges.map((d) => d.databaseName)).toEqual(["roundcube"]);
    expect(t.sessionDetails).toMatchObject({ fileChanges: [], commandRuns: [], problemSolutions: [], deployments: [] });
    expect(t.ticketLinks.map((l) => l.ticketId)).toEqual(["4711"]);
    expect(t.billableTime.map((b) => [b.workItemId, b.roundedMinutes])).toEqual([[r.second.id, 45]]);
    // The same records as the standard methods return, every field and etag included.
    expect(t.session).toEqual(await call(stack.sessions, "getSession", { id: r.session.id }));
    expect(first?.workItem).toEqual(await call(stack.workItems, "getWorkItem", { id: r.first.id }));
    expect(second?.workItem).toEqual(await call(stack.workItems, "getWorkItem", { id: r.second.id }));
    expect(first?.details?.commandRuns[0]).toEqual(await call(stack.commandRuns, "getCommandRun", { id: r.commands[0]!.id }));
    expect(second?.details?.fileChanges[0]).toEqual(await call(stack.fileChanges, "getFileChange", { id: r.file.id }));
    expect(second?.details?.problemSolutions[0]).toEqual(await call(stack.problemSolutions, "getProblemSolution", { id: r.problem.id }));
    expect(second?.details?.deployments[0]).toEqual(await call(stack.deployments, "getDeployment", { id: r.deployment.id }));
    expect(t.sessionDetails?.databaseChanges[0]).toEqual(await call(stack.databaseChanges, "getDatabaseChange", { id: r.loose.id }));
    expect(t.ticketLinks[0]).toEqual(await call(stack.ticketLinks, "getTicketLink", { id: r.ticket.id }));
    expect(t.billableTime[0]).toEqual(await call(stack.billableTime, "getBillableTime", { id: r.time.id }));
  });

  it("answers an empty session, and refuses a bad or unknown id", async () => {
    const session = await call(stack.sessions, "createSession", { session: Session.fromPartial({ title: "Nothing yet" }) });
    const t = await timeline(session.id);
    expect(t).toMatchObject({ workItems: [], ticketLinks: [], billableTime: [] });
    expect(t.sessionDetails).toMatchObject({ fileChanges: [], commandRuns: [] });
    await expectStatus(timeline(""), status.INVALID_ARGUMENT, /id: is required/);
    await expectStatus(timeline("nope"), status.INVALID_ARGUMENT, /id: must be a UUID/);
    await expectStatus(timeline("0190f5c8-0000-7000-8000-000000000000"), status.NOT_FOUND);
  });
});

describe("cascades", () => {
  it("deleting a work item deletes its details and keeps its billable time and integration log with no work item", async () => {
    const r = await recordedSession();
    await call(stack.workItems, "deleteWorkItem", { id: r.second.id, etag: "" });
    for (const table of ["file_changes", "commands_run", "problem_solutions", "deployments"])
      expect(await count(table, "work_item_id", r.second.id)).toBe(0);
    expect(await call(stack.billableTime, "getBillableTime", { id: r.time.id })).toMatchObject({
      workItemId: undefined,
      sessionId: r.session.id,
      roundedMinutes: 45,
    });
    expect((await call(stack.externalIntegrations, "getExternalIntegration", { id: r.integration.id })).workItemId).toBeUndefined();
    const t = await timeline(r.session.id);
    expect(t.workItems.map((w) => w.workItem?.id)).toEqual([r.first.id]);
    expect(t.session?.billableMinutes).toBe(45);
  });

  it("deleting a session deletes its work items, their details, its ticket links and billable time; the integration log stays", async () => {
    const r = await recordedSession();
    await call(stack.sessions, "deleteSession", { id: r.session.id, etag: "" });
    for (const table of [
      "work_items",
      "file_changes",
      "commands_run",
      "problem_solutions",
      "deployments",
      "database_changes",
      "ticket_links",
      "billable_time",
    ]) {
      expect([table, await count(table, "session_id", r.session.id)]).toEqual([table, 0]);
    }
    await expectStatus(call(stack.billableTime, "getBillableTime", { id: r.time.id }), status.NOT_FOUND);
    expect((await call(stack.externalIntegrations, "getExternalIntegration", { id: r.integration.id })).sessionId).toBeUndefined();
  });
});
