import { isUuid } from "@msp/db";
import { aborted, invalidArgument, notFound } from "@msp/errors";
import type { MutationContext, ResourceStore } from "@msp/resource-kit";
import { etagOf, writeAuditEvents } from "@msp/resource-kit";
import type { BillableTime, ReviewBillableTimeRequest } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { lockEntrySession, rebill } from "./billable-time-rules";
import { reviewChange } from "./billable-time-review";
import { BillableTimeModel } from "./models";

/**
 * A technician's review of automatically recorded time (billable-time-review.ts says what each
 * decision changes): written with who and when, audited as an update with the decision and the
 * note, and the entry's session billed again in the same transaction.
 */
export async function reviewBillableTime(
  store: ResourceStore<BillableTime>,
  request: ReviewBillableTimeRequest,
  ctx: MutationContext,
): Promise<BillableTime> {
  if (!isUuid(request.id)) throw invalidArgument("id", "must be a UUID");
  const id = request.id.toLowerCase();
  return store.mutate(ctx, async (hook) => {
    const { transaction } = hook;
    await lockEntrySession(id, hook);
    const entry = (await BillableTimeModel.findOne({ where: { id }, raw: true, transaction })) as unknown as Record<string, unknown> | null;
    if (!entry) throw notFound("billable_time", id);
    const revision = Number(entry["revision"]);
    if (request.etag !== "" && request.etag !== etagOf(id, revision)) {
      throw aborted("the billable_time was changed by someone else (stale etag); read it again and retry");
    }
    const change = reviewChange({ ...entry, is_invoiced: Boolean(entry["is_invoiced"]) }, request);
    const reviewed = { ...change, reviewed_at: new Date(), reviewed_by: ctx.principal.slice(0, 255) };
    const [count] = await BillableTimeModel.update(
      { ...reviewed, revision: revision + 1, updated_at: new Date() },
      { where: { id, revision }, transaction },
    );
    if (count !== 1) throw aborted("the billable_time was changed by someone else; read it again and retry");
    await writeAuditEvents(transaction, ctx, [{ resourceType: "billable_time", resourceId: id, action: "update", summary: reviewed }]);
    await rebill(hook, { entryIds: [id], sessionIds: [entry["session_id"]] });
    return store.getWithin(transaction, id);
  });
}
