// SQLite write transactions of one process share one kept connection (a new connection per
// transaction parsed the whole schema each time: about 5 ms of CPU). What must not change: a
// transaction whose COMMIT failed leaves nothing behind for the next one, a failed transaction is
// rolled back, and transactions begun outside Database.transaction still work side by side.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueryTypes } from "sequelize";
import type { Database } from "./database";
import { createDatabase, prepareDatabase, sqliteBusyTimeoutMs } from "./database";

let dataDir: string;
let db: Database;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "msp-sqlite-tx-"));
  db = createDatabase({ dataDir });
  await prepareDatabase(db);
  await db.sequelize.query("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
  await db.sequelize.query(
    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)",
  );
});

afterEach(async () => {
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const count = async (table: string) => Number((await db.select<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`, []))[0]?.n);

const insert = (sql: string) => db.transaction((transaction) => db.sequelize.query(sql, { transaction, type: QueryTypes.INSERT }));

it("a transaction whose COMMIT failed leaves no open transaction and no row for the next one", async () => {
  // A deferred foreign key is checked at COMMIT: the COMMIT fails and SQLite keeps the
  // transaction open on its connection.
  await expect(insert("INSERT INTO child (id, parent_id) VALUES (1, 42)")).rejects.toThrow(/FOREIGN KEY/);
  await insert("INSERT INTO parent (id) VALUES (7)");
  await insert("INSERT INTO child (id, parent_id) VALUES (2, 7)");
  expect(await count("child")).toBe(1);
  expect(await count("parent")).toBe(1);
});

it("rolls back a transaction whose work threw, and the next one commits", async () => {
  await expect(
    db.transaction(async (transaction) => {
      await db.sequelize.query("INSERT INTO parent (id) VALUES (1)", { transaction });
      throw new Error("the work failed");
    }),
  ).rejects.toThrow("the work failed");
  await insert("INSERT INTO parent (id) VALUES (2)");
  expect(await db.select<{ id: number }>("SELECT id FROM parent", [])).toEqual([{ id: 2 }]);
});

it("runs many transactions in turn, and Sequelize transactions begun beside them", async () => {
  const turns = Array.from({ length: 10 }, (_, i) => insert(`INSERT INTO parent (id) VALUES (${i + 1})`));
  const beside = Array.from({ length: 2 }, (_, i) =>
    db.sequelize.transaction((transaction) => db.sequelize.query(`INSERT INTO parent (id) VALUES (${i + 101})`, { transaction })),
  );
  await Promise.all([...turns, ...beside]);
  expect(await count("parent")).toBe(12);
});

it("a write outside any transaction waits for the transaction in progress, which can still read meanwhile", async () => {
  // Before, the autocommit write busy-waited on the connection that reads outside transactions
  // use: the transaction's read waited for it, it waited for the transaction's lock, and both
  // stood still for the whole busy timeout (10 s) before the write failed with SQLITE_BUSY (and
  // Sequelize ran it again). The read takes milliseconds; half the busy timeout is a wide margin.
  let holding!: () => void;
  const lockHeld = new Promise<void>((resolve) => (holding = resolve));
  let reading!: () => void;
  const mayRead = new Promise<void>((resolve) => (reading = resolve));
  const inProgress = db.transaction(async (transaction) => {
    await db.sequelize.query("INSERT INTO parent (id) VALUES (1)", { transaction, type: QueryTypes.INSERT });
    holding();
    await mayRead;
    const started = Date.now();
    const rows = await count("parent");
    return { rows, readMs: Date.now() - started };
  });
  await lockHeld;
  const outside = db.sequelize.query("INSERT INTO parent (id) VALUES (2)", { type: QueryTypes.INSERT });
  // Let the write reach SQLite if it is going to, before the transaction reads.
  await new Promise((resolve) => setTimeout(resolve, 100));
  reading();
  // The read sees the committed state before this transaction (WAL): neither row yet.
  const { rows, readMs } = await inProgress;
  expect(rows).toBe(0);
  expect(readMs).toBeLessThan(sqliteBusyTimeoutMs / 2);
  await outside;
  expect(await count("parent")).toBe(2);
});

it("refuses at once a write that forgot its transaction inside a transaction of the same process", async () => {
  await expect(db.transaction(() => db.sequelize.query("INSERT INTO parent (id) VALUES (1)", { type: QueryTypes.INSERT }))).rejects.toThrow(
    /write outside its transaction.*pass \{ transaction \}/,
  );
  expect(await count("parent")).toBe(0);
});
