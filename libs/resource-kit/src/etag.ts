import * as crypto from "node:crypto";

// One-shot hashing (Node 20.12+) costs a fraction of a Hash object per call, and lists and
// timelines compute an etag for every row they return; the value is the same either way.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: "base64url") => string }).hash;

/** An opaque etag that changes whenever the row's revision does. */
export function etagOf(id: string, revision: number): string {
  const text = `${id}:${revision}`;
  const digest = oneShot ? oneShot("sha256", text, "base64url") : crypto.createHash("sha256").update(text).digest("base64url");
  return digest.slice(0, 16);
}
