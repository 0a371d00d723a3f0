import { startDetachedMsp } from "../local/detached-msp";
import { spoolHasWork } from "../spool/spool-flush";
import { senderRunning } from "../spool/sender-lock";

/**
 * Starts `msp sync --background` as a detached process that outlives the hook, so a hook never
 * waits for uploads: Claude gets its answer while the spool drains. Nothing is started when the
 * spool is empty or a sender already runs (it takes what is new before it stops).
 */
export function startBackgroundSender(home: string, spoolDir: string, force = false): boolean {
  if (!force && !spoolHasWork(spoolDir)) return false;
  if (senderRunning(spoolDir)) return false;
  return startDetachedMsp(home, ["sync"], true);
}
