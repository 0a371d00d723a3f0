import type { ChainEvent, Checkpoint, EventText } from "./event";

/** The fields of an event that its canonical bytes (and so its HMAC) cover, besides the link. */
export type HashedEventFields = Omit<ChainEvent, "hash" | "prevHash">;

/** The fields of a checkpoint that its signature covers. */
export type SignedCheckpointFields = Omit<Checkpoint, "signature">;

/**
 * JSON text with every object's keys sorted (by UTF-16 code units, as `Array.prototype.sort`
 * does) at every depth, arrays in their order, and no whitespace. Otherwise it follows
 * `JSON.stringify`: `toJSON` is honoured (a Date becomes its ISO string), undefined, functions
 * and symbols are dropped from objects and become null in arrays, non-finite numbers become
 * null. Throws a TypeError on a cycle or a bigint, as `JSON.stringify` does. Used to store
 * request summaries as text that hashes the same however its object was built.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalValue(value, new Set());
  if (text === undefined) throw new TypeError("canonicalJson: the value has no JSON form (undefined, a function or a symbol)");
  return text;
}

function canonicalValue(value: unknown, ancestors: Set<object>): string | undefined {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || typeof value !== "object" || isBoxedPrimitive(value)) return JSON.stringify(value);
  if (ancestors.has(value)) throw new TypeError("canonicalJson: the value contains a cycle");
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item: unknown) => canonicalValue(item, ancestors) ?? "null");
      return `[${items.join(",")}]`;
    }
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const member = canonicalValue(record[key], ancestors);
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
    }
    return `{${members.join(",")}}`;
  } finally {
    ancestors.delete(value);
  }
}

function isBoxedPrimitive(value: object): boolean {
  return value instanceof String || value instanceof Number || value instanceof Boolean;
}

/** The version written first in an event's canonical text; bump it with any change to the layout. */
export const EVENT_FORMAT_VERSION = 1;

/**
 * The canonical text of an event:
 * `JSON.stringify([1, seq, id, occurredAt.toISOString(), service, method, principal, resourceType,
 * resourceId, action, outcome, requestSummary, sourceIp])` (the leading 1 is EVENT_FORMAT_VERSION).
 *
 * THIS IS THE STORED FORMAT: every event already chained was hashed over exactly this text, so
 * it must never change (order, encoding, fields) without bumping EVENT_FORMAT_VERSION and
 * keeping the old layout to verify old events. Throws a RangeError for an invalid occurredAt.
 */
export function canonicalEventText(e: HashedEventFields): string {
  return canonicalEventTextAt(e, isoTimestamp(e.occurredAt));
}

/**
 * `canonicalEventText` with occurredAt given as its ISO text (`occurredAt.toISOString()`), for a
 * reader that has the time as text already: the layout lives here alone.
 */
export function canonicalEventTextAt(e: Omit<HashedEventFields, "occurredAt">, occurredAtIso: string): string {
  return JSON.stringify([
    EVENT_FORMAT_VERSION,
    e.seq,
    e.id,
    occurredAtIso,
    e.service,
    e.method,
    e.principal,
    e.resourceType,
    e.resourceId,
    e.action,
    e.outcome,
    e.requestSummary,
    e.sourceIp,
  ]);
}

/** An event's links and canonical text, the text null when it cannot be made (an invalid occurredAt). */
export function eventTextOf(e: ChainEvent): EventText {
  let text: string | null;
  try {
    text = canonicalEventText(e);
  } catch {
    text = null;
  }
  return { seq: e.seq, prevHash: e.prevHash, hash: e.hash, text };
}

/**
 * Exactly `date.toISOString()` (a RangeError for an invalid date), computed from the UTC fields
 * for the years 1000-9999: about 0.3 µs less per event, a tenth of what hashing one costs.
 */
export function isoTimestamp(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  return (
    `${year}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}T${twoDigits(date.getUTCHours())}:` +
    `${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}.${threeDigits(date.getUTCMilliseconds())}Z`
  );
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function threeDigits(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`;
}

/** The UTF-8 bytes of `canonicalEventText(e)`: what the event's HMAC covers after the previous hash. */
export function canonicalEventBytes(e: HashedEventFields): Buffer {
  return Buffer.from(canonicalEventText(e), "utf8");
}

/**
 * The bytes a checkpoint's Ed25519 signature covers:
 * `msp-audit-checkpoint/1\n<seq>\n<hash>\n<signedAt ISO>\n<prevSeq>` in UTF-8.
 * Like the event format, it must never change without a new version tag.
 */
export function canonicalCheckpointBytes(c: SignedCheckpointFields): Buffer {
  return Buffer.from(`msp-audit-checkpoint/1\n${c.seq}\n${c.hash}\n${c.signedAt.toISOString()}\n${c.prevSeq}`, "utf8");
}
