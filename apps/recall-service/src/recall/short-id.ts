import { createHash } from "node:crypto";
import type { Candidate, RecalledKind } from "./candidate";
import { memoizedPerCandidate } from "./memo";

const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
/** 8 base32 characters: 40 bits, so collisions are rare but possible and lookups must allow them. */
export const shortIdLength = 8;

/**
 * The short id Claude sees in a recalled line and passes to `msp recall --id`: stable for an item
 * (derived from kind and id only), lower-case RFC 4648 base32 of the SHA-256 of `kind:id`. Host
 * lines (kind "host", the infra service's asset id) have one too, so callers can leave them out.
 */
export function shortIdOf(kind: RecalledKind | "host", id: string): string {
  const digest = createHash("sha256").update(`${kind}:${id.toLowerCase()}`).digest();
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < shortIdLength) {
      bits -= 5;
      out += alphabet[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
    if (out.length === shortIdLength) break;
  }
  return out;
}

/** A candidate's short id (remembered per candidate). */
export const shortIdOfCandidate = memoizedPerCandidate((candidate: Pick<Candidate, "kind" | "id" | "memo">) =>
  shortIdOf(candidate.kind, candidate.id),
);

/** Whether text has the form of a short id (callers may send upper case: compare normalized). */
export function isShortId(text: string): boolean {
  return new RegExp(`^[${alphabet}]{${shortIdLength}}$`).test(text);
}

/** A short id as typed by a user: trimmed and lower-cased. */
export function normalizeShortId(text: string): string {
  return text.trim().toLowerCase();
}
