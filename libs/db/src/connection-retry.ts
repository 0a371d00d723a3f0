import type { Transaction } from "sequelize";
import { isDatabaseUnavailable } from "./unavailable";

/** The pause before the one run again: the pool has dropped the broken connection by then. */
export const lostConnectionPauseMs = 100;

/**
 * Runs a transaction once more when its connection failed before it asked to commit (a pooled
 * connection the server dropped, a database restarting or a Galera node leaving): the server rolled
 * it back, so nothing of it stays and running it again is safe (`body` starts from scratch, as
 * every transaction body must: see retryingLockConflicts). A failure once the body is done, in the
 * commit itself, is never run again: whether that commit took effect is unknown, and only an
 * idempotency key's claim (grpc-kit) can tell a retry of the caller's.
 */
export async function retryingLostConnection<T>(
  body: (transaction: Transaction) => Promise<T>,
  begin: (body: (transaction: Transaction) => Promise<T>) => Promise<T>,
  pauseMs = lostConnectionPauseMs,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let committing = false;
    try {
      return await begin(async (transaction) => {
        committing = false;
        const result = await body(transaction);
        committing = true;
        return result;
      });
    } catch (error) {
      if (committing || attempt > 1 || !isDatabaseUnavailable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
