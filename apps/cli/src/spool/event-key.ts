import { createHash } from "node:crypto";

/**
 * The idempotency key of a hook event: machine + Claude session + what happened (a tool call's
 * id, a transcript offset). The same event seen twice gets the same key, so it is sent once.
 */
export function eventKey(machineId: string, claudeSessionId: string, kind: string, discriminator: string): string {
  const digest = createHash("sha256").update(`${machineId}\n${claudeSessionId}\n${kind}\n${discriminator}`).digest("hex");
  return `${kind}-${digest.slice(0, 40)}`;
}
