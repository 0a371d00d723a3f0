import type { KeyObject } from "node:crypto";
import type { ChainAnchor, Checkpoint, EventText, VerifyResult } from "@msp/audit-chain";
import { ChainVerifier, lowerFailure } from "@msp/audit-chain";
import type { EventReader } from "./event-rows";

/** One stretch of the chain to verify on its own: from after `anchor` to `toSeq`, with its checkpoints. */
export interface VerifyPart {
  /** Where it starts: the chain's anchor, the stored event before the range, or a signed checkpoint. */
  anchor: ChainAnchor | null;
  toSeq: number;
  /** The checkpoints after the anchor that fall in the part (the last part: also those past toSeq). */
  checkpoints: readonly Checkpoint[];
  maxEventsBetweenCheckpoints: number;
}

/** Events read per query; the next page is read while this one is hashed. */
const pageSize = 5000;

/**
 * Events hashed between two turns of the event loop. Hashing a whole page at once (about 35 ms)
 * leaves the socket of the next page unread: the server fills the socket's buffers, a small part
 * of a page, and waits, so the next page came in mostly after the hashing (a CPU profile of one
 * thread verifying page after page: idle 30% of its time). Between slices the driver takes in
 * what came. With two workers on two cores the other worker had filled those waits: no change in
 * the wall time measured there (BENCHMARKS.md).
 */
const sliceSize = 250;

/** Verifies one part: its events' HMACs and links, its checkpoints' signatures and hashes. */
export async function verifyPart(store: Pick<EventReader, "eventTextsAfter">, hmacKey: Buffer, publicKey: KeyObject, part: VerifyPart): Promise<VerifyResult> {
  const verifier = new ChainVerifier({
    hmacKey,
    publicKey,
    anchor: part.anchor,
    maxEventsBetweenCheckpoints: part.maxEventsBetweenCheckpoints,
  });
  const fromSeq = (part.anchor?.seq ?? 0) + 1;
  let next: Promise<EventText[]> | undefined = fromSeq <= part.toSeq ? store.eventTextsAfter(fromSeq - 1, part.toSeq, pageSize) : undefined;
  // The signatures are checked while the first page is read.
  verifier.addCheckpoints(part.checkpoints);
  while (next) {
    const events = await next;
    const last = events[events.length - 1];
    next = last && events.length === pageSize && last.seq < part.toSeq ? store.eventTextsAfter(last.seq, part.toSeq, pageSize) : undefined;
    if (!(await addInSlices(verifier, events))) {
      await next?.catch(() => undefined);
      break;
    }
  }
  return verifier.finish();
}

/** `verifier.addEventTexts(events)`, a slice at a time, letting I/O in between (sliceSize). */
async function addInSlices(verifier: ChainVerifier, events: readonly EventText[]): Promise<boolean> {
  for (let from = 0; from < events.length; from += sliceSize) {
    if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (!verifier.addEventTexts(events, from, Math.min(events.length, from + sliceSize))) return false;
  }
  return true;
}

/**
 * The parts of a range, cut at signed checkpoints so that each part starts from a hash the
 * previous part checks (its last checkpoint): at most `count`, none smaller than `minEvents`.
 */
export function splitAtCheckpoints(
  anchor: ChainAnchor | null,
  toSeq: number,
  checkpoints: readonly Checkpoint[],
  count: number,
  minEvents: number,
  maxEventsBetweenCheckpoints: number,
): VerifyPart[] {
  const fromSeq = (anchor?.seq ?? 0) + 1;
  const span = toSeq - fromSeq + 1;
  const parts = Math.max(1, Math.min(count, Math.floor(span / Math.max(1, minEvents))));
  const starts: ChainAnchor[] = [];
  let previous = fromSeq - 1;
  for (let k = 1; k < parts; k++) {
    const target = fromSeq - 1 + Math.round((k * span) / parts);
    let cut: Checkpoint | undefined;
    for (const checkpoint of checkpoints) {
      if (checkpoint.seq > target || checkpoint.seq >= toSeq) break;
      if (checkpoint.seq > previous) cut = checkpoint;
    }
    if (cut && cut.seq > previous) {
      starts.push({ seq: cut.seq, hash: cut.hash });
      previous = cut.seq;
    }
  }
  const anchors: (ChainAnchor | null)[] = [anchor, ...starts];
  return anchors.map((start, i) => {
    const after = start?.seq ?? 0;
    const end = i + 1 < anchors.length ? anchors[i + 1]!.seq : toSeq;
    const last = i === anchors.length - 1;
    return {
      anchor: start,
      toSeq: end,
      checkpoints: checkpoints.filter((c) => c.seq > after && (last || c.seq <= end)),
      maxEventsBetweenCheckpoints,
    };
  });
}

/** One result from the parts' results: the first broken link (the lowest seq) and the sums. */
export function combineResults(results: readonly VerifyResult[]): VerifyResult {
  const failure = results.reduce<VerifyResult["failure"]>((lowest, r) => lowerFailure(lowest, r.failure), null);
  const first = results[0];
  const last = results[results.length - 1];
  return {
    ok: failure === null && results.every((r) => r.ok),
    checkedEvents: results.reduce((n, r) => n + r.checkedEvents, 0),
    checkedCheckpoints: results.reduce((n, r) => n + r.checkedCheckpoints, 0),
    firstSeq: first?.firstSeq ?? null,
    lastSeq: last?.lastSeq ?? null,
    lastCheckpointSeq: [...results].reverse().find((r) => r.lastCheckpointSeq !== null)?.lastCheckpointSeq ?? null,
    failure,
    unanchoredEvents: last?.unanchoredEvents ?? 0,
  };
}
