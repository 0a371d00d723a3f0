// A process's MariaDB read pool opens connections as reads need them, not all at start: five
// services with full pools of 20 took 100 of MariaDB's default 151 connections at rest, and under
// load new ones were refused (ER_CON_COUNT_ERROR: callers got UNAVAILABLE).
import { createTestDatabase, type TestDatabase } from "@msp/testing";
import { createDatabase, type Database } from "./database";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test?.drop());

/** Connections open to the test's database, as the server counts them. */
async function openConnections(db: Database, name: string): Promise<number> {
  const [row] = await db.select<{ n: unknown }>("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ?", [name]);
  return Number(row?.n ?? 0);
}

it("keeps few read connections at rest and grows to the pool's size under load", async () => {
  if (test.dialect !== "mariadb") {
    console.log("skipped: the read pool is MariaDB's (set MSP_TEST_DATABASE_URL to run it)");
    return;
  }
  const name = new URL(test.config.databaseUrl!).pathname.slice(1);
  const db = createDatabase({ ...test.config, poolMax: 20 });
  try {
    await db.select("SELECT 1", []);
    await new Promise((done) => setTimeout(done, 500));
    const atRest = await openConnections(db, name);
    expect(atRest).toBeLessThanOrEqual(3);
    // Twelve reads at once, each holding its connection a moment.
    await Promise.all(Array.from({ length: 12 }, () => db.select("SELECT SLEEP(0.3)", [])));
    expect(await openConnections(db, name)).toBeGreaterThan(atRest);
  } finally {
    await db.close();
  }
}, 60_000);
