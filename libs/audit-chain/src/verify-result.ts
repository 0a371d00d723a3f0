/**
 * What broke the chain:
 * - `hash_mismatch`: an event's hash does not match its content (altered, or the wrong HMAC key);
 * - `broken_link`: an event's prevHash is not the previous event's hash (one removed, inserted, or renumbered);
 * - `seq_gap`: seqs are missing (events deleted);
 * - `reordered`: events are out of order, or an event links to one elsewhere in the chain (swapped, moved, copied);
 * - `bad_signature`: a checkpoint's Ed25519 signature does not verify (it was altered or forged);
 * - `checkpoint_mismatch`: a validly signed checkpoint names a different hash than its event has;
 * - `missing_checkpoint`: a checkpoint was deleted (the next one's prevSeq points at it), or none
 *   was made for longer than allowed;
 * - `missing_events`: a signed checkpoint (or an export's header) covers events that are not there.
 */
export type VerifyProblem =
  | "hash_mismatch"
  | "broken_link"
  | "seq_gap"
  | "reordered"
  | "bad_signature"
  | "checkpoint_mismatch"
  | "missing_checkpoint"
  | "missing_events";

/** The first place the chain is broken. */
export interface VerifyFailure {
  /** The lowest seq at which something is wrong. */
  seq: number;
  problem: VerifyProblem;
  /** A sentence for an operator: what was found and what it means. */
  detail: string;
}

/** The verdict on a chain, and how much of it was checked. */
export interface VerifyResult {
  ok: boolean;
  /** Events verified (hash and link), from the start: all of them when ok, else those before the failure. */
  checkedEvents: number;
  /** Checkpoints whose signature verified and whose hash matched their event (or the anchor). */
  checkedCheckpoints: number;
  /** The first and last verified event, or null when none was. */
  firstSeq: number | null;
  lastSeq: number | null;
  /** The highest checked checkpoint, or null. */
  lastCheckpointSeq: number | null;
  failure: VerifyFailure | null;
  /** Events after the last checkpoint (only HMAC-protected): whoever holds the HMAC key could rewrite them. */
  unanchoredEvents: number;
}

const EVENT_PROBLEMS: ReadonlySet<VerifyProblem> = new Set(["hash_mismatch", "broken_link", "seq_gap", "reordered"]);

/**
 * The failure to report of two: the one at the lower seq; at the same seq a problem found in the
 * events themselves, which is the more precise diagnosis, wins over one found via a checkpoint.
 */
export function lowerFailure(a: VerifyFailure | null, b: VerifyFailure | null): VerifyFailure | null {
  if (a === null) return b;
  if (b === null || a.seq < b.seq) return a;
  if (b.seq < a.seq) return b;
  return EVENT_PROBLEMS.has(b.problem) && !EVENT_PROBLEMS.has(a.problem) ? b : a;
}
