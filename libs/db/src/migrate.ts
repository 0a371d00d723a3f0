import { randomUUID } from "node:crypto";
import { QueryTypes } from "sequelize";
import { SequelizeStorage, Umzug } from "umzug";
import type { Database } from "./database";
import { isLockConflict, retryingLockConflicts } from "./lock-retry";
import type { MigrationContext } from "./schema";

/** One step of the schema history. Names are `<timestamp>-PascalName`. */
export interface Migration {
  name: string;
  up(ctx: MigrationContext): Promise<void>;
  down(ctx: MigrationContext): Promise<void>;
}

export interface MigrateOptions {
  /** How long to wait for another process's migration run before giving up. */
  lockTimeoutMs?: number;
  /** A lock older than this is considered abandoned by a crashed process. */
  staleLockMs?: number;
  log?: (message: string) => void;
  /**
   * Runs under the migration lock, before anything changes, when an existing database (one with
   * at least one applied migration) has pending ones; a fresh database skips it. The platform
   * takes its pre-migration backup here. If it throws, no migration runs and the error propagates.
   * The lock is kept fresh meanwhile, so a long backup is not mistaken for a crashed process.
   */
  beforeMigrating?: (pending: readonly string[]) => Promise<void>;
}

const lockTable = "schema_migration_lock";

/**
 * Applies pending migrations. A row in a lock table (not a table lock, which Galera does not
 * replicate) makes sure two services starting together never migrate twice.
 */
export async function migrateUp(db: Database, migrations: readonly Migration[], options: MigrateOptions = {}): Promise<string[]> {
  return withMigrationLock(db, options, async (lock) => {
    const umzug = umzugFor(db, migrations);
    if (options.beforeMigrating) await runBeforeMigrating(umzug, options.beforeMigrating, lock);
    const applied = await umzug.up();
    // One line, not one per migration: a first start applies them all.
    if (applied.length > 0)
      options.log?.(`migrated the database: ${applied.length} migration${applied.length === 1 ? "" : "s"}, up to ${applied.at(-1)!.name}`);
    return applied.map((m) => m.name);
  });
}

/** Calls the hook when an existing database has pending migrations, keeping the lock fresh meanwhile. */
async function runBeforeMigrating(
  umzug: Umzug<MigrationContext>,
  beforeMigrating: (pending: readonly string[]) => Promise<void>,
  lock: HeldLock,
): Promise<void> {
  const pending = await umzug.pending();
  if (pending.length === 0 || (await umzug.executed()).length === 0) return;
  await lock.keptFreshWhile(() => beforeMigrating(pending.map((m) => m.name)));
}

/** Reverts the most recent migration, or all of them down to `to` (0 reverts everything). */
export async function migrateDown(
  db: Database,
  migrations: readonly Migration[],
  to?: 0 | string,
  options: MigrateOptions = {},
): Promise<string[]> {
  return withMigrationLock(db, options, async () => {
    const reverted = await umzugFor(db, migrations).down(to === undefined ? undefined : { to });
    return reverted.map((m) => m.name);
  });
}

function umzugFor(db: Database, migrations: readonly Migration[]): Umzug<MigrationContext> {
  const context: MigrationContext = { sequelize: db.sequelize, queryInterface: db.sequelize.getQueryInterface(), dialect: db.dialect };
  return new Umzug<MigrationContext>({
    migrations: migrations.map((m) => ({ name: m.name, up: () => m.up(context), down: () => m.down(context) })),
    context,
    storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: "schema_migrations" }),
    logger: undefined,
  });
}

/** The migration lock while this process holds it. */
interface HeldLock {
  /**
   * Runs fn while refreshing the lock's acquired_at, so other processes do not take a lock held
   * through a long step (a pre-migration backup) for an abandoned one.
   */
  keptFreshWhile<T>(fn: () => Promise<T>): Promise<T>;
}

async function withMigrationLock<T>(db: Database, options: MigrateOptions, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  const owner = randomUUID();
  const deadline = Date.now() + (options.lockTimeoutMs ?? 120_000);
  const staleMs = options.staleLockMs ?? 600_000;
  const s = db.sequelize;
  await s.query(
    `CREATE TABLE IF NOT EXISTS ${lockTable} (id INTEGER NOT NULL PRIMARY KEY, owner VARCHAR(64) NOT NULL, acquired_at BIGINT NOT NULL)`,
  );
  for (;;) {
    try {
      await s.query(`INSERT INTO ${lockTable} (id, owner, acquired_at) VALUES (1, ?, ?)`, { replacements: [owner, Date.now()] });
      break;
    } catch (error) {
      // Another process holds the lock, or took it while this insert waited: InnoDB may end such
      // a race of inserts on one key in a deadlock (or a lock wait timeout). Either way the lock
      // is someone else's: wait for the winner as for any holder.
      if (!isUniqueViolation(error) && !isLockConflict(error)) throw error;
    }
    const holder = await lostRace(() =>
      s
        .query<{ owner: string; acquired_at: number | string }>(`SELECT owner, acquired_at FROM ${lockTable} WHERE id = 1`, {
          type: QueryTypes.SELECT,
        })
        .then((rows) => rows[0]),
    );
    if (holder && Date.now() - Number(holder.acquired_at) > staleMs) {
      options.log?.(`removing a stale migration lock held by ${holder.owner}`);
      await lostRace(() => s.query(`DELETE FROM ${lockTable} WHERE id = 1 AND owner = ?`, { replacements: [holder.owner] }));
      continue;
    }
    if (Date.now() > deadline) throw new Error("timed out waiting for another process to finish migrating");
    // Apart, so racers that lost together do not try again together.
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
  }
  const refresh = () =>
    s.query(`UPDATE ${lockTable} SET acquired_at = ? WHERE id = 1 AND owner = ?`, { replacements: [Date.now(), owner] });
  const lock: HeldLock = {
    async keptFreshWhile(inner) {
      const timer = setInterval(
        () => {
          refresh().catch((error: unknown) => options.log?.(`could not refresh the migration lock: ${(error as Error).message}`));
        },
        Math.max(1000, Math.floor(staleMs / 4)),
      );
      try {
        return await inner();
      } finally {
        clearInterval(timer);
      }
    },
  };
  try {
    return await fn(lock);
  } finally {
    await retryingLockConflicts(() => s.query(`DELETE FROM ${lockTable} WHERE id = 1 AND owner = ?`, { replacements: [owner] }), {
      attempts: 10,
      maxPauseMs: 100,
    });
  }
}

/** What `read` gives, or undefined when it lost a lock race on the lock row: the loop looks again. */
async function lostRace<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isLockConflict(error)) return undefined;
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? "";
  const message = (error as { message?: string }).message ?? "";
  return name === "SequelizeUniqueConstraintError" || /UNIQUE constraint failed|Duplicate entry/i.test(message);
}
