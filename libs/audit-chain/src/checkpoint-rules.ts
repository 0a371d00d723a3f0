import type { Checkpoint } from "./event";
import { lowerFailure, type VerifyFailure } from "./verify-result";

/**
 * The rules on the set of checkpoints given, checked once all are known:
 * - each checkpoint's prevSeq must be the seq of the checkpoint before it among those given; the
 *   first may point anywhere up to `boundary` (the seq the verified range starts after, so a kept
 *   anchor checkpoint or one before the range), never at a seq inside the range, where its
 *   checkpoint would have to be among those given;
 * - with `maxEventsBetween`, consecutive checkpoints (the first counted from `boundary`) must be at
 *   most that many events apart.
 * Returns the failure at the lowest seq, or null.
 */
export function checkpointSetFailure(
  sortedCheckpoints: readonly Checkpoint[],
  boundary: number,
  maxEventsBetween: number | undefined,
): VerifyFailure | null {
  let failure: VerifyFailure | null = null;
  let previous: Checkpoint | null = null;
  for (const cp of sortedCheckpoints) {
    failure = lowerFailure(failure, linkFailure(cp, previous, boundary));
    previous = cp;
  }
  if (maxEventsBetween !== undefined) failure = lowerFailure(failure, spacingFailure(sortedCheckpoints, boundary, maxEventsBetween));
  return failure;
}

function linkFailure(cp: Checkpoint, previous: Checkpoint | null, boundary: number): VerifyFailure | null {
  if (previous === null) {
    if (cp.prevSeq <= boundary) return null;
    const seq = cp.prevSeq < cp.seq ? cp.prevSeq : cp.seq;
    return {
      seq,
      problem: "missing_checkpoint",
      detail: `checkpoint ${cp.seq} follows checkpoint ${cp.prevSeq}, which is missing (no checkpoint before ${cp.seq} was given)`,
    };
  }
  if (cp.prevSeq === previous.seq) return null;
  const deleted = previous.seq < cp.prevSeq && cp.prevSeq < cp.seq;
  return {
    seq: deleted ? cp.prevSeq : cp.seq,
    problem: "missing_checkpoint",
    detail: deleted
      ? `checkpoint ${cp.seq} follows checkpoint ${cp.prevSeq}, which is missing (the checkpoint before it is ${previous.seq})`
      : `checkpoint ${cp.seq} follows checkpoint ${cp.prevSeq}, but the checkpoint before it is ${previous.seq}`,
  };
}

function spacingFailure(sortedCheckpoints: readonly Checkpoint[], boundary: number, maxEventsBetween: number): VerifyFailure | null {
  let previousSeq = boundary;
  for (const cp of sortedCheckpoints) {
    if (cp.seq <= boundary) continue;
    if (cp.seq - previousSeq > maxEventsBetween) {
      const from = previousSeq === boundary ? `the start (after seq ${boundary})` : `checkpoint ${previousSeq}`;
      return {
        seq: previousSeq + maxEventsBetween,
        problem: "missing_checkpoint",
        detail:
          `no checkpoint from ${from} to checkpoint ${cp.seq}: ${cp.seq - previousSeq} events, more than the ` +
          `${maxEventsBetween} allowed between checkpoints`,
      };
    }
    previousSeq = cp.seq;
  }
  return null;
}
