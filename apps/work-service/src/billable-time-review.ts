import { failedPrecondition, invalidArgument } from "@msp/errors";
import type { StoredRecord } from "@msp/resource-kit";
import { textOf } from "@msp/resource-kit";
import { BillableTimeReviewDecision } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import type { ReviewBillableTimeRequest } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { maxEntryMinutes } from "./billable-time-rules";

/** Where billable time came from, as stored. */
export const automaticSource = "claude_code_session";

/** Review states, as stored: only approved and adjusted automatic time (and manual time) may be invoiced. */
export const reviewStates = ["not_required", "pending", "approved", "adjusted", "rejected"] as const;
export type ReviewState = (typeof reviewStates)[number];

/** Automatic time waits for a review; time entered by hand needs none. Set on creation only. */
export function settleSource(row: StoredRecord, existing: StoredRecord | undefined): void {
  if (existing) {
    if (row["source"] !== existing["source"]) throw invalidArgument("billable_time.source", "cannot be changed after creation");
    return;
  }
  if (!row["source"]) row["source"] = "manual";
  row["review_status"] = row["source"] === automaticSource ? "pending" : "not_required";
}

/** Why an entry cannot be invoiced yet, or undefined when it can (review-wise). */
export function reviewRefusal(reviewStatus: unknown): string | undefined {
  if (reviewStatus === "pending") return "recorded automatically and not reviewed yet (approve or adjust it first)";
  if (reviewStatus === "rejected") return "rejected in review";
  return undefined;
}

/** The change a review makes to an entry's stored row. */
export interface ReviewChange {
  review_status: ReviewState;
  review_note: string | null;
  started_at?: Date;
  ended_at?: null;
  duration_minutes?: number;
  is_billable?: boolean;
  rounded_minutes?: number;
  amount?: string;
}

/**
 * The change a review makes: approve keeps the entry as recorded; adjust changes its minutes
 * (and start), its end then following from them; reject makes it not billable, kept for the record.
 * Refused for an entry that needs no review, or is invoiced, and for input that does not fit the decision.
 */
export function reviewChange(entry: StoredRecord, request: ReviewBillableTimeRequest): ReviewChange {
  if (entry["review_status"] === "not_required") {
    throw failedPrecondition(`billable time ${textOf(entry["id"])} was entered by hand and needs no review`);
  }
  if (entry["is_invoiced"] === true)
    throw failedPrecondition(`billable time ${textOf(entry["id"])} is invoiced; it cannot be reviewed again`);
  const note = request.note.trim();
  if (note.length > 500) throw invalidArgument("note", "must be at most 500 characters");
  const adjusting = request.decision === BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_ADJUST;
  if (!adjusting) {
    if (request.durationMinutes !== undefined) throw invalidArgument("duration_minutes", "is only taken with decision ADJUST");
    if (request.startedAt !== undefined) throw invalidArgument("started_at", "is only taken with decision ADJUST");
  }
  switch (request.decision) {
    case BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_APPROVE:
      return { review_status: "approved", review_note: note || null };
    case BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_REJECT:
      if (note === "") throw invalidArgument("note", "is required to reject: say why the time is not billed");
      // Not billable bills nothing (the session's share follows in rebill).
      return { review_status: "rejected", review_note: note, is_billable: false, rounded_minutes: 0, amount: "0.00" };
    case BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_ADJUST: {
      if (note === "") throw invalidArgument("note", "is required to adjust: say what was wrong");
      const minutes = request.durationMinutes;
      if (minutes === undefined) throw invalidArgument("duration_minutes", "is required to adjust: the minutes really worked");
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > maxEntryMinutes) {
        throw invalidArgument("duration_minutes", `must be 0-${maxEntryMinutes}`);
      }
      const startedAt = request.startedAt;
      if (startedAt && (Number.isNaN(startedAt.getTime()) || startedAt.getUTCFullYear() < 1970 || startedAt.getUTCFullYear() > 9999)) {
        throw invalidArgument("started_at", "must be a timestamp between 1970 and 9999");
      }
      return {
        review_status: "adjusted",
        review_note: note,
        duration_minutes: minutes,
        ended_at: null,
        ...(startedAt ? { started_at: startedAt } : {}),
      };
    }
    case BillableTimeReviewDecision.BILLABLE_TIME_REVIEW_DECISION_UNSPECIFIED:
    case BillableTimeReviewDecision.UNRECOGNIZED:
      break;
  }
  throw invalidArgument("decision", "is required: APPROVE, ADJUST or REJECT");
}
