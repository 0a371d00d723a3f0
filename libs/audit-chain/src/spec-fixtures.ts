// Chains and checkpoints for the specs (not exported by the package).
import { createHash, generateKeyPairSync } from "node:crypto";
import { appendEvents, type UnchainedEvent } from "./chain";
import { signCheckpoint } from "./checkpoint";
import { genesisHash, type ChainAnchor, type ChainEvent, type Checkpoint } from "./event";
import { ChainVerifier, type VerifierOptions } from "./verify";
import type { VerifyResult } from "./verify-result";

/** A fixed HMAC key, so failures reproduce. */
export const hmacKey = createHash("sha256").update("audit-chain spec HMAC key").digest();
export const otherHmacKey = createHash("sha256").update("another HMAC key").digest();
export const signingKeys = generateKeyPairSync("ed25519");
export const otherSigningKeys = generateKeyPairSync("ed25519");

const start = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

/** `count` events as the outbox would hand them over, numbered from `first`. */
export function unchainedEvents(count: number, first = 1): UnchainedEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    return {
      id: `evt-${n}`,
      occurredAt: new Date(start + n * 1013),
      service: n % 2 === 0 ? "vault-service" : "work-service",
      method: "/msp.vault.v1.VaultService/RevealSecret",
      principal: `user:${n % 7}`,
      resourceType: "secret",
      resourceId: n % 5 === 0 ? null : `sec_${n}`,
      action: "reveal",
      outcome: n % 11 === 0 ? "denied" : "ok",
      requestSummary: n % 3 === 0 ? null : `{"name":"db-password","n":${n}}`,
      sourceIp: n % 4 === 0 ? null : "10.0.0.1",
    };
  });
}

/** A chain of `count` events from genesis. */
export function chainOf(count: number, key: Buffer = hmacKey): ChainEvent[] {
  return appendEvents(key, { seq: 0, hash: genesisHash }, unchainedEvents(count));
}

/** Checkpoints every `every` events, linked by prevSeq (the first to `firstPrevSeq`). */
export function checkpointsOf(events: readonly ChainEvent[], every: number, firstPrevSeq = 0): Checkpoint[] {
  const checkpoints: Checkpoint[] = [];
  let prevSeq = firstPrevSeq;
  for (const e of events) {
    if (e.seq % every !== 0) continue;
    checkpoints.push(signCheckpoint(signingKeys.privateKey, { seq: e.seq, hash: e.hash, signedAt: new Date(start + e.seq), prevSeq }));
    prevSeq = e.seq;
  }
  return checkpoints;
}

/** How a spec feeds the verifier. */
export interface FeedOptions extends Partial<VerifierOptions> {
  /** Events per addEvents call. */
  pageSize?: number;
  /**
   * When the checkpoints (sorted by seq) are given: all before the events (default), all after, or
   * each after the page holding its event (the rest at the end).
   */
  checkpointsWhen?: "before" | "after" | "interleaved";
}

/** Verifies events and checkpoints with the spec keys (unless overridden) and returns the verdict. */
export function verifyChain(events: readonly ChainEvent[], checkpoints: readonly Checkpoint[], options: FeedOptions = {}): VerifyResult {
  const { pageSize = 500, checkpointsWhen = "before", ...overrides } = options;
  const verifier = new ChainVerifier({
    hmacKey,
    publicKey: signingKeys.publicKey,
    anchor: null,
    maxEventsBetweenCheckpoints: 1000,
    ...overrides,
  });
  if (checkpointsWhen === "before") verifier.addCheckpoints(checkpoints);
  let given = 0;
  for (let i = 0; i < events.length; i += pageSize) {
    const page = events.slice(i, i + pageSize);
    verifier.addEvents(page);
    if (checkpointsWhen === "interleaved") {
      const last = page[page.length - 1]?.seq ?? 0;
      const next = checkpoints.slice(given).filter((cp) => cp.seq <= last);
      verifier.addCheckpoints(next);
      given += next.length;
    }
  }
  if (checkpointsWhen === "after") verifier.addCheckpoints(checkpoints);
  if (checkpointsWhen === "interleaved") verifier.addCheckpoints(checkpoints.slice(given));
  return verifier.finish();
}

/** The anchor a prune up to `seq` would keep. */
export function anchorAt(events: readonly ChainEvent[], seq: number): ChainAnchor {
  const e = events[seq - 1];
  if (e === undefined) throw new Error(`no event ${seq}`);
  return { seq, hash: e.hash };
}

/** A copy of `events` with event `seq` replaced by `change(copy of it)`. */
export function withEvent(events: readonly ChainEvent[], seq: number, change: (e: ChainEvent) => ChainEvent): ChainEvent[] {
  return events.map((e) => (e.seq === seq ? change({ ...e }) : e));
}
