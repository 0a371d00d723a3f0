// Database.insertTogether: rows for several tables commit together or not at all, on SQLite and
// on MariaDB (where the statements go out pipelined on one raw connection), and read back as
// the same values Sequelize's models write.
import { QueryTypes } from "sequelize";
import { Column, DataType, Model, Table } from "sequelize-typescript";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import type { Database } from "./database";
import { createDatabase } from "./database";

@Table({ tableName: "together_log", timestamps: false })
class LogModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column({ type: DataType.DATE(3), allowNull: false }) declare at: Date;
  @Column({ type: DataType.BOOLEAN, allowNull: false }) declare ok: boolean;
  @Column(DataType.TEXT) declare note: string | null;
}

@Table({ tableName: "together_events", timestamps: false })
class EventModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column({ type: DataType.INTEGER, allowNull: false }) declare n: number;
}

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config, [LogModel, EventModel]);
  await LogModel.sync();
  await EventModel.sync();
});

afterAll(async () => {
  await db.close();
  await testDb.drop();
});

const ids = async (table: string) =>
  (await db.sequelize.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`, { type: QueryTypes.SELECT })).map((r) => r.id);

it("commits the rows of both tables, with values as the models write them", async () => {
  const at = new Date(Date.UTC(2026, 11, 5, 23, 4, 5, 678));
  await db.insertTogether([
    { table: "together_log", rows: [{ id: "log-1", at, ok: true, note: 'quotes " and \\ kept' }] },
    {
      table: "together_events",
      rows: [
        { id: "ev-1", n: 1 },
        { id: "ev-2", n: 2 },
      ],
    },
  ]);
  await LogModel.create({ id: "log-2", at, ok: true, note: 'quotes " and \\ kept' });
  const [together, modelled] = await Promise.all([LogModel.findByPk("log-1", { raw: true }), LogModel.findByPk("log-2", { raw: true })]);
  expect({ ...together, id: "x" }).toEqual({ ...modelled, id: "x" });
  expect((await LogModel.findByPk("log-1"))?.at.getTime()).toBe(at.getTime());
  // The stored text of the time is the same as a model's, whatever the driver would make of it.
  const raw = await db.sequelize.query<{ at: unknown }>("SELECT at FROM together_log ORDER BY id", { type: QueryTypes.SELECT, raw: true });
  expect(String(raw[0]?.at)).toBe(String(raw[1]?.at));
  expect(await ids("together_events")).toEqual(["ev-1", "ev-2"]);
});

it("commits nothing when one insert fails, and the next call works", async () => {
  // The failing INSERT goes first: the one sent after it must not commit on its own.
  await expect(
    db.insertTogether([
      { table: "together_events", rows: [{ id: "ev-1", n: 9 }] },
      { table: "together_log", rows: [{ id: "log-3", at: new Date(), ok: false, note: null }] },
    ]),
  ).rejects.toThrow();
  expect(await ids("together_log")).toEqual(["log-1", "log-2"]);
  for (let i = 0; i < 5; i++) {
    await db.insertTogether([{ table: "together_events", rows: [{ id: `ev-next-${i}`, n: i }] }]);
  }
  expect(await ids("together_events")).toHaveLength(7);
});

it("refuses rows that do not name the same columns, and values it cannot write", async () => {
  await expect(
    db.insertTogether([
      {
        table: "together_events",
        rows: [
          { id: "a", n: 1 },
          { n: 2, id: "b" },
        ],
      },
    ]),
  ).rejects.toThrow(/same columns/);
  await expect(
    db.insertTogether([{ table: "together_log", rows: [{ id: "c", at: new Date(), ok: true, note: () => "a function" }] }]),
  ).rejects.toThrow();
  expect(await ids("together_events")).toHaveLength(7);
});

it("hands its connection back to the read pool with autocommit on, after a commit and after a failure", async () => {
  if (db.dialect !== "mariadb") return;
  // One connection: the reads below get the one insertTogether used.
  const single = createDatabase({ ...testDb.config, poolMax: 1 }, [LogModel, EventModel]);
  try {
    await single.insertTogether([{ table: "together_events", rows: [{ id: "one-conn-1", n: 1 }] }]);
    expect(Number((await single.select<{ a: unknown }>("SELECT @@autocommit AS a", []))[0]?.a)).toBe(1);
    await expect(single.insertTogether([{ table: "together_events", rows: [{ id: "one-conn-1", n: 2 }] }])).rejects.toThrow();
    expect(Number((await single.select<{ a: unknown }>("SELECT @@autocommit AS a", []))[0]?.a)).toBe(1);
  } finally {
    await single.close();
  }
});
