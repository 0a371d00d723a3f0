/** When the chain gets a signed checkpoint. */
export interface CheckpointPolicy {
  /** A checkpoint at least every this many events (the seqs every, 2 x every... after the last one). */
  every: number;
  /** And at the head when the last checkpoint is older than this, if events came since. */
  intervalMs: number;
}

/** The newest checkpoint, as far as the rules need it. */
export interface LastCheckpoint {
  seq: number;
  signedAt: Date;
}

/**
 * The seqs to sign, oldest first, once the chain's head is `headSeq`: every `every` events after
 * the last checkpoint (or after `startSeq`, the anchor or 0, when there is none), and the head itself
 * when the newest checkpoint (or the drain's start, `since`) is older than the interval and the head
 * is not anchored yet.
 */
export function checkpointsDue(
  last: LastCheckpoint | null,
  startSeq: number,
  headSeq: number,
  now: Date,
  since: Date,
  policy: CheckpointPolicy,
): number[] {
  const from = last?.seq ?? startSeq;
  const due: number[] = [];
  for (let seq = from + policy.every; seq <= headSeq; seq += policy.every) due.push(seq);
  const newest = due[due.length - 1] ?? from;
  const reference = due.length > 0 ? now : (last?.signedAt ?? since);
  if (headSeq > newest && now.getTime() - reference.getTime() >= policy.intervalMs) due.push(headSeq);
  return due;
}
