import { setPriority } from "node:os";
import { basename } from "node:path";
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
  const launcher = process.argv[1];
  // Only the msp launcher or its bundles are started again (never whatever script embeds this code, such as a test runner).
  if (!launcher || !/^(?:msp(?:\.js)?|hook\.js|cli\.js|hook-main\.ts|cli-main\.ts)$/.test(basename(launcher))) return false;
  // child_process is loaded only here: most hooks start no sender.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const child = spawn(process.execPath, [...process.execArgv, launcher, "sync", "--background", "--home", home], {
    detached: true,
    stdio: "ignore",
    windowsHide: true,
    env: process.env,
  });
  child.on("error", () => undefined);
  // Uploads are background work: they yield the CPU to Claude and to the next hook.
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, 10);
    } catch {
      // not permitted here: it runs at normal priority
    }
  }
  child.unref();
  return true;
}
