import { status } from "@grpc/grpc-js";
import { call, expectStatus } from "@msp/testing";
import { BillableTime, BillableTimeCategory } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { BillingRoundingDirection, BillingRoundingScope, Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { Project } from "@msp/proto/src/gen/ts/msp/work/v1/project";
import { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { exportColumns } from "../billing-reports";
import { parseCsv } from "../csv";
import type { WorkStack } from "./work-test-stack";
import { startWorkStack } from "./work-test-stack";

let stack: WorkStack;
beforeAll(async () => {
  stack = await startWorkStack();
});
afterAll(async () => {
  await stack.stop();
});

const at = (day: string, time: string) => new Date(`2026-${day}T${time}:00Z`);
const newEntry = (partial: Partial<BillableTime>) =>
  call(stack.billableTime, "createBillableTime", { billableTime: BillableTime.fromPartial(partial) });
const summary = (clientId: string, start?: Date, end?: Date) =>
  call(stack.billableTime, "getBillingSummary", { clientId, ...(start ? { start } : {}), ...(end ? { end } : {}) });
const exportCsv = (clientId: string, start?: Date, end?: Date, uninvoicedOnly = false) =>
  call(stack.billableTime, "exportBillableTime", { clientId, uninvoicedOnly, ...(start ? { start } : {}), ...(end ? { end } : {}) });
const { CONSULTING, SUPPORT, ONSITE, UNSPECIFIED } = {
  CONSULTING: BillableTimeCategory.BILLABLE_TIME_CATEGORY_CONSULTING,
  SUPPORT: BillableTimeCategory.BILLABLE_TIME_CATEGORY_SUPPORT,
  ONSITE: BillableTimeCategory.BILLABLE_TIME_CATEGORY_ONSITE,
  UNSPECIFIED: BillableTimeCategory.BILLABLE_TIME_CATEGORY_UNSPECIFIED,
};

/** A client billed per session, nearest 15, with two projects, time in January and February. */
async function billedClient(name: string) {
  const client = await call(stack.clients, "createClient", {
    client: Client.fromPartial({
      name,
      defaultHourlyRate: "100",
      billingRoundingScope: BillingRoundingScope.BILLING_ROUNDING_SCOPE_PER_SESSION,
      billingRoundingDirection: BillingRoundingDirection.BILLING_ROUNDING_DIRECTION_NEAREST,
    }),
  });
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const web = await call(stack.projects, "createProject", {
    project: Project.fromPartial({ clientId: client.id, name: "Website", slug: `${slug}-web`, hourlyRate: "150" }),
  });
  const mail = await call(stack.projects, "createProject", {
    project: Project.fromPartial({ clientId: client.id, name: "Mail migration", slug: `${slug}-mail` }),
  });
  const session = await call(stack.sessions, "createSession", { session: Session.fromPartial({ clientId: client.id, projectId: web.id }) });
  // Website, one session: 45 + 45 + 5 = 95 raw, 90 billed as a session total (per entry it would be 105).
  const web1 = await newEntry({ sessionId: session.id, startedAt: at("01-05", "09:00"), durationMinutes: 45, category: CONSULTING });
  const web2 = await newEntry({ sessionId: session.id, startedAt: at("01-05", "10:00"), durationMinutes: 45, category: CONSULTING });
  const web3 = await newEntry({ sessionId: session.id, startedAt: at("01-05", "11:00"), durationMinutes: 5, category: CONSULTING });
  // Mail migration, no session: each rounded alone; one written off.
  const mail1 = await newEntry({
    clientId: client.id,
    projectId: mail.id,
    startedAt: at("01-12", "14:00"),
    durationMinutes: 20,
    category: SUPPORT,
    description: 'Moved the "sales", "info" mailboxes',
  });
  const mail2 = await newEntry({
    clientId: client.id,
    projectId: mail.id,
    startedAt: at("01-13", "14:00"),
    durationMinutes: 60,
    category: SUPPORT,
    isBillable: false,
  });
  // No project: onsite visit on Jan 20, uncategorised call in February.
  const visit = await newEntry({
    clientId: client.id,
    startedAt: at("01-20", "08:00"),
    endedAt: at("01-20", "10:15"),
    category: ONSITE,
    hourlyRate: "99.99",
    description: "=cmd|' /C calc'!A0, on site",
  });
  const call2 = await newEntry({ clientId: client.id, startedAt: at("02-02", "16:00"), durationMinutes: 7 });
  return { client, web, mail, session, entries: { web1, web2, web3, mail1, mail2, visit, call2 } };
}

describe("GetBillingSummary", () => {
  it("sums raw and billed minutes and amounts per project and category, with per-session rounding", async () => {
    const { client, web, mail, entries } = await billedClient("Summary Co");
    await call(stack.billableTime, "markInvoiced", { billableTimeIds: [entries.web1.id, entries.web2.id], invoiceReference: "INV-1" });
    const january = await summary(client.id, at("01-01", "00:00"), at("02-01", "00:00"));
    expect(january).toMatchObject({
      clientId: client.id,
      clientName: "Summary Co",
      start: at("01-01", "00:00"),
      end: at("02-01", "00:00"),
      billingIncrementMinutes: 15,
      billingRoundingDirection: BillingRoundingDirection.BILLING_ROUNDING_DIRECTION_NEAREST,
      billingMinimumMinutes: 15,
      billingRoundingScope: BillingRoundingScope.BILLING_ROUNDING_SCOPE_PER_SESSION,
    });
    const rows = january.lines.map((l) => [
      l.projectName,
      l.category,
      l.entryCount,
      l.rawMinutes,
      l.billedMinutes,
      l.nonBillableMinutes,
      l.amount,
      l.invoicedAmount,
      l.uninvoicedAmount,
    ]);
    expect(rows).toEqual([
      // Mail migration (by name, before Website): 20 raw -> nearest 15 -> 15 at 100/h; 60 written off.
      ["Mail migration", SUPPORT, 2, 20, 15, 60, "25.00", "0.00", "25.00"],
      // Website: 95 raw, billed 90 as one session total at 150/h; 45 + 45 invoiced.
      ["Website", CONSULTING, 3, 95, 90, 0, "225.00", "225.00", "0.00"],
      // No project: 135 minutes at 99.99/h = 224.9775 -> 224.98.
      ["", ONSITE, 1, 135, 135, 0, "224.98", "0.00", "224.98"],
    ]);
    expect(january.lines.map((l) => l.projectId)).toEqual([mail.id, web.id, undefined]);
    expect(january.totals).toMatchObject({
      entryCount: 6,
      rawMinutes: 250,
      billedMinutes: 240,
      nonBillableMinutes: 60,
      amount: "474.98",
      invoicedAmount: "225.00",
      uninvoicedAmount: "249.98",
    });

    // Without a period: everything, February's uncategorised 7 minutes (nearest 15 -> 0, minimum 15) included.
    const all = await summary(client.id);
    expect(all.start).toBeUndefined();
    expect(all.lines[all.lines.length - 1]).toMatchObject({
      projectName: "",
      category: UNSPECIFIED,
      rawMinutes: 7,
      billedMinutes: 15,
      amount: "25.00",
    });
    expect(all.totals).toMatchObject({ entryCount: 7, billedMinutes: 255, amount: "499.98" });
  });

  it("refuses a bad client or period, and answers an empty one", async () => {
    await expectStatus(summary(""), status.INVALID_ARGUMENT, /client_id: is required/);
    await expectStatus(summary("x"), status.INVALID_ARGUMENT, /client_id: must be a UUID/);
    await expectStatus(summary("0190f5c8-0000-7000-8000-000000000000"), status.NOT_FOUND);
    const client = await call(stack.clients, "createClient", { client: Client.fromPartial({ name: "Quiet Co" }) });
    await expectStatus(summary(client.id, at("02-01", "00:00"), at("01-01", "00:00")), status.INVALID_ARGUMENT, /end: must be after start/);
    const empty = await summary(client.id);
    expect(empty.lines).toEqual([]);
    expect(empty.totals).toMatchObject({ entryCount: 0, billedMinutes: 0, amount: "0.00" });
  });
});

describe("ExportBillableTime", () => {
  it("writes the billable entries of a period as CSV an accounting tool can import", async () => {
    const { entries } = await billedClient("Export, Ltd");
    const client = (await call(stack.clients, "listClients", { pageSize: 1, pageToken: "", filter: 'name = "Export, Ltd"', orderBy: "" }))
      .clients[0]!;
    await call(stack.billableTime, "markInvoiced", {
      billableTimeIds: [entries.web1.id],
      invoiceReference: "INV-7",
      invoicedAt: at("01-31", "12:00"),
    });
    const file = await exportCsv(client.id, at("01-01", "00:00"), at("02-01", "00:00"));
    expect(file).toMatchObject({
      filename: "billable-time-export-ltd-2026-01-01-2026-02-01.csv",
      contentType: "text/csv; charset=utf-8; header=present",
    });
    expect(file.csv.endsWith("\r\n")).toBe(true);
    const [header, ...rows] = parseCsv(file.csv);
    expect(header).toEqual([...exportColumns]);
    // Billable entries only (mail2 is written off), in started_at order.
    expect(file.rowCount).toBe(5);
    expect(rows.map((r) => r[0])).toEqual([entries.web1.id, entries.web2.id, entries.web3.id, entries.mail1.id, entries.visit.id]);
    const byColumn = rows.map((r) => Object.fromEntries(exportColumns.map((c, i) => [c, r[i]])));
    expect(byColumn[0]).toEqual({
      entry_id: entries.web1.id,
      date: "2026-01-05",
      started_at: "2026-01-05T09:00:00Z",
      ended_at: "",
      client: "Export, Ltd",
      project: "Website",
      category: "consulting",
      description: "",
      raw_minutes: "45",
      billed_minutes: "45",
      hourly_rate: "150.00",
      amount: "112.50",
      invoiced: "2026-01-31",
      invoice_reference: "INV-7",
      review: "not_required",
    });
    expect(byColumn[2]).toMatchObject({ raw_minutes: "5", billed_minutes: "0", amount: "0.00", invoiced: "" });
    expect(byColumn[3]).toMatchObject({
      project: "Mail migration",
      description: 'Moved the "sales", "info" mailboxes',
      category: "support",
    });
    // A formula in the description does not run in a spreadsheet.
    expect(byColumn[4]).toMatchObject({
      started_at: "2026-01-20T08:00:00Z",
      ended_at: "2026-01-20T10:15:00Z",
      description: "'=cmd|' /C calc'!A0, on site",
      hourly_rate: "99.99",
      amount: "224.98",
      category: "onsite",
      project: "",
    });
    // The amounts add up to the summary's for January (474.98).
    const total = rows.reduce((cents, r) => cents + Math.round(Number(r[11]) * 100), 0);
    expect(total).toBe(47498);
    const uninvoiced = await exportCsv(client.id, undefined, undefined, true);
    // An open period is named by its first entry's day and today.
    expect(uninvoiced.filename).toBe(`billable-time-export-ltd-2026-01-05-${new Date().toISOString().slice(0, 10)}.csv`);
    expect(
      parseCsv(uninvoiced.csv)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([entries.web2.id, entries.web3.id, entries.mail1.id, entries.visit.id, entries.call2.id]);
  });
});
