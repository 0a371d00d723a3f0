import type { StoredRecord } from "@msp/resource-kit";
import { BillableTimeReviewDecision } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import type { ReviewBillableTimeRequest } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { billableCategoryOf } from "./billable-time-rules";
import { reviewChange, reviewRefusal, settleSource } from "./billable-time-review";

const pending: StoredRecord = { id: "e1", source: "claude_code_session", review_status: "pending", is_invoiced: false };
const request = (decision: BillableTimeReviewDecision, extra: Partial<ReviewBillableTimeRequest> = {}): ReviewBillableTimeRequest => ({
  id: "e1",
  decision,
  note: "",
  etag: "",
  ...extra,
});
const { APPROVE, ADJUST, REJECT } = {
  APPROVE: BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_APPROVE,
  ADJUST: BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_ADJUST,
  REJECT: BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_REJECT,
};

describe("settleSource", () => {
  it("holds automatic time for review, needs none for manual time, and keeps the source once set", () => {
    const automatic: StoredRecord = { source: "claude_code_session" };
    settleSource(automatic, undefined);
    expect(automatic["review_status"]).toBe("pending");
    const manual: StoredRecord = {};
    settleSource(manual, undefined);
    expect(manual).toEqual({ source: "manual", review_status: "not_required" });
    expect(() => settleSource({ ...pending, source: "manual" }, pending)).toThrow(/billable_time\.source: cannot be changed/);
  });
});

describe("reviewRefusal", () => {
  it("refuses invoicing pending and rejected time only", () => {
    expect(reviewRefusal("pending")).toMatch(/not reviewed yet/);
    expect(reviewRefusal("rejected")).toMatch(/rejected/);
    for (const state of ["not_required", "approved", "adjusted"]) expect(reviewRefusal(state)).toBeUndefined();
  });
});

describe("reviewChange", () => {
  it("approves as recorded, adjusts minutes and start with a note, rejects as not billable with a note", () => {
    expect(reviewChange(pending, request(APPROVE))).toEqual({ review_status: "approved", review_note: null });
    const start = new Date("2026-02-03T09:30:00Z");
    expect(reviewChange(pending, request(ADJUST, { durationMinutes: 20, startedAt: start, note: " lunch " }))).toEqual({
      review_status: "adjusted",
      review_note: "lunch",
      duration_minutes: 20,
      ended_at: null,
      started_at: start,
    });
    expect(reviewChange(pending, request(REJECT, { note: "personal" }))).toMatchObject({ review_status: "rejected", is_billable: false });
  });

  it("refuses what does not fit the decision or the entry", () => {
    expect(() => reviewChange(pending, request(ADJUST, { note: "x" }))).toThrow(/duration_minutes: is required to adjust/);
    expect(() => reviewChange(pending, request(ADJUST, { note: "x", durationMinutes: 10_081 }))).toThrow(
      /duration_minutes: must be 0-10080/,
    );
    expect(() => reviewChange(pending, request(ADJUST, { durationMinutes: 5 }))).toThrow(/note: is required to adjust/);
    expect(() => reviewChange(pending, request(REJECT))).toThrow(/note: is required to reject/);
    expect(() => reviewChange(pending, request(APPROVE, { durationMinutes: 5 }))).toThrow(/only taken with decision ADJUST/);
    expect(() => reviewChange(pending, request(BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_UNSPECIFIED))).toThrow(
      /decision: is required/,
    );
    expect(() => reviewChange(pending, request(APPROVE, { note: "x".repeat(501) }))).toThrow(/note: must be at most 500/);
    expect(() => reviewChange({ ...pending, review_status: "not_required" }, request(APPROVE))).toThrow(/needs no review/);
    expect(() => reviewChange({ ...pending, review_status: "approved", is_invoiced: true }, request(APPROVE))).toThrow(/is invoiced/);
  });
});

describe("billableCategoryOf", () => {
  it("names a work item's kind of work as an invoice does", () => {
    expect(["development", "troubleshooting", "infrastructure", "documentation", "security"].map(billableCategoryOf)).toEqual([
      "development",
      "support",
      "maintenance",
      "consulting",
      "support",
    ]);
    expect(billableCategoryOf(null)).toBeNull();
  });
});
