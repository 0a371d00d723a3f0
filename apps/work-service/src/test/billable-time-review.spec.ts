import { status } from "@grpc/grpc-js";
import { QueryTypes } from "sequelize";
import { call, expectStatus } from "@msp/testing";
import { createResourceStore } from "@msp/resource-kit";
import {
  BillableTime,
  BillableTimeCategory,
  BillableTimeReviewDecision,
  BillableTimeReviewStatus,
  BillableTimeSource,
} from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { Session, SessionStatus } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { WorkItem, WorkItemCategory } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import { closeIdleSessions } from "../idle-sessions";
import { parseCsv } from "../csv";
import { sessionResource } from "../session.resource";
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
const at = (time: string) => new Date(`2026-02-03T${time}:00Z`);
const newClient = () =>
  call(stack.clients, "createClient", { client: Client.fromPartial({ name: `Review ${++serial}`, defaultHourlyRate: "120" }) });
const newSession = (partial: Partial<Session>) => call(stack.sessions, "createSession", { session: Session.fromPartial(partial) });
const newEntry = (partial: Partial<BillableTime>) =>
  call(stack.billableTime, "createBillableTime", { billableTime: BillableTime.fromPartial(partial) });
const review = (
  id: string,
  decision: BillableTimeReviewDecision,
  extra: { durationMinutes?: number; startedAt?: Date; note?: string } = {},
) => call(stack.billableTime, "reviewBillableTime", { id, decision, note: "", etag: "", ...extra });
const summaryOf = (clientId: string) => call(stack.billableTime, "getBillingSummary", { clientId });
const markInvoiced = (billableTimeIds: string[]) =>
  call(stack.billableTime, "markInvoiced", { billableTimeIds, invoiceReference: "INV-1" });
const { APPROVE, ADJUST, REJECT } = {
  APPROVE: BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_APPROVE,
  ADJUST: BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_ADJUST,
  REJECT: BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_REJECT,
};

/** A client's session with an automatic entry of `minutes` on a development work item. */
/** The export's review column, by entry id. */
async function reviewColumn(clientId: string): Promise<Record<string, string>> {
  const { csv } = await call(stack.billableTime, "exportBillableTime", { clientId, uninvoicedOnly: false });
  const [header, ...rows] = parseCsv(csv);
  expect(header?.at(-1)).toBe("review");
  return Object.fromEntries(rows.map((row) => [row[0]!, row.at(-1)!]));
}

async function automaticEntry(minutes = 50) {
  const client = await newClient();
  const session = await newSession({ clientId: client.id, startedAt: at("09:00") });
  const item = await call(stack.workItems, "createWorkItem", {
    workItem: WorkItem.fromPartial({
      sessionId: session.id,
      title: "Build the export",
      category: WorkItemCategory.WORK_ITEM_CATEGORY_DEVELOPMENT,
    }),
  });
  const entry = await newEntry({
    workItemId: item.id,
    startedAt: at("09:00"),
    durationMinutes: minutes,
    source: BillableTimeSource.BILLABLE_TIME_SOURCE_CLAUDE_CODE_SESSION,
  });
  return { client, session, item, entry };
}

describe("BillableTimeService: review of automatic time", () => {
  it("holds automatic time for review: apart in the summary, refused by invoicing until approved", async () => {
    const { client, entry } = await automaticEntry(50);
    expect(entry).toMatchObject({
      source: BillableTimeSource.BILLABLE_TIME_SOURCE_CLAUDE_CODE_SESSION,
      reviewStatus: BillableTimeReviewStatus.BILLABLE_TIME_REVIEW_STATUS_PENDING,
      category: BillableTimeCategory.BILLABLE_TIME_CATEGORY_DEVELOPMENT,
      clientId: client.id,
      roundedMinutes: 60,
      amount: "120.00",
    });
    const manual = await newEntry({ clientId: client.id, startedAt: at("13:00"), durationMinutes: 15 });
    expect(manual.reviewStatus).toBe(BillableTimeReviewStatus.BILLABLE_TIME_REVIEW_STATUS_NOT_REQUIRED);

    const pending = await summaryOf(client.id);
    expect(pending.unreviewed).toMatchObject({ entryCount: 1, rawMinutes: 50, billedMinutes: 60, amount: "120.00" });
    expect(pending.totals).toMatchObject({ entryCount: 1, rawMinutes: 15, amount: "30.00" });
    // The export lists it, saying it waits for review, so an accounting run does not bill it as ready.
    expect(await reviewColumn(client.id)).toEqual({ [entry.id]: "pending", [manual.id]: "not_required" });

    await expectStatus(
      markInvoiced([manual.id, entry.id]),
      status.FAILED_PRECONDITION,
      new RegExp(`no entry was marked invoiced; recorded automatically and not reviewed yet .*: ${entry.id}`),
    );
    await expectStatus(review(manual.id, APPROVE), status.FAILED_PRECONDITION, /entered by hand and needs no review/);

    const approved = await review(entry.id, APPROVE);
    expect(approved).toMatchObject({
      reviewStatus: BillableTimeReviewStatus.BILLABLE_TIME_REVIEW_STATUS_APPROVED,
      reviewedBy: expect.any(String),
      amount: "120.00",
    });
    expect(approved.reviewedAt).toBeInstanceOf(Date);
    const reviewed = await summaryOf(client.id);
    expect(reviewed.unreviewed).toMatchObject({ entryCount: 0, amount: "0.00" });
    expect(reviewed.totals).toMatchObject({ entryCount: 2, rawMinutes: 65, amount: "150.00" });
    expect(await reviewColumn(client.id)).toEqual({ [entry.id]: "approved", [manual.id]: "not_required" });
    const invoiced = await markInvoiced([manual.id, entry.id]);
    expect(invoiced.billableTime.map((e) => e.isInvoiced)).toEqual([true, true]);
    await expectStatus(review(entry.id, APPROVE), status.FAILED_PRECONDITION, /is invoiced/);
  });

  it("adjusts the minutes with a note, re-pricing the entry and its session, and audits the review", async () => {
    const { session, entry } = await automaticEntry(50);
    await expectStatus(review(entry.id, ADJUST, { durationMinutes: 20 }), status.INVALID_ARGUMENT, /note: is required to adjust/);
    await expectStatus(review(entry.id, ADJUST, { note: "too long" }), status.INVALID_ARGUMENT, /duration_minutes: is required to adjust/);
    await expectStatus(
      review(entry.id, APPROVE, { durationMinutes: 20 }),
      status.INVALID_ARGUMENT,
      /duration_minutes: is only taken with decision ADJUST/,
    );
    await expectStatus(
      review(entry.id, BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_UNSPECIFIED),
      status.INVALID_ARGUMENT,
      /decision: is required/,
    );

    const adjusted = await review(entry.id, ADJUST, { durationMinutes: 20, startedAt: at("09:30"), note: "lunch break counted" });
    expect(adjusted).toMatchObject({
      reviewStatus: BillableTimeReviewStatus.BILLABLE_TIME_REVIEW_STATUS_ADJUSTED,
      reviewNote: "lunch break counted",
      durationMinutes: 20,
      startedAt: at("09:30"),
      roundedMinutes: 30,
      amount: "60.00",
    });
    expect((await call(stack.sessions, "getSession", { id: session.id })).billableAmount).toBe("60.00");

    const events = await stack.service.service.db.sequelize.query<{ method: string; action: string; request_summary: unknown }>(
      "SELECT method, action, request_summary FROM audit_outbox WHERE resource_id = ? ORDER BY id",
      { replacements: [entry.id], type: QueryTypes.SELECT },
    );
    const reviewEvent = events.find((e) => e.method.endsWith("/ReviewBillableTime"));
    expect(reviewEvent?.action).toBe("update");
    expect(JSON.stringify(reviewEvent?.request_summary)).toContain("adjusted");
  });

  it("rejects with a note: the entry stays, not billable, and is never invoiced", async () => {
    const { client, entry } = await automaticEntry(40);
    await expectStatus(review(entry.id, REJECT), status.INVALID_ARGUMENT, /note: is required to reject/);
    const rejected = await review(entry.id, REJECT, { note: "personal project" });
    expect(rejected).toMatchObject({
      reviewStatus: BillableTimeReviewStatus.BILLABLE_TIME_REVIEW_STATUS_REJECTED,
      isBillable: false,
      amount: "0.00",
    });
    expect((await summaryOf(client.id)).totals).toMatchObject({ nonBillableMinutes: 40, amount: "0.00" });
    await expectStatus(markInvoiced([entry.id]), status.FAILED_PRECONDITION, /rejected in review/);
  });

  it("takes the category from the work item unless one is given", async () => {
    const { session, item } = await automaticEntry();
    const given = await newEntry({
      workItemId: item.id,
      sessionId: session.id,
      startedAt: at("11:00"),
      durationMinutes: 10,
      category: BillableTimeCategory.BILLABLE_TIME_CATEGORY_ONSITE,
    });
    expect(given.category).toBe(BillableTimeCategory.BILLABLE_TIME_CATEGORY_ONSITE);
  });
});

describe("idle Claude Code sessions", () => {
  it("closes a session that never got its SessionEnd at its last activity, after the idle time", async () => {
    const client = await newClient();
    const now = new Date();
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const forgotten = await newSession({
      clientId: client.id,
      externalSessionId: `claude-${++serial}`,
      startedAt: hoursAgo(9),
      endedAt: hoursAgo(6),
    });
    const recent = await newSession({
      clientId: client.id,
      externalSessionId: `claude-${++serial}`,
      startedAt: hoursAgo(9),
      endedAt: hoursAgo(1),
    });
    const byHand = await newSession({ clientId: client.id, startedAt: hoursAgo(9), endedAt: hoursAgo(6) });
    const db = stack.service.service.db;
    const sessions = createResourceStore<Session>(db, sessionResource);
    // As if they were last written when their work ended.
    for (const [id, hours] of [
      [forgotten.id, 6],
      [recent.id, 1],
      [byHand.id, 6],
    ] as const) {
      await db.sequelize.query("UPDATE sessions SET updated_at = ? WHERE id = ?", { replacements: [hoursAgo(hours), id] });
    }
    expect(await closeIdleSessions(db, sessions, 0, now)).toBe(0);
    expect(await closeIdleSessions(db, sessions, 4 * 60, now)).toBeGreaterThanOrEqual(1);
    const closed = await call(stack.sessions, "getSession", { id: forgotten.id });
    expect(closed).toMatchObject({ status: SessionStatus.SESSION_STATUS_COMPLETED, endedAt: hoursAgo(6), durationMinutes: 180 });
    expect((await call(stack.sessions, "getSession", { id: recent.id })).status).toBe(SessionStatus.SESSION_STATUS_IN_PROGRESS);
    expect((await call(stack.sessions, "getSession", { id: byHand.id })).status).toBe(SessionStatus.SESSION_STATUS_IN_PROGRESS);
    const [event] = await db.sequelize.query<{ principal: string }>(
      "SELECT principal FROM audit_outbox WHERE resource_id = ? AND action = 'update'",
      { replacements: [forgotten.id], type: QueryTypes.SELECT },
    );
    expect(event?.principal).toBe("work-service:idle-close");
  });
});
