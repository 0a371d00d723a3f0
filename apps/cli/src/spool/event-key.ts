/**
 * The idempotency key of a hook event: Claude session + what happened (a tool call's id, a
 * transcript offset). The same event seen twice gets the same key, so it is sent once. Keys stay
 * readable when they can; an unusual or long one is hashed (node:crypto loads only then: a hook
 * process saves its few milliseconds). The spool is this machine's own, so no machine id is needed.
 */
export function eventKey(claudeSessionId: string, kind: string, discriminator: string): string {
  const plain = `${kind}:${claudeSessionId}:${discriminator}`;
  if (plain.length <= 160 && /^[\w.:-]+$/.test(plain)) return plain;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  return `${kind}:${createHash("sha256").update(plain).digest("hex").slice(0, 40)}`;
}
