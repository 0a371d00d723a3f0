import type { BillableTime, WorkSession } from "../platform/platform-types";
import type { ActiveTime } from "./active-time";
import type { DeliveryContext } from "./delivery-context";

/** Marks the billable time entries the CLI writes, so a later SessionEnd updates its own entry only. */
export const billableDescriptionPrefix = "Claude Code session: ";

/** Time recorded here is marked so: the work service holds it for a technician's review before invoicing. */
const automaticSource = "BILLABLE_TIME_SOURCE_CLAUDE_CODE_SESSION";
const reviewed = new Set([
  "BILLABLE_TIME_REVIEW_STATUS_APPROVED",
  "BILLABLE_TIME_REVIEW_STATUS_ADJUSTED",
  "BILLABLE_TIME_REVIEW_STATUS_REJECTED",
]);

/**
 * The session's billable time: one entry of its active minutes (pauses over ten minutes left out),
 * created on the first SessionEnd and kept up to date by later ones until a technician reviews it
 * or it is invoiced. It is marked as recorded from a Claude Code session, so the work service
 * holds it for review, and tied to the session's main work item, whose category it takes.
 * Whether it is billed, and how it is rounded and priced, is the work service's rule.
 */
export async function recordBillableTime(
  ctx: DeliveryContext,
  session: WorkSession,
  active: ActiveTime,
  title: string,
  workItemId?: string,
): Promise<void> {
  const startedAt = active.startedAt ?? session.startedAt;
  if (!startedAt) return;
  const description = `${billableDescriptionPrefix}${title}`.slice(0, 1000);
  const fields = { startedAt, durationMinutes: Math.min(active.activeMinutes, 10_080), description };
  const page = await ctx.platform.listBillableTime(session.id, ctx.timeoutMs());
  const ours: BillableTime | undefined = page.items.find((entry) => entry.description?.startsWith(billableDescriptionPrefix));
  if (!ours) {
    await ctx.platform.createBillableTime(
      { sessionId: session.id, ...(workItemId ? { workItemId } : {}), source: automaticSource, ...fields },
      ctx.timeoutMs(),
    );
    return;
  }
  // A technician's review (approved, adjusted, rejected) is theirs to keep.
  if (ours.isInvoiced || reviewed.has(ours.reviewStatus ?? "")) return;
  if (ours.durationMinutes === fields.durationMinutes && sameTime(ours.startedAt, startedAt) && ours.description === description) return;
  await ctx.platform.updateBillableTime(ours.id, { startedAt, durationMinutes: fields.durationMinutes, description }, ctx.timeoutMs());
}

function sameTime(a: string | undefined, b: string): boolean {
  return a !== undefined && Date.parse(a) === Date.parse(b);
}
