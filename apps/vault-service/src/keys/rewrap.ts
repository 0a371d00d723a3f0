import { CryptoError } from "@msp/crypto";
import type { Database, Dialect } from "@msp/db";
import { affectedRows } from "@msp/db";
import type { Logger } from "@msp/logging";
import { QueryTypes } from "sequelize";
import { EncryptionKeyModel } from "../models";
import type { KeyRing } from "./key-ring";
import type { Sealer } from "./sealer";
import { storedSecretOf } from "./sealer";

/** A table holding sealed secrets: its secret columns (all under the row's key_id). */
interface SecretTable {
  table: string;
  fields: readonly string[];
}

/** Every place a secret is stored. */
export const secretTables: readonly SecretTable[] = [
  { table: "credentials", fields: ["secret"] },
  { table: "credential_versions", fields: ["secret"] },
  { table: "integration_credentials", fields: ["secret", "refresh_token", "webhook_secret"] },
];

/** How many secrets each data key protects. */
export async function secretsPerKey(db: Database): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { table } of secretTables) {
    const rows = await db.select<{ key_id: string; n: number | string }>(
      `SELECT key_id, COUNT(*) AS n FROM ${table} WHERE key_id IS NOT NULL GROUP BY key_id`,
      [],
    );
    for (const row of rows) counts.set(row.key_id, (counts.get(row.key_id) ?? 0) + Number(row.n));
  }
  return counts;
}

/** What one pass did. */
export interface RewrapPass {
  moved: number;
  /** Rows whose secrets did not decrypt (left as they are, and logged). */
  failed: number;
  retired: string[];
}

/**
 * The rewrap job: re-encrypts, in batches of `batch` rows per transaction, every secret not under
 * the active data key, then retires the keys no secret uses any more. Online: a row is only
 * rewritten if it still holds the ciphertext that was read (a secret changed meanwhile is left to
 * its writer, which sealed it under the active key). It keeps no state of its own: after a crash
 * the next pass finds what is left, so it resumes by construction. Any instance may run it.
 */
export class Rewrapper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private again = false;
  /** Rows already reported as undecryptable, so that each is logged once, not on every pass. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly ring: KeyRing,
    private readonly sealer: Sealer,
    private readonly logger: Logger,
    private readonly batch: number,
    private readonly pollMs = 5_000,
  ) {}

  /** Runs a pass now and every pollMs while keys are being drained. */
  start(): void {
    this.nudge();
  }

  /** Asks for a pass as soon as the current one (if any) ends. */
  nudge(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.pass()
      .then((pass) => {
        if (pass.moved > 0 || pass.retired.length > 0) this.logger.info({ ...pass }, "rewrap pass done");
      })
      .catch((error: unknown) => this.logger.error({ err: error }, "rewrap pass failed; it will be retried"))
      .finally(() => {
        this.running = undefined;
        if (this.stopping) return;
        if (this.again) {
          this.again = false;
          this.nudge();
        } else {
          this.timer = setTimeout(() => this.nudge(), this.pollMs);
          this.timer.unref();
        }
      });
  }

  /** Stops after the batch in hand is committed. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every secret table; only does work while some key is being drained. */
  async pass(): Promise<RewrapPass> {
    // Only while a rotation is being drained: once its keys are retired, passes stop scanning. A
    // secret a writer sealed under a key just as it was retired stays readable (retired keys stay in
    // the ring) and moves with the next rotation.
    const draining = await EncryptionKeyModel.count({ where: { status: "rewrapping" } });
    const result: RewrapPass = { moved: 0, failed: 0, retired: [] };
    if (draining === 0) return result;
    const active = await this.ring.activeKey();
    for (const target of secretTables) {
      let after = "";
      while (!this.stopping) {
        const rows = await this.db.select<Record<string, string | null>>(
          `SELECT id, key_id, ${target.fields.flatMap((f) => [f, `${f}_nonce`]).join(", ")} FROM ${target.table}
            WHERE key_id IS NOT NULL AND key_id <> ? AND id > ? ORDER BY id LIMIT ${this.batch}`,
          [active.id, after],
        );
        if (rows.length === 0) break;
        after = String(rows[rows.length - 1]?.["id"]);
        const done = await this.rewrapBatch(target, rows);
        result.moved += done.moved;
        result.failed += done.failed;
      }
    }
    if (!this.stopping && result.failed === 0) result.retired = await this.retireUnused(active.id);
    return result;
  }

  private async rewrapBatch(target: SecretTable, rows: Record<string, string | null>[]): Promise<{ moved: number; failed: number }> {
    let failed = 0;
    const updates: RowUpdate[] = [];
    for (const [i, row] of rows.entries()) {
      // Lets the service's calls in between: a batch of 500 is some 20 ms of decrypting and sealing.
      if (i > 0 && i % rowsPerUpdate === 0) await new Promise((resolve) => setImmediate(resolve));
      const id = String(row["id"]);
      const plain: Record<string, string | null> = {};
      try {
        for (const field of target.fields) {
          const stored = storedSecretOf(row, field);
          plain[field] = stored ? await this.sealer.open({ table: target.table, rowId: id, field }, stored) : null;
        }
      } catch (error) {
        if (!(error instanceof CryptoError)) throw error;
        failed += 1;
        if (!this.reported.has(id) && this.reported.size < 100_000) {
          this.reported.add(id);
          this.logger.error({ table: target.table, id, code: error.code }, "a secret did not decrypt during rewrap; left under its key");
        }
        continue;
      }
      const columns = await this.sealer.sealFields(target.table, id, plain);
      updates.push({ id, oldKey: String(row["key_id"]), oldNonce: String(row[`${target.fields[0]}_nonce`]), columns });
    }
    let moved = 0;
    if (updates.length > 0) {
      await this.db.transaction(async (transaction) => {
        moved = 0;
        for (let i = 0; i < updates.length; i += rowsPerUpdate) {
          const { sql, replacements } = batchUpdate(this.db.dialect, target, updates.slice(i, i + rowsPerUpdate));
          // type UPDATE: without it SQLite runs the statement with `all` and reports no count.
          const [, affected] = await this.db.sequelize.query(sql, { replacements, transaction, type: QueryTypes.UPDATE });
          moved += affectedRows(affected);
        }
      });
    }
    return { moved, failed };
  }

  /** Retires every non-active key that no secret uses. */
  private async retireUnused(activeId: string): Promise<string[]> {
    const used = await secretsPerKey(this.db);
    const candidates = await EncryptionKeyModel.findAll({ where: { status: "rewrapping" }, attributes: ["id"], raw: true });
    const retiring = candidates.map((k) => k.id).filter((id) => id !== activeId && !used.has(id));
    if (retiring.length > 0) {
      await EncryptionKeyModel.update({ status: "retired", retired_at: new Date() }, { where: { id: retiring, status: "rewrapping" } });
    }
    return retiring;
  }
}

/** A row's new columns, and the key and nonce it must still hold to be rewritten. */
interface RowUpdate {
  id: string;
  oldKey: string;
  oldNonce: string;
  columns: Record<string, string | null>;
}

/**
 * Rows per UPDATE statement, and rows sealed between two turns of the event loop. One statement
 * per row cost a round trip and Sequelize's query pipeline each: 100,000 secrets took 46 s through
 * the platform on an idle two-core machine and 164 s with other jobs on it, against 10-13 s now
 * (BENCHMARKS.md). A hundred keeps each statement's and each turn's work to a few milliseconds.
 */
const rowsPerUpdate = 100;

/**
 * One UPDATE for many rows of a batch: the new columns come from a derived table of one SELECT per
 * row, joined on the id and on the key and nonce the row was read with, so a secret changed
 * meanwhile is left to its writer. MariaDB joins it (UPDATE ... JOIN), SQLite reads it (UPDATE ...
 * FROM). On MariaDB this takes less than half the time of the same rows set by CASE id WHEN ...
 * (whose WHENs are searched row by row).
 */
function batchUpdate(
  dialect: Dialect,
  target: SecretTable,
  updates: readonly RowUpdate[],
): { sql: string; replacements: (string | null)[] } {
  const names = Object.keys(updates[0]?.columns ?? {});
  const columns = ["id", "old_key", "old_nonce", ...names.map((name) => `new_${name}`)];
  const replacements: (string | null)[] = [];
  const selects = updates.map((update, i) => {
    replacements.push(update.id, update.oldKey, update.oldNonce, ...names.map((name) => update.columns[name] ?? null));
    return `SELECT ${columns.map((column) => (i === 0 ? `? AS ${column}` : "?")).join(", ")}`;
  });
  const rows = `(${selects.join(" UNION ALL ")}) AS v`;
  const match = `t.id = v.id AND t.key_id = v.old_key AND t.${target.fields[0]}_nonce = v.old_nonce`;
  const sql =
    dialect === "mariadb"
      ? `UPDATE ${target.table} AS t JOIN ${rows} ON ${match} SET ${names.map((name) => `t.${name} = v.new_${name}`).join(", ")}`
      : `UPDATE ${target.table} AS t SET ${names.map((name) => `${name} = v.new_${name}`).join(", ")} FROM ${rows} WHERE ${match}`;
  return { sql, replacements };
}
