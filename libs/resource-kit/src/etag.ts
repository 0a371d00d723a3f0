import { createHash } from "node:crypto";

/** An opaque etag that changes whenever the row's revision does. */
export function etagOf(id: string, revision: number): string {
  return createHash("sha256").update(`${id}:${revision}`).digest("base64url").slice(0, 16);
}
