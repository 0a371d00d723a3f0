import type { KeyObject } from "node:crypto";
import { eventTextOf } from "./canonical";
import { isChainHash, LinkedHasher, requireHmacKeyBytes } from "./chain";
import { checkpointSetFailure } from "./checkpoint-rules";
import { checkpointSignatureValid } from "./checkpoint";
import { genesisHash, type ChainAnchor, type ChainEvent, type Checkpoint, type EventText } from "./event";
import { HashStore } from "./hash-store";
import { lowerFailure, type VerifyFailure, type VerifyResult } from "./verify-result";

export type { VerifyFailure, VerifyProblem, VerifyResult } from "./verify-result";

/** What a ChainVerifier checks against. */
export interface VerifierOptions {
  hmacKey: Buffer;
  /** The audit service's Ed25519 public key, which checkpoints must be signed with. */
  publicKey: KeyObject;
  /**
   * Where the events start: after this anchor (the checkpoint a prune kept, or, to verify a range
   * starting mid-chain, `{ seq: fromSeq - 1, hash: prevHash of fromSeq }`), or at seq 1 after the
   * genesis hash when null. The first event expected is `anchor.seq + 1`, or 1.
   */
  anchor: ChainAnchor | null;
  /** The most events allowed between consecutive checkpoints (e.g. 1000); undefined disables that rule. */
  maxEventsBetweenCheckpoints?: number | undefined;
  /** The seq the events must reach (an export's toSeq): ending earlier is `missing_events`. */
  expectedLastSeq?: number | undefined;
}

/**
 * Verifies an audit chain fed incrementally: events in seq order, in pages (`addEvents`), and
 * checkpoints in any order, before, between or after the events (`addCheckpoints`); `finish`
 * gives the verdict. It stops at the first broken event, and reports the failure at the lowest
 * seq whatever the order things were fed in; so a checkpoint failure found early does not stop
 * it checking the events below it. Feeding the checkpoints first is cheapest: each is then
 * matched as its event passes, while one given later is matched against a stored hash.
 *
 * Within a page it looks ahead, to tell events that were swapped or moved (`reordered`) from
 * ones that were removed (`seq_gap`, `broken_link`); across pages the lower seq still fails.
 */
export class ChainVerifier {
  private readonly hasher: LinkedHasher;
  private readonly publicKey: KeyObject;
  private readonly anchor: ChainAnchor | null;
  private readonly maxEventsBetweenCheckpoints: number | undefined;
  private readonly expectedLastSeq: number | undefined;
  /** The seq the chain starts after: the anchor's, or 0; and the hash event `boundary + 1` links to. */
  private readonly boundary: number;
  private readonly startHash: string;
  private readonly hashes: HashStore;
  private expectedSeq: number;
  private expectedPrevHash: string;
  /** The lowest failure found so far (a later one may be lower, until the events reach it). */
  private failure: VerifyFailure | null = null;
  /** Set when an event failed: nothing after it is checked. */
  private eventFailed = false;
  /** Every checkpoint given, by seq. */
  private readonly checkpoints = new Map<number, Checkpoint>();
  /** Validly signed checkpoints whose event has not been verified yet, by seq. */
  private readonly pending = new Map<number, Checkpoint>();
  private checkedCheckpoints = 0;
  private lastCheckpointSeq: number | null = null;

  constructor(options: VerifierOptions) {
    requireHmacKeyBytes(options.hmacKey, "ChainVerifier");
    if (options.publicKey.type !== "public" || options.publicKey.asymmetricKeyType !== "ed25519") {
      throw new TypeError("ChainVerifier: publicKey must be an Ed25519 public KeyObject");
    }
    const anchor = options.anchor;
    if (anchor !== null && (!Number.isSafeInteger(anchor.seq) || anchor.seq < 0 || !isChainHash(anchor.hash))) {
      throw new TypeError("ChainVerifier: the anchor needs an integer seq >= 0 and a hash of 64 lower-case hex digits");
    }
    const max = options.maxEventsBetweenCheckpoints;
    if (max !== undefined && (!Number.isSafeInteger(max) || max < 1)) {
      throw new TypeError("ChainVerifier: maxEventsBetweenCheckpoints must be an integer >= 1");
    }
    this.hasher = new LinkedHasher(options.hmacKey);
    this.publicKey = options.publicKey;
    this.anchor = anchor;
    this.maxEventsBetweenCheckpoints = max;
    this.expectedLastSeq = options.expectedLastSeq;
    this.boundary = anchor ? anchor.seq : 0;
    this.expectedSeq = this.boundary + 1;
    this.startHash = anchor ? anchor.hash : genesisHash;
    this.expectedPrevHash = this.startHash;
    this.hashes = new HashStore(this.expectedSeq);
  }

  /**
   * Verifies the next page of events (in seq order, continuing the previous page). Returns false
   * once the verdict is settled (a failure is known and every event before it was checked): the
   * caller may stop reading events then, though checkpoints may still be given.
   */
  addEvents(events: readonly ChainEvent[]): boolean {
    return this.addEventTexts(events.map(eventTextOf));
  }

  /**
   * `addEvents` for events read as their canonical text (EventText), without a ChainEvent each.
   * With `from` and `to`, only events[from..to) are verified now (a caller hashing a page in
   * slices, the rest to follow); a broken link still looks ahead over the whole page to tell
   * moved events from missing ones.
   */
  addEventTexts(events: readonly EventText[], from = 0, to = events.length): boolean {
    if (this.settled()) return false;
    const hasher = this.hasher;
    const hashes = this.hashes;
    const pending = this.pending;
    let expectedSeq = this.expectedSeq;
    let expectedPrevHash = this.expectedPrevHash;
    try {
      for (let i = from; i < to; i++) {
        const e = events[i] as EventText;
        if (this.failure !== null && expectedSeq > this.failure.seq) break;
        if (e.seq !== expectedSeq) return this.failEvent(this.seqFailure(events, i, expectedSeq));
        if (e.prevHash !== expectedPrevHash) return this.failEvent(this.linkFailure(events, i, expectedSeq));
        const hash = e.text === null ? null : hasher.hash(expectedPrevHash, e.text);
        if (hash !== e.hash) return this.failEvent(this.hashFailure(e, hash === null, expectedSeq));
        hashes.push(hash);
        expectedSeq += 1;
        expectedPrevHash = hash;
        if (pending.size !== 0) this.matchPending(e.seq, hash);
      }
    } finally {
      this.expectedSeq = expectedSeq;
      this.expectedPrevHash = expectedPrevHash;
    }
    return !this.settled();
  }

  /**
   * Adds checkpoints, in any order and at any time. Each signature is checked now; the hash is
   * compared with its event's when that is (or once it is) verified. Returns false once the
   * verdict is settled, as `addEvents` does.
   */
  addCheckpoints(checkpoints: readonly Checkpoint[]): boolean {
    for (const cp of checkpoints) {
      const known = this.checkpoints.get(cp.seq);
      if (known !== undefined) {
        if (!sameCheckpoint(known, cp)) {
          this.record({ seq: cp.seq, problem: "checkpoint_mismatch", detail: `two different checkpoints were given for seq ${cp.seq}` });
        }
        continue;
      }
      this.checkpoints.set(cp.seq, cp);
      if (this.failure !== null && cp.seq > this.failure.seq) continue;
      if (!checkpointSignatureValid(this.publicKey, cp)) {
        this.record({
          seq: cp.seq,
          problem: "bad_signature",
          detail: `checkpoint ${cp.seq} does not carry a valid signature by this public key: it was altered or forged, or the key is wrong`,
        });
      } else if (cp.seq >= this.expectedSeq) {
        this.pending.set(cp.seq, cp);
      } else {
        this.matchKnown(cp);
      }
    }
    return !this.settled();
  }

  /** The verdict on everything given so far. */
  finish(): VerifyResult {
    const sorted = [...this.checkpoints.values()].sort((a, b) => a.seq - b.seq);
    let failure = lowerFailure(this.failure, checkpointSetFailure(sorted, this.boundary, this.maxEventsBetweenCheckpoints));
    if (!this.eventFailed) failure = lowerFailure(failure, this.missingEventsFailure());
    const lastSeq = this.expectedSeq - 1;
    const verified = lastSeq - this.boundary;
    return {
      ok: failure === null,
      checkedEvents: verified,
      checkedCheckpoints: this.checkedCheckpoints,
      firstSeq: verified > 0 ? this.boundary + 1 : null,
      lastSeq: verified > 0 ? lastSeq : null,
      lastCheckpointSeq: this.lastCheckpointSeq,
      failure,
      unanchoredEvents: lastSeq - Math.max(this.boundary, this.lastCheckpointSeq ?? this.boundary),
    };
  }

  /** True once no event fed later could change the verdict. */
  private settled(): boolean {
    return this.eventFailed || (this.failure !== null && this.expectedSeq > this.failure.seq);
  }

  private record(failure: VerifyFailure): void {
    this.failure = lowerFailure(this.failure, failure);
  }

  private failEvent(failure: VerifyFailure): false {
    this.eventFailed = true;
    this.record(failure);
    return false;
  }

  private matchPending(seq: number, hash: string): void {
    const cp = this.pending.get(seq);
    if (cp === undefined) return;
    this.pending.delete(seq);
    this.compareCheckpoint(cp, hash, `event ${seq}`);
  }

  /** Matches a checkpoint whose seq is at or before the last verified event. */
  private matchKnown(cp: Checkpoint): void {
    const stored = this.hashes.hashOf(cp.seq);
    if (stored !== undefined) this.compareCheckpoint(cp, stored, `event ${cp.seq}`);
    else if (cp.seq === this.boundary && this.anchor !== null) this.compareCheckpoint(cp, this.anchor.hash, `the anchor (seq ${cp.seq})`);
    // Otherwise it signs an event before the range verified: its signature is all there is to check.
  }

  private compareCheckpoint(cp: Checkpoint, hash: string, what: string): void {
    if (cp.hash === hash) {
      this.checkedCheckpoints += 1;
      if (this.lastCheckpointSeq === null || cp.seq > this.lastCheckpointSeq) this.lastCheckpointSeq = cp.seq;
      return;
    }
    this.record({
      seq: cp.seq,
      problem: "checkpoint_mismatch",
      detail: `checkpoint ${cp.seq} is validly signed but names a different hash than ${what} has: the event was rewritten after it was signed`,
    });
  }

  private missingEventsFailure(): VerifyFailure | null {
    const lastSeq = this.expectedSeq - 1;
    let beyond: number | null = null;
    for (const seq of this.pending.keys()) if (beyond === null || seq > beyond) beyond = seq;
    if (beyond !== null) {
      return {
        seq: this.expectedSeq,
        problem: "missing_events",
        detail: `checkpoint ${beyond} signs event ${beyond}, but the events end at seq ${lastSeq}: the chain was truncated`,
      };
    }
    if (this.expectedLastSeq !== undefined && lastSeq < this.expectedLastSeq) {
      return {
        seq: this.expectedSeq,
        problem: "missing_events",
        detail: `the events should reach seq ${this.expectedLastSeq} but end at seq ${lastSeq}: the chain was truncated`,
      };
    }
    return null;
  }

  private seqFailure(events: readonly EventText[], index: number, expectedSeq: number): VerifyFailure {
    const seq = (events[index] as EventText).seq;
    if (seq < expectedSeq) {
      const detail =
        expectedSeq === this.boundary + 1
          ? `the chain should start at seq ${expectedSeq}, ${this.startText()}, but its first event is seq ${seq}`
          : `seq ${seq} came after seq ${expectedSeq - 1}: events are out of order or repeated`;
      return { seq, problem: "reordered", detail };
    }
    if (events.some((later, j) => j > index && later.seq === expectedSeq)) {
      return { seq: expectedSeq, problem: "reordered", detail: `seq ${expectedSeq} came after seq ${seq}: events are out of order` };
    }
    const missing = seq - 1 === expectedSeq ? `event ${expectedSeq} is missing` : `events ${expectedSeq} to ${seq - 1} are missing`;
    const where = expectedSeq === this.boundary + 1 ? `the chain should start at seq ${expectedSeq}, ${this.startText()}` : "";
    return {
      seq: expectedSeq,
      problem: "seq_gap",
      detail: `${missing} (the next event present is seq ${seq})${where ? `; ${where}` : ""}`,
    };
  }

  private linkFailure(events: readonly EventText[], index: number, expectedSeq: number): VerifyFailure {
    const e = events[index] as EventText;
    const later = events.find((other, j) => j > index && other.hash === e.prevHash);
    if (later !== undefined) {
      return {
        seq: e.seq,
        problem: "reordered",
        detail: `event ${e.seq} links to the event stored at seq ${later.seq}, which comes after it: events were swapped or moved`,
      };
    }
    const earlier = this.hashes.seqOf(e.prevHash) ?? (e.prevHash === this.startHash ? this.boundary : undefined);
    if (earlier !== undefined) {
      return {
        seq: e.seq,
        problem: "reordered",
        detail: `event ${e.seq} links to ${this.hashName(earlier)}, not to event ${expectedSeq - 1}: events were swapped, moved or copied`,
      };
    }
    const detail =
      expectedSeq === this.boundary + 1
        ? `event ${e.seq} does not link to ${this.anchor ? `the anchor (seq ${this.boundary}): the anchor is wrong, or the events were rewritten` : "the genesis hash"}`
        : `event ${e.seq} does not link to event ${expectedSeq - 1} (its prevHash is not that event's hash): ` +
          `events were removed or inserted before it, or its prevHash was altered`;
    return { seq: e.seq, problem: "broken_link", detail };
  }

  private hashFailure(e: EventText, unhashable: boolean, expectedSeq: number): VerifyFailure {
    const first = expectedSeq === this.boundary + 1;
    const detail = unhashable
      ? `event ${e.seq} cannot be hashed: its occurredAt is not a valid date`
      : first
        ? `event ${e.seq}'s hash does not match its content: the event was altered, or the HMAC key is wrong (no event has verified with it yet)`
        : `event ${e.seq}'s hash does not match its content: a field or the hash of this event was altered`;
    return { seq: e.seq, problem: "hash_mismatch", detail };
  }

  /** What the hash at `seq` is: an event's, the anchor's, or the genesis hash. */
  private hashName(seq: number): string {
    if (seq !== this.boundary) return `event ${seq}`;
    return this.anchor ? `the anchor (seq ${seq})` : "the genesis hash";
  }

  private startText(): string {
    return this.anchor ? `after the anchor at seq ${this.boundary}` : "at genesis";
  }
}

function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  return a.hash === b.hash && a.prevSeq === b.prevSeq && a.signature === b.signature && a.signedAt.getTime() === b.signedAt.getTime();
}
