import { createHmac, hash as oneShotHash, KeyObject } from "node:crypto";
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
 * events use a LinkedHasher, which costs half as much per event.
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
/** SHA-256's block: HMAC pads its key to this many bytes (RFC 2104). */
const BLOCK_BYTES = 64;

/**
 * `linkedTextHash` for many events in a row with one key (a verify, an append): the same
 * HMAC-SHA256 over the same bytes, computed as RFC 2104 defines it from two one-shot SHA-256 calls
 * of node:crypto (`crypto.hash`):
 * SHA-256((K ^ opad) || SHA-256((K ^ ipad) || prevHash bytes || UTF-8 text)), K the key padded
 * with zeros to 64 bytes. The padded key blocks are made once, and prevHash's bytes and the text
 * are written after the inner one in a buffer kept between events. A `createHmac` object per event
 * made an event's HMAC take about twice as long (BENCHMARKS.md): most of an HMAC of a few hundred
 * bytes with SHA extensions is making and feeding objects, not hashing. The spec checks every
 * hash against `createHmac`. Not for concurrent use: the buffers are shared by the calls (they are
 * synchronous, so one thread cannot interleave them).
 */
export class LinkedHasher {
  /** (K ^ ipad), then prevHash's bytes and the text of the event being hashed. */
  private inner: Buffer;
  /** (K ^ opad), then the inner digest. */
  private readonly outer = Buffer.alloc(BLOCK_BYTES + HASH_BYTES);

  constructor(hmacKey: Buffer | KeyObject) {
    const key = hmacKey instanceof KeyObject ? hmacKey.export() : hmacKey;
    const block = Buffer.alloc(BLOCK_BYTES);
    (key.length > BLOCK_BYTES ? oneShotHash("sha256", key, "buffer") : key).copy(block);
    this.inner = Buffer.alloc(4096);
    for (let i = 0; i < BLOCK_BYTES; i++) {
      this.inner[i] = (block[i] as number) ^ 0x36;
      this.outer[i] = (block[i] as number) ^ 0x5c;
    }
    block.fill(0);
  }

  /** HMAC-SHA256(key, prevHash bytes || UTF-8 text) as hex; prevHash must be a chain hash (64 hex digits). */
  hash(prevHash: string, text: string): string {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4).
    const most = BLOCK_BYTES + HASH_BYTES + 3 * text.length;
    if (most > this.inner.length) {
      const grown = Buffer.alloc(Math.max(most, 2 * this.inner.length));
      this.inner.copy(grown, 0, 0, BLOCK_BYTES);
      this.inner.fill(0);
      this.inner = grown;
    }
    const inner = this.inner;
    // Hex writing stops at the first character that is not a hex digit: a short write is not a chain hash.
    if (inner.write(prevHash, BLOCK_BYTES, HASH_BYTES, "hex") !== HASH_BYTES || prevHash.length !== 2 * HASH_BYTES) {
      throw new TypeError("LinkedHasher: prevHash must be 64 hex digits");
    }
    const length = BLOCK_BYTES + HASH_BYTES + inner.write(text, BLOCK_BYTES + HASH_BYTES, "utf8");
    // The inner digest comes back as a one-byte string ("binary" is latin1) rather than a Buffer:
    // a Buffer per event costs a backing store the garbage collector must free, twice the rest of
    // the HMAC.
    this.outer.write(oneShotHash("sha256", inner.subarray(0, length), "binary"), BLOCK_BYTES, HASH_BYTES, "latin1");
    return oneShotHash("sha256", this.outer, "hex");
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

/** Throws a TypeError unless `key` is a 32-byte Buffer; `caller` names who asked. */
export function requireHmacKeyBytes(key: Buffer, caller: string): void {
  if (!Buffer.isBuffer(key) || key.length !== HMAC_KEY_BYTES) {
    throw new TypeError(`${caller}: the HMAC key must be a ${HMAC_KEY_BYTES}-byte Buffer`);
  }
}
