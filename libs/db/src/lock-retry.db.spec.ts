import { createTestDatabase } from "@msp/testing";
import type { TestDatabase } from "@msp/testing";
import type { Database } from "./database";
import { createDatabase } from "./database";

// A real deadlock needs MariaDB (SQLite's writers take turns and cannot deadlock).
const mariaDb = Boolean(process.env["MSP_TEST_DATABASE_URL"]);
if (!mariaDb) console.log("lock-retry.db.spec: skipped, MariaDB only (set MSP_TEST_DATABASE_URL); SQLite writers cannot deadlock");

(mariaDb ? describe : describe.skip)("a transaction that loses a deadlock (MariaDB)", () => {
  let testDb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = createDatabase(testDb.config);
    await db.sequelize.query("CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL) ENGINE=InnoDB");
    await db.sequelize.query("INSERT INTO accounts (id, balance) VALUES (1, 0), (2, 0)");
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  it("runs again whole, so both transactions commit, each once", async () => {
    const runs = { a: 0, b: 0 };
    let release = () => {};
    const bothHoldTheirFirstRow = new Promise<void>((resolve) => (release = resolve));
    let holding = 0;
    const add = (id: number, transaction: Parameters<Parameters<Database["transaction"]>[0]>[0]) =>
      db.sequelize.query("UPDATE accounts SET balance = balance + 1 WHERE id = ?", { replacements: [id], transaction });
    // Two transfers that lock the two rows in opposite orders, each waiting (on its first run)
    // until the other holds its first row: the second UPDATEs wait on each other in a circle.
    const transfer = (name: "a" | "b", first: number, second: number) =>
      db.transaction(async (transaction) => {
        runs[name] += 1;
        await add(first, transaction);
        if (runs[name] === 1) {
          holding += 1;
          if (holding === 2) release();
          await bothHoldTheirFirstRow;
        }
        await add(second, transaction);
      });
    await Promise.all([transfer("a", 1, 2), transfer("b", 2, 1)]);
    expect(runs.a + runs.b).toBe(3); // MariaDB rolled one back; it ran again
    const balances = await db.select<{ balance: unknown }>("SELECT balance FROM accounts ORDER BY id", []);
    expect(balances.map((row) => Number(row.balance))).toEqual([2, 2]); // nothing of the lost run remains
  });
});
