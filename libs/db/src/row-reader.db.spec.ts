// The light RowReader (what a verify worker reads with) answers as Database.selectRows does, on
// SQLite and on MariaDB, sees what the service committed, and reports a bad statement as an error.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import type { Database } from "./database";
import { createDatabase, prepareDatabase } from "./database";
import type { RowReader } from "./row-reader";
import { createRowReader } from "./row-reader";

let testDb: TestDatabase;
let db: Database;
let reader: RowReader;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config);
  await prepareDatabase(db);
  await db.sequelize.query("CREATE TABLE reader_rows (n INTEGER PRIMARY KEY, label VARCHAR(32), note TEXT)");
  await db.sequelize.query("INSERT INTO reader_rows (n, label, note) VALUES (1, 'one', NULL), (2, 'two', 'é 日本'), (3, 'three', '')");
  reader = createRowReader(testDb.config);
});

afterAll(async () => {
  await reader.close();
  await db.close();
  await testDb.drop();
});

const sql = "SELECT n, label, note, label AS again FROM reader_rows WHERE n >= ? ORDER BY n";

test("reads rows as arrays in the SELECT's order, as Database.selectRows does", async () => {
  expect(reader.dialect).toBe(db.dialect);
  const rows = await reader.selectRows(sql, [1]);
  expect(rows.map((row) => row.map((value) => (typeof value === "bigint" ? Number(value) : value)))).toEqual([
    [1, "one", null, "one"],
    [2, "two", "é 日本", "two"],
    [3, "three", "", "three"],
  ]);
  expect(rows).toEqual(await db.selectRows(sql, [1]));
});

test("sees rows the service committed after it started reading", async () => {
  expect(await reader.selectRows(sql, [4])).toHaveLength(0);
  await db.transaction((t) => db.sequelize.query("INSERT INTO reader_rows (n, label) VALUES (4, 'four')", { transaction: t }));
  const rows = await reader.selectRows(sql, [4]);
  expect(rows.map((row) => String(row[1]))).toEqual(["four"]);
});

test("rejects a bad statement with the database's message, and goes on reading", async () => {
  await expect(reader.selectRows("SELECT nothing FROM reader_rows", [])).rejects.toThrow(/nothing/);
  expect(await reader.selectRows(sql, [3])).toHaveLength(2);
});

test("on SQLite, a data folder without the database file is an error, not a new empty file", async () => {
  if (testDb.config.databaseUrl) return;
  const empty = mkdtempSync(join(tmpdir(), "msp-reader-"));
  const missing = createRowReader({ dataDir: empty });
  try {
    await expect(missing.selectRows("SELECT 1", [])).rejects.toThrow(/unable to open/);
  } finally {
    await missing.close();
    rmSync(empty, { recursive: true, force: true });
  }
});
