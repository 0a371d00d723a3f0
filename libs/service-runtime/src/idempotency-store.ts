import { createHmac } from "node:crypto";
import { QueryTypes, UniqueConstraintError } from "sequelize";
import type { Database } from "@msp/db";
import { affectedRows } from "@msp/db";
import type { Idempotency, IdempotencyStore, KeptCall, KeptState } from "@msp/grpc-kit";
import { KeyInUse, idempotencyKeyTtlMs, idempotencyTableOf } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import { toDate } from "@msp/resource-kit";
import type { BackgroundWorker } from "./service-module";

/** A service's kept idempotency keys, in its own table (migration 20261209000000-IdempotencyKeys). */
export interface KeptKeys extends IdempotencyStore {
  /** Deletes keys past their 24 hours, at most `batch` at a time until none is left; returns how many. */
  pruneExpired(now?: Date, batch?: number): Promise<number>;
}

export function createKeptKeys(db: Database, serviceName: string, ttlMs = idempotencyKeyTtlMs): KeptKeys {
  const table = db.sequelize.getQueryInterface().quoteIdentifier(idempotencyTableOf(serviceName));
  const write = async (sql: string, replacements: unknown[]) => {
    await db.transaction((transaction) => db.sequelize.query(sql, { replacements, transaction }));
  };
  const insert = `INSERT INTO ${table} (id, method, fingerprint, state, answer, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`;
  const settle = `UPDATE ${table} SET state = ?, answer = ? WHERE id = ? AND state = 'pending'`;
  return {
    async find(id) {
      const [row] = await db.select<{
        fingerprint: string;
        state: KeptState;
        answer: string | null;
        created_at: unknown;
        expires_at: unknown;
      }>(`SELECT fingerprint, state, answer, created_at, expires_at FROM ${table} WHERE id = ?`, [id]);
      if (row === undefined) return undefined;
      if (toDate(row.expires_at).getTime() <= Date.now()) {
        // Past its 24 hours: the key is free again (the pruner would delete it soon anyway).
        await write(`DELETE FROM ${table} WHERE id = ? AND expires_at <= ?`, [id, new Date()]);
        return undefined;
      }
      const kept: KeptCall = { fingerprint: row.fingerprint, state: row.state, answer: row.answer, createdAt: toDate(row.created_at) };
      return kept;
    },
    async claim(transaction, claim) {
      const now = new Date();
      try {
        await db.sequelize.query(insert, {
          replacements: [claim.id, claim.method, claim.fingerprint, "pending", null, now, new Date(now.getTime() + ttlMs)],
          transaction,
        });
      } catch (error) {
        if (error instanceof UniqueConstraintError) throw new KeyInUse("the idempotency key is held by another call");
        throw error;
      }
    },
    async settle(id, outcome, transaction) {
      const replacements = [outcome.state, outcome.answer, id];
      if (transaction === undefined) await write(settle, replacements);
      else await db.sequelize.query(settle, { replacements, transaction });
    },
    async record(claim, outcome) {
      const now = new Date();
      try {
        await write(insert, [
          claim.id,
          claim.method,
          claim.fingerprint,
          outcome.state,
          outcome.answer,
          now,
          new Date(now.getTime() + ttlMs),
        ]);
      } catch (error) {
        if (!(error instanceof UniqueConstraintError)) throw error;
      }
    },
    async pruneExpired(now = new Date(), batch = 1000) {
      const sql =
        db.dialect === "mariadb"
          ? `DELETE FROM ${table} WHERE expires_at <= ? LIMIT ${batch}`
          : `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE expires_at <= ? LIMIT ${batch})`;
      let total = 0;
      for (;;) {
        const deleted = await db.transaction(async (transaction) => {
          // type UPDATE: without it SQLite runs the statement with `all` and reports no count.
          const [, meta] = await db.sequelize.query(sql, { replacements: [now], transaction, type: QueryTypes.UPDATE });
          return affectedRows(meta);
        });
        total += deleted;
        if (deleted < batch) return total;
      }
    },
  };
}

/** What a service's calls with idempotency keys use: its table, and an HMAC key derived from the platform's secret. */
export function idempotencyOf(keys: IdempotencyStore, jwtSecret: string, logger: Logger): Idempotency {
  const fingerprintKey = createHmac("sha256", jwtSecret).update("msp idempotency key fingerprints").digest();
  return { store: keys, fingerprintKey, logger };
}

/** How often expired keys are deleted; the first time a minute after start. */
const pruneEveryMs = 15 * 60 * 1000;
const firstPruneMs = 60 * 1000;

/** Deletes expired idempotency keys now and then, for the life of the service. */
export function keyPruner(keys: KeptKeys, logger: Logger): BackgroundWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const prune = () => {
    running = keys
      .pruneExpired()
      .then((count) => {
        if (count > 0) logger.info({ count }, "deleted expired idempotency keys");
      })
      .catch((error: unknown) => logger.warn({ err: error }, "could not delete expired idempotency keys; trying again later"))
      .finally(() => {
        running = undefined;
        if (timer !== undefined) schedule(pruneEveryMs);
      });
  };
  const schedule = (ms: number) => {
    timer = setTimeout(prune, ms);
    timer.unref();
  };
  return {
    name: "idempotency key pruning",
    start: () => schedule(firstPruneMs),
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
