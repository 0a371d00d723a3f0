import { createHash } from "node:crypto";

/** Text as compared for duplicates: lower-case, whitespace collapsed, trimmed. */
export function normalizeForHash(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

/** SHA-256 (hex) of the normalized text: two texts differing only in case or spacing share it. */
export function contentHash(text: string): string {
  return createHash("sha256").update(normalizeForHash(text)).digest("hex");
}
