import { AsyncLocalStorage } from "node:async_hooks";
import type { Transaction } from "sequelize";

/**
 * A write that must commit with a call's changes, in their transaction: an idempotency key's claim
 * (grpc-kit), so that no change commits without it and none of it stays when the change rolls back.
 */
export interface TransactionJoiner {
  /** Runs first in every transaction begun within the scope (each run of it), until one commits. */
  join(transaction: Transaction): Promise<void>;
  /** The transaction it joined has committed. */
  committed(transaction: Transaction): void;
}

interface JoinScope {
  joiner: TransactionJoiner;
  joined: boolean;
}

const scopes = new AsyncLocalStorage<JoinScope>();

/**
 * Runs `fn` with `joiner` joining the first transaction (Database.transaction) that commits
 * within it, however deep in `fn` it begins; later transactions run alone.
 */
export function joiningTransactions<T>(joiner: TransactionJoiner, fn: () => Promise<T>): Promise<T> {
  return scopes.run({ joiner, joined: false }, fn);
}

/**
 * Begins `fn`'s transaction with `begin`, the scope's joiner first in it when one waits: what
 * Database.transaction does. `begin` may run the body more than once (after a lost deadlock), each
 * time in a new transaction, so the joiner joins each run.
 */
export async function joinedTransaction<T>(
  fn: (transaction: Transaction) => Promise<T>,
  begin: (body: (transaction: Transaction) => Promise<T>) => Promise<T>,
): Promise<T> {
  const scope = scopes.getStore();
  if (scope === undefined || scope.joined) return begin(fn);
  let last: Transaction | undefined;
  const result = await begin(async (transaction) => {
    last = transaction;
    await scope.joiner.join(transaction);
    return fn(transaction);
  });
  scope.joined = true;
  if (last !== undefined) scope.joiner.committed(last);
  return result;
}

/** Whether a joiner waits for the next transaction begun here (a write must then go through Database.transaction). */
export function joinerWaiting(): boolean {
  const scope = scopes.getStore();
  return scope !== undefined && !scope.joined;
}
