// Services started side by side on a fresh database migrate it once between them, and all start
// (issue 18: a migration lock insert that lost a deadlock, ER_LOCK_DEADLOCK on schema_migration_lock,
// stopped a service's start). On a real test database: SQLite by default, MariaDB with
// MSP_TEST_DATABASE_URL, where InnoDB can end a race of inserts on the lock row in a deadlock.
import { QueryTypes, DatabaseError } from "sequelize";
import { createTestDatabase } from "@msp/testing";
import type { TestDatabase } from "@msp/testing";
import type { Database } from "./database";
import { createDatabase } from "./database";
import type { Migration } from "./migrate";
import { migrateUp } from "./migrate";

/** Migrations that create small tables, each taking a moment, so the lock is held while others race for it. */
const migrations: Migration[] = ["alpha", "beta", "gamma"].map((name, i) => ({
  name: `2099010100000${i}-Race${name}`,
  up: async ({ sequelize }) => {
    await sequelize.query(`CREATE TABLE race_${name} (id INTEGER NOT NULL PRIMARY KEY)`);
    await new Promise((resolve) => setTimeout(resolve, 30));
  },
  down: ({ sequelize }) => sequelize.query(`DROP TABLE race_${name}`).then(() => undefined),
}));

/** A driver's deadlock, as Sequelize throws it when InnoDB picks the statement as the victim. */
function deadlock(): DatabaseError {
  const parent = Object.assign(new Error("Deadlock found when trying to get lock; try restarting transaction"), {
    code: "ER_LOCK_DEADLOCK",
    errno: 1213,
    sql: "INSERT INTO schema_migration_lock",
  });
  return new DatabaseError(parent as never);
}

async function appliedNames(db: Database): Promise<string[]> {
  const rows = await db.sequelize.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name", { type: QueryTypes.SELECT });
  return rows.map((row) => row.name);
}

let testDb: TestDatabase;
const opened: Database[] = [];
const open = () => {
  const db = createDatabase({ ...testDb.config, poolMax: 3 });
  opened.push(db);
  return db;
};
beforeEach(async () => {
  testDb = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
  await testDb.drop();
});

it("takes a deadlock on its lock insert as a lost race: it waits for the winner, then finds nothing to do", async () => {
  const winner = open();
  const loser = open();
  // The loser's first insert of the lock row loses a deadlock while the winner migrates.
  const query = loser.sequelize.query.bind(loser.sequelize);
  let deadlocks = 0;
  loser.sequelize.query = ((sql: unknown, options?: unknown) => {
    if (typeof sql === "string" && sql.startsWith("INSERT INTO schema_migration_lock") && deadlocks === 0) {
      deadlocks++;
      return Promise.reject(deadlock());
    }
    return query(sql as string, options as never);
  }) as typeof loser.sequelize.query;

  const [won, lost] = await Promise.all([migrateUp(winner, migrations), migrateUp(loser, migrations)]);
  expect(deadlocks).toBe(1);
  expect([...won, ...lost].sort()).toEqual(migrations.map((m) => m.name));
  expect(await appliedNames(winner)).toEqual(migrations.map((m) => m.name));
});

it("lets every one of several migrators started at the same moment on a fresh database succeed, migrating once", async () => {
  // Rounds of six racers: each round on a database as fresh as the first.
  for (let round = 0; round < 3; round++) {
    if (round > 0) {
      await Promise.all(opened.splice(0).map((db) => db.close()));
      await testDb.drop();
      testDb = await createTestDatabase();
    }
    const racers = Array.from({ length: 6 }, open);
    const applied = await Promise.all(racers.map((db) => migrateUp(db, migrations, { lockTimeoutMs: 60_000 })));
    expect(applied.flat().sort()).toEqual(migrations.map((m) => m.name));
    expect(await appliedNames(racers[0]!)).toEqual(migrations.map((m) => m.name));
    const [lock] = await racers[0]!.sequelize.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM schema_migration_lock", {
      type: QueryTypes.SELECT,
    });
    expect(Number(lock?.n)).toBe(0);
  }
}, 120_000);
