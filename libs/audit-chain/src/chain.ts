import { createHmac, createSecretKey, KeyObject } from "node:crypto";
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

/** The bytes of a chain hash (SHA-256). */
const HASH_BYTES = 32;

/**
 * `linkedTextHash` for many events in a row with one key (a verify, an append): the same HMAC of
 * node:crypto over the same bytes, but prevHash's bytes and the text are written into one buffer
 * kept between events and fed to the HMAC in one update. Each update is a call into C++ that
 * decodes its string on its own: one update of ready bytes costs about 0.3 µs less per event than
 * the two of linkedTextHash (of about 2.7 µs; BENCHMARKS.md). Not for concurrent use: the buffer
 * is shared by the calls (they are synchronous, so one thread cannot interleave them).
 */
export class LinkedHasher {
  private readonly key: KeyObject;
  private buffer = Buffer.allocUnsafe(4096);

  constructor(hmacKey: Buffer | KeyObject) {
    this.key = hmacKey instanceof KeyObject ? hmacKey : hmacKeyObject(hmacKey);
  }

  /** HMAC-SHA256(key, prevHash bytes || UTF-8 text) as hex; prevHash must be a chain hash (64 hex digits). */
  hash(prevHash: string, text: string): string {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4).
    const most = HASH_BYTES + 3 * text.length;
    if (most > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(most, 2 * this.buffer.length));
    const buffer = this.buffer;
    // Hex writing stops at the first character that is not a hex digit: a short write is not a chain hash.
    if (buffer.write(prevHash, 0, HASH_BYTES, "hex") !== HASH_BYTES || prevHash.length !== 2 * HASH_BYTES) {
      throw new TypeError("LinkedHasher: prevHash must be 64 hex digits");
    }
    const length = HASH_BYTES + buffer.write(text, HASH_BYTES, "utf8");
    return createHmac("sha256", this.key).update(buffer.subarray(0, length)).digest("hex");
  }
}

/**
 * Chains `events` after `head`: each gets the next dense seq, the previous event's hash as its
 * prevHash, and its own hash. Returns new objects; the inputs are not modified.
 */
export function appendEvents(hmacKey: Buffer, head: ChainHead, events: readonly UnchainedEvent[]): ChainEvent[] {
  requireHmacKeyBytes(hmacKey, "appendEvents");
  if (!Number.isSafeInteger(head.seq) || head.seq < 0) throw new TypeError("appendEvents: head.seq must be an integer >= 0");
  if (!isChainHash(head.hash)) throw new TypeError("appendEvents: head.hash must be 64 lower-case hex digits");
  const hasher = new LinkedHasher(hmacKey);
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
    event.hash = hasher.hash(prevHash, canonicalEventText(event));
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
