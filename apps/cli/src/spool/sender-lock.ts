import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";

const lockFile = "sender.lock";
/** A lock older than this is taken over even when its pid is alive (pids get reused). */
const staleAfterMs = 10 * 60_000;

/** Held while one process sends the spool; two senders never run at once. */
export interface SenderLock {
  release(): void;
}

/** Takes the spool's sender lock, or returns undefined when another live process holds it. */
export function tryLockSender(spoolDir: string): SenderLock | undefined {
  mkdirSync(spoolDir, { recursive: true, mode: 0o700 });
  const path = join(spoolDir, lockFile);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (!isStale(path)) return undefined;
      rmSync(path, { force: true });
    }
  }
  return undefined;
}

/** Waits up to `waitMs` for the lock (msp sync waits for a background sender to finish). */
export async function lockSender(spoolDir: string, waitMs: number): Promise<SenderLock | undefined> {
  const until = Date.now() + waitMs;
  for (;;) {
    const lock = tryLockSender(spoolDir);
    if (lock || Date.now() >= until) return lock;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** True when the lock is held by a process that is alive: a background sender is at work. */
export function senderRunning(spoolDir: string): boolean {
  const path = join(spoolDir, lockFile);
  try {
    statSync(path);
  } catch {
    return false;
  }
  return !isStale(path);
}

function isStale(path: string): boolean {
  let holder: { pid?: unknown; at?: unknown };
  try {
    holder = JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown; at?: unknown };
  } catch {
    // Unreadable: a holder that crashed between creating and writing it, unless it is brand new.
    try {
      return Date.now() - statSync(path).mtimeMs > 5_000;
    } catch {
      return true;
    }
  }
  if (typeof holder.pid !== "number" || typeof holder.at !== "string") return true;
  if (Date.now() - Date.parse(holder.at) > staleAfterMs) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
