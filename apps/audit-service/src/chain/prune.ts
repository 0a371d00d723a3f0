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
export async function pruneBefore(db: Database, store: ChainStore, cutoff: Date, ctx: MutationContext): Promise<PruneOutcome> {
  return db.transaction(async (transaction) => {
    const anchor = await store.newestCheckpointBefore(cutoff, transaction);
    if (!anchor) {
      const current = await store.anchor(transaction);
      return {
        prunedEvents: 0n,
        anchorSeq: BigInt(current?.seq ?? 0),
        detail: `no checkpoint anchors an event older than ${cutoff.toISOString()}: nothing to prune`,
      };
    }
    const pruned = await store.pruneThrough(anchor, transaction);
    await writeAuditEvent(transaction, ctx, {
      resourceType: "audit_events",
      resourceId: null,
      action: "delete",
      summary: { pruned_through_seq: anchor.seq, cutoff: cutoff.toISOString(), events: pruned },
    });
    return { prunedEvents: BigInt(pruned), anchorSeq: BigInt(anchor.seq), detail: "" };
  });
}
