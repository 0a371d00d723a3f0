import { QueryTypes } from "sequelize";
import type { Database } from "@msp/db";
import { createDatabase, migrateDown, migrateUp } from "@msp/db";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import { migrations } from "./index";

const ownTables = [
  "machines",
  "clients",
  "projects",
  "sessions",
  "tags",
  "session_tags",
  "tasks",
  "audit_outbox",
  "users",
  "api_keys",
  "revoked_tokens",
];

async function tables(db: Database): Promise<string[]> {
  const sql =
    db.dialect === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()";
  const rows = await db.sequelize.query<{ name: string }>(sql, { type: QueryTypes.SELECT });
  return rows.map((r) => r.name).sort();
}

let testDb: TestDatabase;
beforeEach(async () => {
  testDb = await createTestDatabase();
});
afterEach(async () => {
  await testDb.drop();
});

describe("migrations", () => {
  it("are named <timestamp>-PascalName, in order, each once", () => {
    const names = migrations.map((m) => m.name);
    for (const name of names) expect(name).toMatch(/^\d{14}-[A-Z][A-Za-z0-9]+$/);
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
  });

  it("go up, all the way down, and up again on this dialect", async () => {
    const db = createDatabase(testDb.config);
    try {
      expect(await migrateUp(db, migrations)).toEqual(migrations.map((m) => m.name));
      expect(await tables(db)).toEqual(expect.arrayContaining(ownTables));
      expect(await migrateUp(db, migrations)).toEqual([]);

      await migrateDown(db, migrations, 0);
      const left = await tables(db);
      for (const table of ownTables) expect(left).not.toContain(table);

      expect(await migrateUp(db, migrations)).toHaveLength(migrations.length);
    } finally {
      await db.close();
    }
  });

  it("are applied once when several processes start together", async () => {
    const dbs = [createDatabase(testDb.config), createDatabase(testDb.config), createDatabase(testDb.config)];
    try {
      const applied = await Promise.all(dbs.map((db) => migrateUp(db, migrations)));
      expect(applied.flat().sort()).toEqual(migrations.map((m) => m.name).sort());
      const ledger = await dbs[0]!.sequelize.query<{ name: string }>("SELECT name FROM schema_migrations", { type: QueryTypes.SELECT });
      expect(ledger).toHaveLength(migrations.length);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });

  it("enforce enumerations and checks in the database itself", async () => {
    const db = createDatabase(testDb.config);
    try {
      await migrateUp(db, migrations);
      const now = new Date().toISOString().slice(0, 23).replace("T", " ");
      const refusal = (sql: string, id: string) =>
        db.sequelize.query(sql, { replacements: [id, now, now] }).then(
          () => "accepted",
          (error: { parent?: { message?: string } }) => error.parent?.message ?? "",
        );
      expect(
        await refusal(
          "INSERT INTO clients (id, revision, created_at, updated_at, name, client_type) VALUES (?, 1, ?, ?, 'x', 'bogus')",
          "00000000-0000-7000-8000-000000000001",
        ),
      ).toMatch(/CHECK constraint failed|CONSTRAINT `ck_clients_1` failed/);
      expect(
        await refusal(
          "INSERT INTO tags (id, revision, created_at, updated_at, name) VALUES (?, 1, ?, ?, 'UPPER')",
          "00000000-0000-7000-8000-000000000002",
        ),
      ).toMatch(/CHECK constraint failed|CONSTRAINT `ck_tags_\d` failed/);
    } finally {
      await db.close();
    }
  });
});
