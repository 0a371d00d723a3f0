import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * How long after the platform was found unreachable the hooks stop trying (a circuit breaker):
 * they spool at once instead of loading node:http and waiting for a refused connection, and start
 * no background sender that would fail the same way. `msp sync` always tries.
 */
export const unreachableWindowMs = 30_000;

/** SessionStart's shorter window: its recall is worth more, so it tries again sooner. */
export const sessionStartWindowMs = 10_000;

function markerPath(cacheDir: string): string {
  return join(cacheDir, "platform-unreachable");
}

/** Notes that the platform did not answer (refused, reset, or past a deadline). */
export function markUnreachable(cacheDir: string): void {
  try {
    mkdirSync(dirname(markerPath(cacheDir)), { recursive: true, mode: 0o700 });
    writeFileSync(markerPath(cacheDir), new Date().toISOString(), { mode: 0o600 });
  } catch {
    // a breaker that cannot be set only costs time
  }
}

/** Notes that the platform answered. */
export function markReachable(cacheDir: string): void {
  rmSync(markerPath(cacheDir), { force: true });
}

/** True when the platform was found unreachable less than `windowMs` ago. */
export function recentlyUnreachable(cacheDir: string, windowMs = unreachableWindowMs, now = Date.now()): boolean {
  try {
    return now - statSync(markerPath(cacheDir)).mtimeMs < windowMs;
  } catch {
    return false;
  }
}

/**
 * Follows the outcome of a process's platform calls and keeps the marker in step, writing it
 * only when the outcome changes. `isUnreachable` tells whether an error means "did not answer".
 */
export function reachabilityObserver(cacheDir: string, isUnreachable: (error: unknown) => boolean) {
  let answered: boolean | undefined;
  return {
    observe: (error: unknown): void => {
      const reachable = error === undefined || !isUnreachable(error);
      if (reachable === answered) return;
      answered = reachable;
      if (reachable) markReachable(cacheDir);
      else markUnreachable(cacheDir);
    },
    /** Down: unreachable in this process, or (before any call here) found so by a recent one. */
    down: (windowMs = unreachableWindowMs): boolean =>
      answered === false || (answered === undefined && recentlyUnreachable(cacheDir, windowMs)),
  };
}
