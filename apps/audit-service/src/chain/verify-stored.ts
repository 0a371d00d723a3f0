import type { ChainAnchor, ChainEvent, VerifyResult } from "@msp/audit-chain";
import { ChainVerifier, checkpointSignatureValid } from "@msp/audit-chain";
import { invalidArgument } from "@msp/errors";
import type { ChainStore } from "./chain-store";
import type { ChainKeys } from "./keys";

/** The range to verify; the whole chain when unset (0). */
export interface VerifyRange {
  fromSeq: number;
  toSeq: number;
}

/** Events read per query; the next page is read while this one is hashed. */
const pageSize = 5000;
const checkpointsPerPage = 10_000;

/**
 * Recomputes the stored chain over a range: every event's HMAC and link, every checkpoint's
 * signature and hash, and the anchor a prune left. Events before `fromSeq` are trusted as stored
 * (the range starts from the stored hash of fromSeq - 1).
 */
export async function verifyStoredChain(
  store: ChainStore,
  keys: ChainKeys,
  range: VerifyRange,
  maxEventsBetweenCheckpoints: number,
): Promise<VerifyResult> {
  if (range.fromSeq < 0 || range.toSeq < 0) throw invalidArgument(range.fromSeq < 0 ? "from_seq" : "to_seq", "must not be negative");
  if (range.toSeq > 0 && range.fromSeq > range.toSeq) throw invalidArgument("from_seq", `must not be after to_seq (${range.toSeq})`);
  const chainAnchor = await store.anchor();
  // Read before the head: a checkpoint is committed with its events, so one that exists now and
  // lies past the head read next signs events that are gone; one the drain adds meanwhile does not count.
  const newestCheckpoint = range.toSeq > 0 ? null : await store.lastCheckpoint();
  const head = await store.head();
  const toSeq = range.toSeq > 0 ? Math.min(range.toSeq, head.seq) : head.seq;
  const startSeq = (chainAnchor?.seq ?? 0) + 1;
  let anchor: ChainAnchor | null = chainAnchor;
  if (range.fromSeq > startSeq) {
    const hash = await store.hashAt(range.fromSeq - 1);
    // A missing predecessor is a gap the verifier reports at fromSeq - 1's successor; start from it.
    anchor = hash === undefined ? chainAnchor : { seq: range.fromSeq - 1, hash };
  }
  const fromSeq = (anchor?.seq ?? 0) + 1;
  const verifier = new ChainVerifier({ hmacKey: keys.hmacKey, publicKey: keys.publicKey, anchor, maxEventsBetweenCheckpoints });

  const anchorFailure = chainAnchor && fromSeq === startSeq ? await checkAnchor(store, keys, chainAnchor) : null;
  if (anchorFailure) return { ...verifier.finish(), ok: false, failure: anchorFailure };

  // Over the whole chain, checkpoints past the newest event count too: events they sign are missing.
  const checkpointsTo = range.toSeq > 0 ? toSeq : Math.max(toSeq, newestCheckpoint?.seq ?? 0);
  for (let after = fromSeq - 1; ; ) {
    const page = await store.checkpoints(Math.max(after + 1, fromSeq), checkpointsTo, checkpointsPerPage);
    if (!verifier.addCheckpoints(page) || page.length < checkpointsPerPage) break;
    after = page[page.length - 1]!.seq;
  }

  let after = fromSeq - 1;
  let next: Promise<ChainEvent[]> | undefined = after < toSeq ? store.eventsAfter(after, toSeq, pageSize) : undefined;
  while (next) {
    const events = await next;
    const last = events[events.length - 1];
    next = last && events.length === pageSize && last.seq < toSeq ? store.eventsAfter(last.seq, toSeq, pageSize) : undefined;
    if (!verifier.addEvents(events)) {
      await next?.catch(() => undefined);
      break;
    }
    after = last?.seq ?? after;
  }
  return verifier.finish();
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
