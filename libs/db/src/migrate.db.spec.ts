// migrateUp's beforeMigrating hook (where the platform takes its pre-migration backup), on a real
// test database: SQLite by default, MariaDB with MSP_TEST_DATABASE_URL.
import { QueryTypes } from "sequelize";
import { createTestDatabase } from "@msp/testing";
import type { TestDatabase } from "@msp/testing";
import type { Database } from "./database";
import { createDatabase } from "./database";
import type { Migration } from "./migrate";
import { migrateUp } from "./migrate";

/** A migration that creates (and drops) one small table. */
function tableMigration(name: string, table: string): Migration {
  return {
    name,
    up: ({ sequelize }) => sequelize.query(`CREATE TABLE ${table} (id INTEGER NOT NULL PRIMARY KEY)`).then(() => undefined),
    down: ({ sequelize }) => sequelize.query(`DROP TABLE ${table}`).then(() => undefined),
  };
}

const first = tableMigration("20990101000000-First", "hook_first");
const second = tableMigration("20990101000100-Second", "hook_second");
const third = tableMigration("20990101000200-Third", "hook_third");

async function tableExists(db: Database, table: string): Promise<boolean> {
  const sql =
    db.dialect === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?";
  const rows = await db.sequelize.query(sql, { replacements: [table], type: QueryTypes.SELECT });
  return rows.length > 0;
}

async function lockHolders(db: Database): Promise<{ acquired_at: number | string }[]> {
  return db.sequelize.query<{ acquired_at: number | string }>("SELECT acquired_at FROM schema_migration_lock", { type: QueryTypes.SELECT });
}

let testDb: TestDatabase;
let db: Database;
beforeEach(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config);
});
afterEach(async () => {
  await db.close();
  await testDb.drop();
});

describe("migrateUp's beforeMigrating hook", () => {
  it("is not called for a fresh database: there is nothing to back up", async () => {
    const calls: (readonly string[])[] = [];
    const applied = await migrateUp(db, [first, second], { beforeMigrating: (pending) => Promise.resolve(void calls.push(pending)) });
    expect(applied).toEqual([first.name, second.name]);
    expect(calls).toEqual([]);
  });

  it("is not called when nothing is pending", async () => {
    await migrateUp(db, [first, second]);
    const calls: (readonly string[])[] = [];
    expect(await migrateUp(db, [first, second], { beforeMigrating: (pending) => Promise.resolve(void calls.push(pending)) })).toEqual([]);
    expect(calls).toEqual([]);
  });

  it("is called once with the pending names, under the lock, before an existing database changes", async () => {
    await migrateUp(db, [first]);
    const seen: { pending: readonly string[]; secondExists: boolean; locks: number }[] = [];
    const applied = await migrateUp(db, [first, second, third], {
      beforeMigrating: async (pending) => {
        seen.push({ pending, secondExists: await tableExists(db, "hook_second"), locks: (await lockHolders(db)).length });
      },
    });
    expect(seen).toEqual([{ pending: [second.name, third.name], secondExists: false, locks: 1 }]);
    expect(applied).toEqual([second.name, third.name]);
    expect(await tableExists(db, "hook_third")).toBe(true);
  });

  it("stops the upgrade when it throws: its error propagates, nothing is migrated, the lock is released", async () => {
    await migrateUp(db, [first]);
    const failure = migrateUp(db, [first, second], { beforeMigrating: () => Promise.reject(new Error("backup failed: disk full")) });
    await expect(failure).rejects.toThrow("backup failed: disk full");
    expect(await tableExists(db, "hook_second")).toBe(false);
    expect(await lockHolders(db)).toEqual([]);
    // Once the cause is fixed, the upgrade goes through.
    expect(await migrateUp(db, [first, second], { beforeMigrating: () => Promise.resolve() })).toEqual([second.name]);
  });

  it("keeps the lock fresh while it runs, so a long backup is not taken for a crashed process", async () => {
    await migrateUp(db, [first]);
    let refreshed = false;
    await migrateUp(db, [first, second], {
      staleLockMs: 4_000, // refreshed every second
      beforeMigrating: async () => {
        const [before] = await lockHolders(db);
        // Polls (no timing assertion) until the holder's timestamp moves on.
        for (let attempt = 0; attempt < 300 && !refreshed; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          const [now] = await lockHolders(db);
          refreshed = Number(now?.acquired_at) > Number(before?.acquired_at);
        }
      },
    });
    expect(refreshed).toBe(true);
  }, 60_000);
});
