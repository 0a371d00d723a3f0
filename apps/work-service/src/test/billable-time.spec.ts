import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { BillableTime, BillableTimeCategory, BillableTimeRateSource } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { BillingRoundingDirection, BillingRoundingScope, Client, ClientType } from "@msp/proto/src/gen/ts/msp/work/v1/client";
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

let serial = 0;
const at = (time: string, day = "05") => new Date(`2026-01-${day}T${time}:00Z`);
const newClient = (partial: Partial<Client> = {}) =>
  call(stack.clients, "createClient", { client: Client.fromPartial({ name: `Billing ${++serial}`, ...partial }) });
const updateClient = (partial: Partial<Client>, updateMask: string[]) =>
  call(stack.clients, "updateClient", { client: Client.fromPartial(partial), updateMask });
const newProject = (clientId: string, partial: Partial<Project> = {}) =>
  call(stack.projects, "createProject", {
    project: Project.fromPartial({ clientId, name: `Project ${++serial}`, slug: `billing-${serial}`, ...partial }),
  });
const newSession = (partial: Partial<Session> = {}) => call(stack.sessions, "createSession", { session: Session.fromPartial(partial) });
const getSession = (id: string) => call(stack.sessions, "getSession", { id });
const newEntry = (partial: Partial<BillableTime>) =>
  call(stack.billableTime, "createBillableTime", { billableTime: BillableTime.fromPartial(partial) });
const getEntry = (id: string) => call(stack.billableTime, "getBillableTime", { id });
const updateEntry = (partial: Partial<BillableTime>, updateMask: string[] = []) =>
  call(stack.billableTime, "updateBillableTime", { billableTime: BillableTime.fromPartial(partial), updateMask });
const deleteEntry = (id: string) => call(stack.billableTime, "deleteBillableTime", { id, etag: "" });
const markInvoiced = (billableTimeIds: string[], invoiceReference = "") =>
  call(stack.billableTime, "markInvoiced", { billableTimeIds, invoiceReference });
const failed = status.FAILED_PRECONDITION;
const invalid = status.INVALID_ARGUMENT;

describe("BillableTimeService: billing one entry", () => {
  it("bills 10:00-10:05 as 15 minutes, 30.00 at 120/h, keeping the raw 5 minutes", async () => {
    const client = await newClient({ defaultHourlyRate: "120" });
    const entry = await newEntry({
      clientId: client.id,
      startedAt: at("10:00"),
      endedAt: at("10:05"),
      isBillable: true,
      hourlyRate: "120",
    });
    expect(entry).toMatchObject({
      durationMinutes: 5,
      roundedMinutes: 15,
      hourlyRate: "120.00",
      effectiveHourlyRate: "120.00",
      rateSource: BillableTimeRateSource.BILLABLE_TIME_RATE_SOURCE_ENTRY,
      amount: "30.00",
      roundingScope: BillingRoundingScope.BILLING_ROUNDING_SCOPE_PER_ENTRY,
      isInvoiced: false,
      invoicedAt: undefined,
    });
  });

  it("takes raw minutes from the times, or as given without an end, and refuses what disagrees", async () => {
    const client = await newClient({ defaultHourlyRate: "100" });
    const given = await newEntry({ clientId: client.id, startedAt: at("09:00"), durationMinutes: 50 });
    expect(given).toMatchObject({ durationMinutes: 50, roundedMinutes: 60, amount: "100.00", endedAt: undefined });
    const seconds = await newEntry({ clientId: client.id, startedAt: at("09:00"), endedAt: new Date("2026-01-05T09:20:40Z") });
    expect(seconds.durationMinutes).toBe(21); // 20 min 40 s: to the nearest minute
    await expectStatus(
      newEntry({ clientId: client.id, startedAt: at("09:00"), endedAt: at("09:30"), durationMinutes: 45 }),
      invalid,
      /billable_time\.duration_minutes: must be 30/,
    );
    await expectStatus(
      newEntry({ clientId: client.id, startedAt: at("09:00") }),
      invalid,
      /billable_time\.duration_minutes: is required without ended_at/,
    );
    await expectStatus(newEntry({ clientId: client.id, durationMinutes: 5 }), invalid, /billable_time\.started_at: is required/);
    await expectStatus(
      newEntry({ clientId: client.id, startedAt: at("10:00"), endedAt: at("09:00") }),
      invalid,
      /ended_at: must not be before/,
    );
    await expectStatus(newEntry({ clientId: client.id, startedAt: at("10:00"), durationMinutes: 20_000 }), invalid, /at most 10080/);
    await expectStatus(
      newEntry({ clientId: client.id, startedAt: at("10:00"), durationMinutes: 5, hourlyRate: "-1" }),
      invalid,
      /hourly_rate/,
    );
    // Moving the end moves the raw minutes and the billed figures with it.
    const moved = await updateEntry({ id: seconds.id, endedAt: at("10:00") }, ["ended_at"]);
    expect(moved).toMatchObject({ durationMinutes: 60, roundedMinutes: 60, amount: "100.00" });
  });

  it("is billable by default for a paying client and not for the shop itself; an explicit value wins", async () => {
    const paying = await newClient({ clientType: ClientType.CLIENT_TYPE_MSP_CLIENT, defaultHourlyRate: "90" });
    const shop = await newClient({ clientType: ClientType.CLIENT_TYPE_INTERNAL, defaultHourlyRate: "90" });
    const base = { startedAt: at("11:00"), durationMinutes: 30 };
    expect(await newEntry({ ...base, clientId: paying.id })).toMatchObject({ isBillable: true, roundedMinutes: 30, amount: "45.00" });
    expect(await newEntry({ ...base, clientId: shop.id })).toMatchObject({ isBillable: false, roundedMinutes: 0, amount: "0.00" });
    expect(await newEntry({ ...base, clientId: paying.id, isBillable: false })).toMatchObject({ isBillable: false, amount: "0.00" });
    expect(await newEntry({ ...base, clientId: shop.id, isBillable: true })).toMatchObject({ isBillable: true, amount: "45.00" });
    // In a session, the session's (or work item's) billability is the default: warranty work stays free.
    const warranty = await newSession({ clientId: paying.id, isBillable: false });
    expect((await newEntry({ ...base, sessionId: warranty.id })).isBillable).toBe(false);
    const item = await call(stack.workItems, "createWorkItem", {
      workItem: WorkItem.fromPartial({ sessionId: warranty.id, title: "Billed after all", isBillable: true }),
    });
    expect(await newEntry({ ...base, workItemId: item.id })).toMatchObject({
      isBillable: true,
      sessionId: warranty.id,
      clientId: paying.id,
    });
    // Not billable any more: bills nothing, and back.
    const entry = await newEntry({ ...base, clientId: paying.id });
    expect(await updateEntry({ id: entry.id, isBillable: false }, ["is_billable"])).toMatchObject({ roundedMinutes: 0, amount: "0.00" });
    expect(await updateEntry({ id: entry.id, isBillable: true }, ["is_billable"])).toMatchObject({ roundedMinutes: 30, amount: "45.00" });
  });

  it("takes the rate from the entry, else the project, else the client, and re-prices uninvoiced time when they change", async () => {
    const client = await newClient({ defaultHourlyRate: "120" });
    const project = await newProject(client.id, { hourlyRate: "150" });
    const bare = await newProject(client.id);
    const base = { clientId: client.id, startedAt: at("13:00"), durationMinutes: 60 };
    const own = await newEntry({ ...base, projectId: project.id, hourlyRate: "200" });
    const fromProject = await newEntry({ ...base, projectId: project.id });
    const fromClient = await newEntry({ ...base, projectId: bare.id });
    expect([own, fromProject, fromClient].map((e) => [e.effectiveHourlyRate, e.rateSource, e.amount])).toEqual([
      ["200.00", BillableTimeRateSource.BILLABLE_TIME_RATE_SOURCE_ENTRY, "200.00"],
      ["150.00", BillableTimeRateSource.BILLABLE_TIME_RATE_SOURCE_PROJECT, "150.00"],
      ["120.00", BillableTimeRateSource.BILLABLE_TIME_RATE_SOURCE_CLIENT, "120.00"],
    ]);
    const noRate = await newClient();
    expect(await newEntry({ clientId: noRate.id, startedAt: at("13:00"), durationMinutes: 60 })).toMatchObject({
      effectiveHourlyRate: undefined,
      rateSource: BillableTimeRateSource.BILLABLE_TIME_RATE_SOURCE_NONE,
      roundedMinutes: 60,
      amount: "0.00",
    });

    await markInvoiced([fromClient.id]);
    await call(stack.projects, "updateProject", {
      project: Project.fromPartial({ id: project.id, hourlyRate: "160" }),
      updateMask: ["hourly_rate"],
    });
    await updateClient({ id: client.id, defaultHourlyRate: "99.99" }, ["default_hourly_rate"]);
    expect((await getEntry(own.id)).amount).toBe("200.00");
    expect((await getEntry(fromProject.id)).amount).toBe("160.00");
    expect((await getEntry(fromClient.id)).amount).toBe("120.00"); // invoiced: frozen
    expect(await newEntry({ ...base, projectId: bare.id, durationMinutes: 7, endedAt: undefined })).toMatchObject({
      roundedMinutes: 15,
      amount: "25.00", // 15 minutes at 99.99/h = 24.9975
    });
    // A project clearing its rate falls back to the client; deleting it too.
    await call(stack.projects, "updateProject", { project: Project.fromPartial({ id: project.id }), updateMask: ["hourly_rate"] });
    expect(await getEntry(fromProject.id)).toMatchObject({
      rateSource: BillableTimeRateSource.BILLABLE_TIME_RATE_SOURCE_CLIENT,
      amount: "99.99",
    });
    await expectStatus(call(stack.projects, "deleteProject", { id: bare.id, etag: "" }), failed, /invoiced/);
    await call(stack.projects, "deleteProject", { id: project.id, etag: "" });
    expect(await getEntry(own.id)).toMatchObject({ projectId: undefined, amount: "200.00" });
  });

  it("checks the entry's session, work item, client and project belong together", async () => {
    const client = await newClient();
    const other = await newClient();
    const session = await newSession({ clientId: client.id });
    const otherProject = await newProject(other.id);
    const base = { startedAt: at("08:00"), durationMinutes: 10 };
    expect(await newEntry({ ...base, sessionId: session.id })).toMatchObject({ clientId: client.id });
    await expectStatus(
      newEntry({ ...base, sessionId: session.id, clientId: other.id }),
      invalid,
      /client_id: must be the session's client/,
    );
    await expectStatus(
      newEntry({ ...base, clientId: client.id, projectId: otherProject.id }),
      invalid,
      /project_id: belongs to another client/,
    );
    await expectStatus(newEntry({ ...base }), invalid, /billable_time\.client_id: is required/);
    await expectStatus(newEntry({ ...base, clientId: "0190f5c8-0000-7000-8000-000000000000" }), invalid, /no client has id/);
    const otherSession = await newSession({ clientId: client.id });
    const item = await call(stack.workItems, "createWorkItem", {
      workItem: WorkItem.fromPartial({ sessionId: otherSession.id, title: "x" }),
    });
    await expectStatus(newEntry({ ...base, sessionId: session.id, workItemId: item.id }), invalid, /work_item_id: belongs to session/);
    // The session's project is the default.
    const project = await newProject(client.id, { hourlyRate: "10" });
    const projectSession = await newSession({ clientId: client.id, projectId: project.id });
    expect(await newEntry({ ...base, sessionId: projectSession.id })).toMatchObject({ projectId: project.id, amount: "2.50" });
    // A session does not move to another client under its billable time.
    await expectStatus(
      call(stack.sessions, "updateSession", {
        session: Session.fromPartial({ id: session.id, clientId: other.id }),
        updateMask: ["client_id"],
      }),
      failed,
      /billable time entries of another client/,
    );
  });
});

describe("BillableTimeService: session totals", () => {
  it("keeps a session's billed minutes, hours and amount in step with every change of its time", async () => {
    const client = await newClient({ defaultHourlyRate: "120" });
    const session = await newSession({ clientId: client.id });
    expect(await getSession(session.id)).toMatchObject({ billableMinutes: 0, billableHours: "0.00", billableAmount: "0.00" });
    const first = await newEntry({ sessionId: session.id, startedAt: at("10:00"), endedAt: at("10:05") });
    expect(await getSession(session.id)).toMatchObject({ billableMinutes: 15, billableHours: "0.25", billableAmount: "30.00" });
    const second = await newEntry({ sessionId: session.id, startedAt: at("10:10"), durationMinutes: 40 });
    expect(await getSession(session.id)).toMatchObject({ billableMinutes: 60, billableHours: "1.00", billableAmount: "120.00" });
    await newEntry({ sessionId: session.id, startedAt: at("11:00"), durationMinutes: 40, isBillable: false });
    expect((await getSession(session.id)).billableMinutes).toBe(60);
    await updateEntry({ id: second.id, durationMinutes: 10 }, ["duration_minutes"]);
    expect(await getSession(session.id)).toMatchObject({ billableMinutes: 30, billableHours: "0.50", billableAmount: "60.00" });
    // Moving an entry to another session moves its minutes.
    const other = await newSession({ clientId: client.id });
    await updateEntry({ id: first.id, sessionId: other.id }, ["session_id"]);
    expect((await getSession(session.id)).billableMinutes).toBe(15);
    expect((await getSession(other.id)).billableMinutes).toBe(15);
    await deleteEntry(second.id);
    expect(await getSession(session.id)).toMatchObject({ billableMinutes: 0, billableHours: "0.00", billableAmount: "0.00" });
    // The session's etag follows its totals.
    const before = await getSession(other.id);
    await newEntry({ sessionId: other.id, startedAt: at("12:00"), durationMinutes: 20 });
    expect((await getSession(other.id)).etag).not.toBe(before.etag);
  });

  it("rounds a session's total once under per-session rounding: 10 + 10 + 10 bill 30, not 45", async () => {
    const perSession = await newClient({
      defaultHourlyRate: "120",
      billingRoundingScope: BillingRoundingScope.BILLING_ROUNDING_SCOPE_PER_SESSION,
    });
    const perEntry = await newClient({ defaultHourlyRate: "120" });
    const sessionA = await newSession({ clientId: perSession.id });
    const sessionB = await newSession({ clientId: perEntry.id });
    for (const [i, start] of ["10:00", "10:20", "10:40"].entries()) {
      await newEntry({ sessionId: sessionA.id, startedAt: at(start), durationMinutes: 10, description: `a${i}` });
      await newEntry({ sessionId: sessionB.id, startedAt: at(start), durationMinutes: 10, description: `b${i}` });
    }
    expect(await getSession(sessionA.id)).toMatchObject({ billableMinutes: 30, billableAmount: "60.00" });
    expect(await getSession(sessionB.id)).toMatchObject({ billableMinutes: 45, billableAmount: "90.00" });
    const entriesA = await call(stack.billableTime, "listBillableTime", {
      pageSize: 10,
      pageToken: "",
      filter: `session_id = "${sessionA.id}"`,
      orderBy: "",
    });
    expect(entriesA.billableTime.map((e) => [e.durationMinutes, e.roundedMinutes, e.roundingScope])).toEqual([
      [10, 10, BillingRoundingScope.BILLING_ROUNDING_SCOPE_PER_SESSION],
      [10, 10, BillingRoundingScope.BILLING_ROUNDING_SCOPE_PER_SESSION],
      [10, 10, BillingRoundingScope.BILLING_ROUNDING_SCOPE_PER_SESSION],
    ]);

    // 25 raw minutes round to 30: the last entry carries the 5 extra minutes; moving it first moves them.
    const last = entriesA.billableTime[2]!;
    await updateEntry({ id: last.id, durationMinutes: 5 }, ["duration_minutes"]);
    expect((await getEntry(last.id)).roundedMinutes).toBe(10);
    expect((await getSession(sessionA.id)).billableMinutes).toBe(30);
    await updateEntry({ id: last.id, startedAt: at("09:00") }, ["started_at"]);
    expect((await getEntry(last.id)).roundedMinutes).toBe(5);
    expect((await getEntry(entriesA.billableTime[1]!.id)).roundedMinutes).toBe(15);
    expect((await getSession(sessionA.id)).billableMinutes).toBe(30);

    // Switching the client to per-entry rounding re-prices its uninvoiced time.
    await updateClient({ id: perSession.id, billingRoundingScope: BillingRoundingScope.BILLING_ROUNDING_SCOPE_PER_ENTRY }, [
      "billing_rounding_scope",
    ]);
    expect(await getSession(sessionA.id)).toMatchObject({ billableMinutes: 45, billableAmount: "90.00" });
  });

  it("45 + 45 + 5 minutes bill 105 per entry and 90 as a session total rounded to the nearest 15", async () => {
    const nearest = { defaultHourlyRate: "60", billingRoundingDirection: BillingRoundingDirection.BILLING_ROUNDING_DIRECTION_NEAREST };
    const perEntry = await newClient(nearest);
    const perSession = await newClient({ ...nearest, billingRoundingScope: BillingRoundingScope.BILLING_ROUNDING_SCOPE_PER_SESSION });
    const totals: number[] = [];
    for (const client of [perEntry, perSession]) {
      const session = await newSession({ clientId: client.id });
      for (const [minutes, start] of [
        [45, "09:00"],
        [45, "10:00"],
        [5, "11:00"],
      ] as const) {
        await newEntry({ sessionId: session.id, startedAt: at(start), durationMinutes: minutes });
      }
      totals.push((await getSession(session.id)).billableMinutes);
    }
    expect(totals).toEqual([105, 90]);
  });

  it("keeps invoiced time out of reach: no update, no delete, no re-pricing, and its session stays", async () => {
    const client = await newClient({
      defaultHourlyRate: "100",
      billingRoundingScope: BillingRoundingScope.BILLING_ROUNDING_SCOPE_PER_SESSION,
    });
    const session = await newSession({ clientId: client.id });
    const a = await newEntry({ sessionId: session.id, startedAt: at("10:00"), durationMinutes: 10 });
    const b = await newEntry({ sessionId: session.id, startedAt: at("10:10"), durationMinutes: 10 });
    const c = await newEntry({ sessionId: session.id, startedAt: at("10:20"), durationMinutes: 5 });
    expect([(await getEntry(a.id)).roundedMinutes, (await getEntry(b.id)).roundedMinutes, (await getEntry(c.id)).roundedMinutes]).toEqual([
      10, 10, 10,
    ]);
    const marked = await markInvoiced([a.id, b.id], "INV-2026-0001");
    expect(marked.billableTime.map((e) => [e.id, e.isInvoiced, e.invoiceReference])).toEqual([
      [a.id, true, "INV-2026-0001"],
      [b.id, true, "INV-2026-0001"],
    ]);
    expect(marked.billableTime[0]!.invoicedAt).toBeInstanceOf(Date);

    await expectStatus(
      updateEntry({ id: a.id, description: "edit" }, ["description"]),
      failed,
      new RegExp(`billable time ${a.id} was invoiced on \\d{4}-\\d\\d-\\d\\d; invoiced time cannot be changed`),
    );
    await expectStatus(deleteEntry(a.id), failed, /invoiced time cannot be deleted/);
    await expectStatus(call(stack.sessions, "deleteSession", { id: session.id, etag: "" }), failed, /invoiced billable time/);
    await expectStatus(updateEntry({ id: a.id }, ["invoiced_at"]), invalid, /update_mask: invoiced_at cannot be changed/);

    // The rest of the session still rounds with the whole: 25 raw minutes bill 30, 20 of them invoiced.
    expect((await getEntry(c.id)).roundedMinutes).toBe(10);
    await updateEntry({ id: c.id, durationMinutes: 12 }, ["duration_minutes"]); // 32 -> 45
    expect((await getEntry(c.id)).roundedMinutes).toBe(25);
    expect((await getSession(session.id)).billableMinutes).toBe(45);
    await updateClient({ id: client.id, billingIncrementMinutes: 6, billingMinimumMinutes: 0 }, [
      "billing_increment_minutes",
      "billing_minimum_minutes",
    ]);
    expect((await getEntry(a.id)).roundedMinutes).toBe(10); // frozen
    expect((await getEntry(c.id)).roundedMinutes).toBe(16); // 32 -> 36, less the 20 invoiced
    // A client with billable time is archived, never deleted.
    await expectStatus(call(stack.clients, "deleteClient", { id: client.id, etag: "" }), failed, /billable time/);
  });

  it("marks invoiced all or nothing, naming what is missing or already invoiced", async () => {
    const client = await newClient({ defaultHourlyRate: "100" });
    const other = await newClient({ defaultHourlyRate: "100" });
    const base = { startedAt: at("15:00"), durationMinutes: 30 };
    const one = await newEntry({ ...base, clientId: client.id });
    const two = await newEntry({ ...base, clientId: client.id });
    const three = await newEntry({ ...base, clientId: client.id });
    const foreign = await newEntry({ ...base, clientId: other.id });
    await markInvoiced([one.id]);
    const ghost = "0190f5c8-0000-7000-8000-00000000dead";
    const refusal = await expectStatus(markInvoiced([two.id, one.id, ghost]), failed, /no entry was marked invoiced/);
    expect(refusal.details).toContain(`not found: ${ghost}`);
    expect(refusal.details).toContain(`already invoiced: ${one.id}`);
    expect((await getEntry(two.id)).isInvoiced).toBe(false);
    await expectStatus(markInvoiced([two.id, foreign.id]), invalid, /one client/);
    expect((await getEntry(two.id)).isInvoiced).toBe(false);
    await expectStatus(markInvoiced([]), invalid, /billable_time_ids: is required/);
    await expectStatus(markInvoiced(["nope"]), invalid, /billable_time_ids\[0\]: must be a UUID/);
    await expectStatus(markInvoiced([two.id], "x".repeat(65)), invalid, /invoice_reference/);
    // An id named twice counts once.
    const done = await markInvoiced([two.id, three.id, two.id.toUpperCase()]);
    expect(done.billableTime.map((e) => e.id)).toEqual([two.id, three.id]);
    const left = await call(stack.billableTime, "listBillableTime", {
      pageSize: 10,
      pageToken: "",
      filter: `client_id = "${client.id}" AND is_invoiced = false`,
      orderBy: "",
    });
    expect(left.billableTime).toEqual([]);
  });

  it("takes an invoice back, all or nothing, with a reason: the entries bill again by the current terms", async () => {
    const client = await newClient({ defaultHourlyRate: "100" });
    const other = await newClient({ defaultHourlyRate: "100" });
    const session = await newSession({ clientId: client.id });
    const a = await newEntry({ sessionId: session.id, startedAt: at("09:00"), durationMinutes: 30 });
    const b = await newEntry({ sessionId: session.id, startedAt: at("10:00"), durationMinutes: 30 });
    const open = await newEntry({ clientId: client.id, startedAt: at("11:00"), durationMinutes: 30 });
    const foreign = await newEntry({ clientId: other.id, startedAt: at("11:00"), durationMinutes: 30 });
    await markInvoiced([a.id, b.id], "INV-2026-0007");
    await markInvoiced([foreign.id], "INV-2026-0008");
    await updateClient({ id: client.id, defaultHourlyRate: "120" }, ["default_hourly_rate"]);
    expect((await getEntry(a.id)).amount).toBe("50.00"); // frozen while invoiced

    const unmark = (billableTimeIds: string[], reason = "invoice INV-2026-0007 cancelled") =>
      call(stack.billableTime, "unmarkInvoiced", { billableTimeIds, reason });
    const ghost = "0190f5c8-0000-7000-8000-00000000beef";
    const refusal = await expectStatus(unmark([a.id, open.id, ghost]), failed, /no entry was uninvoiced/);
    expect(refusal.details).toContain(`not invoiced: ${open.id}`);
    expect(refusal.details).toContain(`not found: ${ghost}`);
    await expectStatus(unmark([a.id, foreign.id]), invalid, /one client/);
    await expectStatus(unmark([a.id], "  "), invalid, /reason: is required/);
    await expectStatus(unmark([a.id], "x".repeat(501)), invalid, /reason: must be at most 500/);
    await expectStatus(unmark([]), invalid, /billable_time_ids: is required/);
    expect((await getEntry(a.id)).isInvoiced).toBe(true);

    const back = await unmark([b.id, a.id]);
    expect(back.billableTime.map((e) => [e.id, e.isInvoiced, e.invoicedAt, e.invoiceReference, e.amount])).toEqual([
      [b.id, false, undefined, undefined, "60.00"],
      [a.id, false, undefined, undefined, "60.00"],
    ]);
    expect((await getSession(session.id)).billableAmount).toBe("120.00");
    // Uninvoiced time can change again, and be invoiced again.
    await updateEntry({ id: a.id, description: "corrected" }, ["description"]);
    expect((await markInvoiced([a.id, b.id], "INV-2026-0009")).billableTime.every((e) => e.isInvoiced)).toBe(true);

    const events = await stack.service.service.db.select<{ method: string; request_summary: unknown }>(
      "SELECT method, request_summary FROM audit_outbox WHERE resource_id = ? AND method LIKE ? ORDER BY id",
      [a.id, "%/UnmarkInvoiced"],
    );
    const summaries = events.map((e) => (typeof e.request_summary === "string" ? JSON.parse(e.request_summary) : e.request_summary));
    expect(summaries[0]).toEqual({
      is_invoiced: false,
      invoiced_at: null,
      invoice_reference: null,
      left_invoice: "INV-2026-0007",
      reason: "invoice INV-2026-0007 cancelled",
    });
    expect(summaries[1]).toMatchObject({ amount: "60.00", effective_hourly_rate: "120.00" }); // re-priced, audited
  });

  it("lets a client's policy be set, bounded and reset to the defaults", async () => {
    const client = await newClient();
    expect(client).toMatchObject({
      billingIncrementMinutes: 15,
      billingRoundingDirection: BillingRoundingDirection.BILLING_ROUNDING_DIRECTION_UP,
      billingMinimumMinutes: 15,
      billingRoundingScope: BillingRoundingScope.BILLING_ROUNDING_SCOPE_PER_ENTRY,
    });
    await expectStatus(
      updateClient({ id: client.id, billingIncrementMinutes: 0 }, ["billing_increment_minutes"]),
      invalid,
      /between 1 and 1440/,
    );
    await expectStatus(
      updateClient({ id: client.id, billingMinimumMinutes: 2000 }, ["billing_minimum_minutes"]),
      invalid,
      /between 0 and 1440/,
    );
    const changed = await updateClient(
      { id: client.id, billingIncrementMinutes: 6, billingRoundingDirection: BillingRoundingDirection.BILLING_ROUNDING_DIRECTION_DOWN },
      ["billing_increment_minutes", "billing_rounding_direction"],
    );
    expect(changed).toMatchObject({
      billingIncrementMinutes: 6,
      billingRoundingDirection: BillingRoundingDirection.BILLING_ROUNDING_DIRECTION_DOWN,
    });
    const reset = await updateClient({ id: client.id }, ["billing_increment_minutes", "billing_rounding_direction"]);
    expect(reset).toMatchObject({
      billingIncrementMinutes: 15,
      billingRoundingDirection: BillingRoundingDirection.BILLING_ROUNDING_DIRECTION_UP,
    });
  });

  it("lists entries by client, billability, invoicing and period, in started_at order", async () => {
    const client = await newClient({ defaultHourlyRate: "100" });
    await newEntry({
      clientId: client.id,
      startedAt: at("10:00", "07"),
      durationMinutes: 30,
      category: BillableTimeCategory.BILLABLE_TIME_CATEGORY_ONSITE,
    });
    await newEntry({ clientId: client.id, startedAt: at("10:00", "06"), durationMinutes: 30, isBillable: false });
    const list = (filter: string) =>
      call(stack.billableTime, "listBillableTime", {
        pageSize: 10,
        pageToken: "",
        filter: `client_id = "${client.id}" AND ${filter}`,
        orderBy: "",
      });
    expect((await list("is_billable = true")).billableTime.map((e) => e.category)).toEqual([
      BillableTimeCategory.BILLABLE_TIME_CATEGORY_ONSITE,
    ]);
    expect((await list('started_at >= "2026-01-06T00:00:00Z"')).billableTime.map((e) => e.startedAt?.toISOString())).toEqual([
      "2026-01-06T10:00:00.000Z",
      "2026-01-07T10:00:00.000Z",
    ]);
    expect((await list('category = "onsite"')).billableTime).toHaveLength(1);
  });
});
