import { quoteFilter } from "../platform/platform-client";
import type { WorkItem } from "../platform/platform-types";
import type { DeliveryContext } from "./delivery-context";
import type { WorkItemDraft } from "./session-summary";

/** When the session's work happened, from its transcript's timestamps (active-time.ts). */
export interface WorkTimes {
  startedAt?: string;
  endedAt?: string;
  activeMinutes: number;
}

/**
 * Writes the session's work items: creates the missing ones and updates those whose text
 * changed, matched by title, so the many Stops of one session never add the same item twice.
 * No category is sent: the work service guesses it from the text. The items are recorded after
 * the fact, so each carries the session's times of the work: it started with the transcript's
 * first record and, once completed, ended with its last; the session's main item (the first
 * draft) also carries the active minutes (pauses left out). Returns the main item's id.
 */
export async function upsertWorkItems(
  ctx: DeliveryContext,
  sessionId: string,
  drafts: readonly WorkItemDraft[],
  times: WorkTimes,
): Promise<string | undefined> {
  const existing = await ctx.platform.listRaw<
    WorkItem & { problem?: string; cause?: string; fix?: string; verify?: string; status?: string }
  >("/api/v1/workItems", "workItems", `session_id = ${quoteFilter(sessionId)}`, ctx.timeoutMs());
  const byTitle = new Map(existing.map((item) => [(item.title ?? "").toLowerCase(), item]));
  let mainId: string | undefined;
  for (const [index, draft] of drafts.entries()) {
    const completed = draft.status === "WORK_ITEM_STATUS_COMPLETED";
    const fields: Record<string, unknown> = {
      title: draft.title,
      status: draft.status,
      affectedSystems: draft.affectedSystems,
      technologiesUsed: draft.technologiesUsed,
      ...(draft.problem ? { problem: draft.problem } : {}),
      ...(draft.cause ? { cause: draft.cause } : {}),
      ...(draft.fix ? { fix: draft.fix } : {}),
      ...(draft.verify ? { verify: draft.verify } : {}),
      ...(times.startedAt ? { startedAt: times.startedAt } : {}),
      ...(completed && times.endedAt ? { completedAt: times.endedAt } : {}),
      ...(completed && index === 0 && times.startedAt ? { actualMinutes: times.activeMinutes } : {}),
    };
    const found = byTitle.get(draft.title.toLowerCase());
    if (!found) {
      const created = await ctx.platform.createWorkItem({ sessionId, ...fields }, ctx.timeoutMs());
      if (index === 0) mainId = created.id;
      continue;
    }
    if (index === 0) mainId = found.id;
    const changed = Object.fromEntries(
      Object.entries(fields).filter(([key, value]) => !sameValue((found as unknown as Record<string, unknown>)[key], value, key)),
    );
    if (Object.keys(changed).length > 0) await ctx.platform.updateWorkItem(found.id, changed, ctx.timeoutMs());
  }
  return mainId;
}

/** Times compare as instants (the service writes them in its own form); other values as JSON. */
function sameValue(stored: unknown, sent: unknown, key: string): boolean {
  if (key.endsWith("At") && typeof stored === "string" && typeof sent === "string") return Date.parse(stored) === Date.parse(sent);
  return JSON.stringify(stored ?? null) === JSON.stringify(sent);
}
