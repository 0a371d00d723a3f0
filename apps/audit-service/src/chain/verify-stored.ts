import type { ChainAnchor, Checkpoint, VerifyResult } from "@msp/audit-chain";
import { ChainVerifier, checkpointSignatureValid } from "@msp/audit-chain";
import { invalidArgument } from "@msp/errors";
import type { ChainStore } from "./chain-store";
import type { ChainKeys } from "./keys";
import { combineResults, splitAtCheckpoints, verifyPart } from "./verify-part";
import type { VerifyPool } from "./verify-pool";

/** The range to verify; the whole chain when unset (0). */
export interface VerifyRange {
  fromSeq: number;
  toSeq: number;
}

const checkpointsPerPage = 10_000;

/** How a verify may spread over worker threads. */
export interface VerifyWorkers {
  /** Parts run side by side at most (1: all in the calling thread). */
  count: number;
  /** No part smaller than this: below it a thread costs more than it saves. */
  minEventsPerPart: number;
  /** The worker threads. */
  pool: VerifyPool;
}

/**
 * Recomputes the stored chain over a range: every event's HMAC and link, every checkpoint's
 * signature and hash, and the anchor a prune left. Events before `fromSeq` are trusted as stored
 * (the range starts from the stored hash of fromSeq - 1). A long range is cut at signed
 * checkpoints into parts verified side by side in worker threads, each part starting from the hash
 * of the checkpoint the part before checks.
 */
export async function verifyStoredChain(
  store: ChainStore,
  keys: ChainKeys,
  range: VerifyRange,
  maxEventsBetweenCheckpoints: number,
  workers?: VerifyWorkers,
): Promise<VerifyResult> {
  if (range.fromSeq < 0 || range.toSeq < 0) throw invalidArgument(range.fromSeq < 0 ? "from_seq" : "to_seq", "must not be negative");
  if (range.toSeq > 0 && range.fromSeq > range.toSeq) throw invalidArgument("from_seq", `must not be after to_seq (${range.toSeq})`);
  const chainAnchor = await store.anchor();
  // Read before the head: a checkpoint is committed with its events, so one that exists now and
  // lies past the head read next signs events that are gone; one the drain adds meanwhile does not count.
  const newestCheckpoint = range.toSeq > 0 ? null : await store.lastCheckpoint();
  const head = await store.head();
  if (range.fromSeq > head.seq) throw invalidArgument("from_seq", `is after the newest event (seq ${head.seq})`);
  const toSeq = range.toSeq > 0 ? Math.min(range.toSeq, head.seq) : head.seq;
  const startSeq = (chainAnchor?.seq ?? 0) + 1;
  let anchor: ChainAnchor | null = chainAnchor;
  if (range.fromSeq > startSeq) {
    const hash = await store.hashAt(range.fromSeq - 1);
    // A missing predecessor is a gap the verifier reports at fromSeq - 1's successor; start from it.
    anchor = hash === undefined ? chainAnchor : { seq: range.fromSeq - 1, hash };
  }
  const fromSeq = (anchor?.seq ?? 0) + 1;

  const anchorFailure = chainAnchor && fromSeq === startSeq ? await checkAnchor(store, keys, chainAnchor) : null;
  if (anchorFailure) {
    const empty = new ChainVerifier({ hmacKey: keys.hmacKey, publicKey: keys.publicKey, anchor, maxEventsBetweenCheckpoints });
    return { ...empty.finish(), ok: false, failure: anchorFailure };
  }

  // Over the whole chain, checkpoints past the newest event count too: events they sign are missing.
  const checkpointsTo = range.toSeq > 0 ? toSeq : Math.max(toSeq, newestCheckpoint?.seq ?? 0);
  const checkpoints: Checkpoint[] = [];
  for (let after = fromSeq - 1; ; ) {
    const page = await store.checkpoints(after + 1, checkpointsTo, checkpointsPerPage);
    checkpoints.push(...page);
    if (page.length < checkpointsPerPage) break;
    after = page[page.length - 1]!.seq;
  }

  const parts = workers
    ? splitAtCheckpoints(anchor, toSeq, checkpoints, workers.count, workers.minEventsPerPart, maxEventsBetweenCheckpoints)
    : [];
  if (!workers || parts.length < 2) {
    return verifyPart(store, keys.hmacKey, keys.publicKey, { anchor, toSeq, checkpoints, maxEventsBetweenCheckpoints });
  }
  const publicKeyPem = keys.publicKey.export({ type: "spki", format: "pem" }).toString();
  const results = await Promise.all(parts.map((part) => workers.pool.run(keys.hmacKey, publicKeyPem, part)));
  return combineResults(results);
}

/** The anchor a prune left must be a checkpoint with a good signature and the anchor's hash. */
async function checkAnchor(store: ChainStore, keys: ChainKeys, anchor: ChainAnchor): Promise<VerifyResult["failure"]> {
  const [checkpoint] = await store.checkpoints(anchor.seq, anchor.seq, 1);
  if (!checkpoint) {
    return {
      seq: anchor.seq,
      problem: "missing_checkpoint",
      detail: `the chain starts after seq ${anchor.seq}, but the checkpoint that anchors it is gone`,
    };
  }
  if (!checkpointSignatureValid(keys.publicKey, checkpoint)) {
    return {
      seq: anchor.seq,
      problem: "bad_signature",
      detail: `the anchor checkpoint at seq ${anchor.seq} does not verify with the public key`,
    };
  }
  if (checkpoint.hash !== anchor.hash) {
    return {
      seq: anchor.seq,
      problem: "checkpoint_mismatch",
      detail: `the chain's anchor hash differs from the signed checkpoint at seq ${anchor.seq}`,
    };
  }
  return null;
}
