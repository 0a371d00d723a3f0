import { setPriority } from "node:os";
import { basename } from "node:path";

/**
 * Starts `msp summarize --background` as a detached process that outlives whoever queued the job
 * (the background sender, or `msp sync`): Claude Code may take a minute to write a summary, and
 * nothing waits for it. Like the sender, it runs at a lower CPU priority, and only from the msp
 * launcher or its bundles (never from a test runner that embeds this code).
 */
export function startBackgroundSummarizer(home: string): boolean {
  const launcher = process.argv[1];
  if (!launcher || !/^(?:msp(?:\.js)?|cli\.js|cli-main\.ts)$/.test(basename(launcher))) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const child = spawn(process.execPath, [...process.execArgv, launcher, "summarize", "--background", "--home", home], {
    detached: true,
    stdio: "ignore",
    windowsHide: true,
    env: process.env,
  });
  child.on("error", () => undefined);
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
