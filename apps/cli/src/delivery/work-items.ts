import { quoteFilter } from "../platform/platform-client";
import type { WorkItem } from "../platform/platform-types";
import type { DeliveryContext } from "./delivery-context";
import type { WorkItemDraft } from "./session-summary";

/**
 * Writes the session's work items: creates the missing ones and updates those whose text
 * changed, matched by title, so the many Stops of one session never add the same item twice.
 * No category is sent: the work service guesses it from the text.
 */
export async function upsertWorkItems(ctx: DeliveryContext, sessionId: string, drafts: readonly WorkItemDraft[]): Promise<void> {
  const existing = await ctx.platform.listRaw<
    WorkItem & { problem?: string; cause?: string; fix?: string; verify?: string; status?: string }
  >("/api/v1/workItems", "workItems", `session_id = ${quoteFilter(sessionId)}`, ctx.timeoutMs());
  const byTitle = new Map(existing.map((item) => [(item.title ?? "").toLowerCase(), item]));
  for (const draft of drafts) {
    const fields: Record<string, unknown> = {
      title: draft.title,
      status: draft.status,
      affectedSystems: draft.affectedSystems,
      technologiesUsed: draft.technologiesUsed,
      ...(draft.problem ? { problem: draft.problem } : {}),
      ...(draft.cause ? { cause: draft.cause } : {}),
      ...(draft.fix ? { fix: draft.fix } : {}),
      ...(draft.verify ? { verify: draft.verify } : {}),
    };
    const found = byTitle.get(draft.title.toLowerCase());
    if (!found) {
      await ctx.platform.createWorkItem({ sessionId, ...fields }, ctx.timeoutMs());
      continue;
    }
    const changed = Object.fromEntries(
      Object.entries(fields).filter(
        ([key, value]) => JSON.stringify((found as unknown as Record<string, unknown>)[key] ?? null) !== JSON.stringify(value),
      ),
    );
    if (Object.keys(changed).length > 0) await ctx.platform.updateWorkItem(found.id, changed, ctx.timeoutMs());
  }
}
