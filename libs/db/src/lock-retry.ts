import { DatabaseError } from "sequelize";

/**
 * The driver code of a transaction that lost a deadlock (on Galera also a certification failure):
 * MariaDB rolled it back whole, and running it again succeeds. Not a busy SQLite file (it has
 * waited out the busy timeout already, holding this process's write turn) nor a lock wait
 * timeout (it has waited long already).
 */
const retryable = /^ER_LOCK_DEADLOCK$/;

/** Driver codes of a lost lock race, retried or not (a lock wait timeout has already waited long). */
const lockConflict = /^(ER_LOCK_DEADLOCK|ER_LOCK_WAIT_TIMEOUT|SQLITE_BUSY)$/;

/** The driver's code of an error: wrapped by Sequelize (DatabaseError), or the raw driver's (the read pool's, insertTogether's). */
function driverCode(error: unknown): string {
  const code =
    error instanceof DatabaseError
      ? (error.parent as { code?: unknown } | undefined)?.code
      : typeof error === "object" && error !== null && "sqlState" in error
        ? (error as { code?: unknown }).code
        : undefined;
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
 * Runs a transaction again when it lost a deadlock: the database rolled it back whole, so nothing
 * of the failed run remains, and the same run usually succeeds once the other transaction is
 * through. `run` must start its transaction afresh each time. The last error is thrown when every
 * attempt lost.
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
