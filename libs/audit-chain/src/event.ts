/**
 * One event of the audit chain as stored in audit_events and as an export carries it. Every field
 * but `hash` goes into the event's HMAC (prevHash as the link), so editing any of them breaks it.
 */
export interface ChainEvent {
  /** Position in the chain: dense, from 1 (or from the anchor's seq + 1 after a prune). */
  seq: number;
  /** The id of the outbox row it was drained from (unique: a row is chained once). */
  id: string;
  /** When the change committed its outbox row (millisecond precision, UTC). */
  occurredAt: Date;
  service: string;
  method: string;
  principal: string;
  resourceType: string;
  resourceId: string | null;
  action: string;
  outcome: string;
  /** The redacted request summary as canonical JSON text (keys sorted), hashed verbatim; null when none. */
  requestSummary: string | null;
  sourceIp: string | null;
  /** The previous event's hash (hex); the genesis hash for seq 1. */
  prevHash: string;
  /** HMAC-SHA256(key, prevHash bytes || canonical event bytes), hex. */
  hash: string;
}

/**
 * An event as a verify reads it: its place, its links and the canonical text its hash covers
 * (`canonicalEventText`), or null when it has none (an invalid occurredAt). Readers that can make
 * the text without building a ChainEvent hand these to `ChainVerifier.addEventTexts`.
 */
export interface EventText {
  seq: number;
  prevHash: string;
  hash: string;
  text: string | null;
}

/** A signed anchor of the chain: the hash of event `seq`, signed with the audit service's Ed25519 key. */
export interface Checkpoint {
  seq: number;
  /** The hash of event `seq` (hex). */
  hash: string;
  signedAt: Date;
  /** The seq of the checkpoint before it (0 for the first): deleting a checkpoint breaks the next one's link. */
  prevSeq: number;
  /** Ed25519 signature (base64) over the checkpoint's canonical bytes. */
  signature: string;
}

/** Where a pruned chain starts again: the checkpoint kept when the events up to it were pruned. */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

/** The previous hash of event 1: 32 zero bytes, hex. */
export const genesisHash = "0".repeat(64);
