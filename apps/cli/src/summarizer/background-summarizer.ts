import { startDetachedMsp } from "../local/detached-msp";

/**
 * Starts `msp summarize --background` as a detached process that outlives whoever queued the job
 * (the background sender, or `msp sync`): Claude Code may take a minute to write a summary, and
 * nothing waits for it. Like the sender, it runs at a lower CPU priority, and only from the msp
 * launcher or its bundles (never from a test runner that embeds this code).
 */
export function startBackgroundSummarizer(home: string): boolean {
  return startDetachedMsp(home, ["summarize"]);
}
