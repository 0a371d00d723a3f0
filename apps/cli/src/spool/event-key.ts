/**
 * The idempotency key of a hook event: machine + Claude session + what happened (a tool call's
 * id, a transcript offset). The same event seen twice gets the same key, so it is sent once.
 */
export function eventKey(machineId: string, claudeSessionId: string, kind: string, discriminator: string): string {
  // node:crypto loads here, not at start-up: hooks that spool nothing never need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const digest = createHash("sha256").update(`${machineId}\n${claudeSessionId}\n${kind}\n${discriminator}`).digest("hex");
  return `${kind}-${digest.slice(0, 40)}`;
}
