import type { Database } from "@msp/db";
import type { MutationContext } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import type { ChainStore } from "./chain-store";

export const dayMs = 86_400_000;

/** What a prune did. */
export interface PruneOutcome {
  prunedEvents: bigint;
  anchorSeq: bigint;
  detail: string;
}

/**
 * Prunes the events that occurred before `cutoff`, up to the newest checkpoint among them, which
 * becomes the chain's anchor (what remains still verifies from it). The prune is itself audited.
 */
export async function pruneBefore(
  db: Database,
  store: ChainStore,
  cutoff: Date,
  ctx: MutationContext,
  audit: "always" | "when-pruned" = "always",
): Promise<PruneOutcome> {
  return db.transaction(async (transaction) => {
    const anchor = await store.newestCheckpointBefore(cutoff, transaction);
    const pruned = anchor ? await store.pruneThrough(anchor, transaction) : 0;
    const anchorSeq = anchor?.seq ?? (await store.anchor(transaction))?.seq ?? 0;
    const detail = anchor ? "" : `no checkpoint anchors an event older than ${cutoff.toISOString()}: nothing to prune`;
    // Every prune asked for is in the log, the ones that found nothing to delete too (the hourly
    // retention run only when it deleted something); the resource is the chain's anchor after it.
    if (anchor || audit === "always")
      await writeAuditEvent(transaction, ctx, {
        resourceType: "audit_chain",
        resourceId: String(anchorSeq),
        action: "delete",
        summary: { pruned_through_seq: anchor?.seq ?? null, cutoff: cutoff.toISOString(), events: pruned },
      });
    return { prunedEvents: BigInt(pruned), anchorSeq: BigInt(anchorSeq), detail };
  });
}
