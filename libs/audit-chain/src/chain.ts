import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { canonicalEventText, type HashedEventFields } from "./canonical";
import type { ChainEvent } from "./event";

/** An event as the chain receives it: everything but its position and hashes. */
export type UnchainedEvent = Omit<ChainEvent, "seq" | "prevHash" | "hash">;

/** The newest event of a chain (or its anchor, or `{ seq: 0, hash: genesisHash }`): what appends follow. */
export interface ChainHead {
  seq: number;
  hash: string;
}

const HASH_HEX = /^[0-9a-f]{64}$/;

/** True when `text` is a chain hash as stored: 64 lower-case hex digits (32 bytes). */
export function isChainHash(text: unknown): text is string {
  return typeof text === "string" && HASH_HEX.test(text);
}

/**
 * The hash of an event: HMAC-SHA256(hmacKey, prevHash bytes || canonical event bytes), as 64
 * lower-case hex digits. Throws a TypeError unless `prevHash` is 64 lower-case hex digits (the
 * form every hash of the chain has), and a RangeError for an invalid `occurredAt`.
 */
export function eventHash(hmacKey: Buffer, prevHash: string, e: HashedEventFields): string {
  if (!isChainHash(prevHash)) throw new TypeError("eventHash: prevHash must be 64 lower-case hex digits");
  return linkedHash(hmacKey, prevHash, e);
}

/**
 * `eventHash` without the check of `prevHash`, for callers that know it is a chain hash (one
 * they computed or compared with one). Feeding the hex and the text straight to the HMAC spares
 * two buffers per event, which is most of the cost besides the HMAC itself. Callers hashing many
 * events pass the key as a KeyObject (`hmacKeyObject`): made once, it spares the HMAC a copy of
 * the key per event.
 */
export function linkedHash(hmacKey: Buffer | KeyObject, prevHash: string, e: HashedEventFields): string {
  return linkedTextHash(hmacKey, prevHash, canonicalEventText(e));
}

/** `linkedHash` of an event whose canonical text (`canonicalEventText`) is already made. */
export function linkedTextHash(hmacKey: Buffer | KeyObject, prevHash: string, text: string): string {
  return createHmac("sha256", hmacKey).update(prevHash, "hex").update(text, "utf8").digest("hex");
}

/**
 * Chains `events` after `head`: each gets the next dense seq, the previous event's hash as its
 * prevHash, and its own hash. Returns new objects; the inputs are not modified.
 */
export function appendEvents(hmacKey: Buffer, head: ChainHead, events: readonly UnchainedEvent[]): ChainEvent[] {
  requireHmacKeyBytes(hmacKey, "appendEvents");
  if (!Number.isSafeInteger(head.seq) || head.seq < 0) throw new TypeError("appendEvents: head.seq must be an integer >= 0");
  if (!isChainHash(head.hash)) throw new TypeError("appendEvents: head.hash must be 64 lower-case hex digits");
  const key = hmacKeyObject(hmacKey);
  const chained: ChainEvent[] = new Array<ChainEvent>(events.length);
  let seq = head.seq;
  let prevHash = head.hash;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as UnchainedEvent;
    seq += 1;
    const event: ChainEvent = {
      seq,
      id: e.id,
      occurredAt: e.occurredAt,
      service: e.service,
      method: e.method,
      principal: e.principal,
      resourceType: e.resourceType,
      resourceId: e.resourceId,
      action: e.action,
      outcome: e.outcome,
      requestSummary: e.requestSummary,
      sourceIp: e.sourceIp,
      prevHash,
      hash: "",
    };
    event.hash = linkedHash(key, prevHash, event);
    prevHash = event.hash;
    chained[i] = event;
  }
  return chained;
}

/** The length of the audit HMAC key: 32 random bytes. */
export const HMAC_KEY_BYTES = 32;

/** The HMAC key as a secret KeyObject, for hashing many events with it. */
export function hmacKeyObject(hmacKey: Buffer): KeyObject {
  return createSecretKey(hmacKey);
}

/** Throws a TypeError unless `key` is a 32-byte Buffer; `caller` names who asked. */
export function requireHmacKeyBytes(key: Buffer, caller: string): void {
  if (!Buffer.isBuffer(key) || key.length !== HMAC_KEY_BYTES) {
    throw new TypeError(`${caller}: the HMAC key must be a ${HMAC_KEY_BYTES}-byte Buffer`);
  }
}
