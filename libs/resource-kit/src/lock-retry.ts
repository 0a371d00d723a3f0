import { DatabaseError } from "sequelize";

/**
 * Driver codes of a transaction that lost a lock race and was rolled back whole: a deadlock (on
 * Galera also a certification failure) or a busy SQLite file. Running it again succeeds.
 */
const retryable = /^(ER_LOCK_DEADLOCK|SQLITE_BUSY)$/;

/** Driver codes of a lost lock race, retried or not (a lock wait timeout has already waited long). */
const lockConflict = /^(ER_LOCK_DEADLOCK|ER_LOCK_WAIT_TIMEOUT|SQLITE_BUSY)$/;

function driverCode(error: unknown): string {
  const code = error instanceof DatabaseError ? (error.parent as { code?: unknown } | undefined)?.code : undefined;
  return typeof code === "string" ? code : "";
}

/** Whether a write failed for a concurrent one (deadlock, lock wait timeout, busy SQLite file). */
export function isLockConflict(error: unknown): boolean {
  return lockConflict.test(driverCode(error));
}

export interface LockRetryOptions {
  /** Runs in all, the first included. */
  attempts: number;
  /** The longest pause before a run again; each pause is random up to it, so racers part. */
  maxPauseMs: number;
}

export const defaultLockRetry: Readonly<LockRetryOptions> = { attempts: 4, maxPauseMs: 25 };

/**
 * Runs a transaction again when it lost a deadlock (or found SQLite busy): the database rolled it
 * back whole, so nothing of the failed run remains, and the same run usually succeeds once the
 * other transaction is through. `run` must start its transaction afresh each time. The last
 * error is thrown when every attempt lost.
 */
export async function retryingLockConflicts<T>(run: () => Promise<T>, options: LockRetryOptions = defaultLockRetry): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= options.attempts || !retryable.test(driverCode(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * options.maxPauseMs));
    }
  }
}
