import { QueryTypes } from "sequelize";
import type { Database } from "@msp/db";
import { createDatabase, migrateDown, migrateUp } from "@msp/db";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import { idempotencyTableOf } from "@msp/grpc-kit";
import { platformServices } from "@msp/registry";
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
  "work_items",
  "work_item_tags",
  "file_changes",
  "commands_run",
  "problem_solutions",
  "deployments",
  "database_changes",
  "billable_time",
  "ticket_links",
  "external_integrations",
  "conversation_contexts",
  "context_snippets",
  "context_tags",
  "project_states",
  "decision_logs",
  "environmental_insights",
  "failure_patterns",
  "operation_failures",
  "ingest_parts",
  "ingest_receipts",
  "recall_short_ids",
  "recall_scope_versions",
  "work_idempotency_keys",
  "infra_idempotency_keys",
  "vault_idempotency_keys",
  "audit_idempotency_keys",
  "recall_idempotency_keys",
  "identity_idempotency_keys",
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
      // Every registered service has its idempotency keys' table (grpc-kit names it).
      expect(await tables(db)).toEqual(expect.arrayContaining(platformServices.map((service) => idempotencyTableOf(service.name))));
      expect(await migrateUp(db, migrations)).toEqual([]);

      await migrateDown(db, migrations, 0);
      const left = await tables(db);
      for (const table of ownTables) expect(left).not.toContain(table);

      expect(await migrateUp(db, migrations)).toHaveLength(migrations.length);
    } finally {
      await db.close();
    }
    // The whole history twice and back: some 30 s on a loaded machine, so a budget for one five times slower.
  }, 180_000);

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

  it("check work details and delete them with their work item and session", async () => {
    const db = createDatabase(testDb.config);
    try {
      await migrateUp(db, migrations);
      const now = new Date().toISOString().slice(0, 23).replace("T", " ");
      const run = (sql: string, values: unknown[]) =>
        db.sequelize.query(sql, { replacements: values }).then(
          () => "accepted",
          (error: { parent?: { message?: string } }) => error.parent?.message ?? "",
        );
      const session = "00000000-0000-7000-8000-0000000000a1";
      const item = "00000000-0000-7000-8000-0000000000a2";
      const entity = "id, revision, created_at, updated_at";
      expect(await run(`INSERT INTO sessions (${entity}, started_at) VALUES (?, 1, ?, ?, ?)`, [session, now, now, now])).toBe("accepted");
      const workItem = (id: string, category: string) =>
        run(`INSERT INTO work_items (${entity}, session_id, category, title) VALUES (?, 1, ?, ?, ?, ?, 't')`, [
          id,
          now,
          now,
          session,
          category,
        ]);
      expect(await workItem("00000000-0000-7000-8000-0000000000a3", "bogus")).toMatch(
        /CHECK constraint failed|CONSTRAINT `ck_work_items_\d+` failed/,
      );
      expect(await workItem(item, "security")).toBe("accepted");
      const fileChange = (id: string, changeType: string, size: number) =>
        run(
          `INSERT INTO file_changes (${entity}, session_id, work_item_id, file_path, change_type, size_bytes) VALUES (?, 1, ?, ?, ?, ?, '/x', ?, ?)`,
          [id, now, now, session, item, changeType, size],
        );
      expect(await fileChange("00000000-0000-7000-8000-0000000000a4", "copied", 1)).toMatch(
        /CHECK constraint failed|CONSTRAINT `ck_file_changes_\d+` failed/,
      );
      expect(await fileChange("00000000-0000-7000-8000-0000000000a5", "created", -1)).toMatch(
        /CHECK constraint failed|CONSTRAINT `ck_file_changes_\d+` failed/,
      );
      expect(await fileChange("00000000-0000-7000-8000-0000000000a6", "created", 5_000_000_000)).toBe("accepted");
      const count = async (table: string) =>
        Number((await db.sequelize.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT }))[0]?.n);
      expect(await run("DELETE FROM work_items WHERE id = ?", [item])).toBe("accepted");
      expect(await count("file_changes")).toBe(0);
      expect(await workItem(item, "security")).toBe("accepted");
      expect(await fileChange("00000000-0000-7000-8000-0000000000a7", "deleted", 0)).toBe("accepted");
      expect(await run("DELETE FROM sessions WHERE id = ?", [session])).toBe("accepted");
      expect([await count("work_items"), await count("file_changes")]).toEqual([0, 0]);
    } finally {
      await db.close();
    }
  });

  it("give clients a rounding policy and check billable time, ticket links and integrations, with their cascades", async () => {
    const db = createDatabase(testDb.config);
    try {
      await migrateUp(db, migrations);
      const now = new Date().toISOString().slice(0, 23).replace("T", " ");
      const run = (sql: string, values: unknown[]) =>
        db.sequelize.query(sql, { replacements: values }).then(
          () => "accepted",
          (error: { parent?: { message?: string } }) => error.parent?.message ?? "",
        );
      const rows = (sql: string, values: unknown[]) =>
        db.sequelize.query<Record<string, unknown>>(sql, { replacements: values, type: QueryTypes.SELECT });
      const entity = "id, revision, created_at, updated_at";
      const client = "00000000-0000-7000-8000-0000000000b1";
      const session = "00000000-0000-7000-8000-0000000000b2";
      const item = "00000000-0000-7000-8000-0000000000b3";
      expect(await run(`INSERT INTO clients (${entity}, name) VALUES (?, 1, ?, ?, 'Billing')`, [client, now, now])).toBe("accepted");
      expect((await rows("SELECT * FROM clients WHERE id = ?", [client]))[0]).toMatchObject({
        billing_increment_minutes: 15,
        billing_rounding_direction: "up",
        billing_minimum_minutes: 15,
        billing_rounding_scope: "per_entry",
      });
      expect(await run("UPDATE clients SET billing_increment_minutes = 0 WHERE id = ?", [client])).toMatch(
        /CHECK constraint failed|CONSTRAINT `(clients\.)?billing_increment_minutes` failed/,
      );
      expect(await run("UPDATE clients SET billing_rounding_direction = 'side' WHERE id = ?", [client])).toMatch(
        /CHECK constraint failed|CONSTRAINT `(clients\.)?billing_rounding_direction` failed/,
      );
      expect(
        await run(`INSERT INTO sessions (${entity}, client_id, started_at) VALUES (?, 1, ?, ?, ?, ?)`, [session, now, now, client, now]),
      ).toBe("accepted");
      expect(
        await run(`INSERT INTO work_items (${entity}, session_id, category, title) VALUES (?, 1, ?, ?, ?, 'security', 't')`, [
          item,
          now,
          now,
          session,
        ]),
      ).toBe("accepted");

      const entry = (id: string, values: Record<string, unknown>) => {
        const row = {
          session_id: session,
          work_item_id: item,
          client_id: client,
          started_at: now,
          duration_minutes: 5,
          is_billable: 1,
          ...values,
        };
        return run(
          `INSERT INTO billable_time (${entity}, ${Object.keys(row).join(", ")}) VALUES (?, 1, ?, ?${", ?".repeat(Object.keys(row).length)})`,
          [id, now, now, ...Object.values(row)],
        );
      };
      const refused = /CHECK constraint failed|CONSTRAINT `ck_billable_time_\d+` failed/;
      expect(await entry("00000000-0000-7000-8000-0000000000c1", { duration_minutes: -1 })).toMatch(refused);
      expect(await entry("00000000-0000-7000-8000-0000000000c2", { category: "lunch" })).toMatch(refused);
      expect(await entry("00000000-0000-7000-8000-0000000000c3", { is_billable: 0, rounded_minutes: 15, amount: "30.00" })).toMatch(
        refused,
      );
      expect(await entry("00000000-0000-7000-8000-0000000000c4", { is_invoiced: 1 })).toMatch(refused);
      expect(await entry("00000000-0000-7000-8000-0000000000c5", { rounded_minutes: 15, amount: "30.00", category: "onsite" })).toBe(
        "accepted",
      );

      const link = (id: string) =>
        run(`INSERT INTO ticket_links (${entity}, session_id, system, ticket_id) VALUES (?, 1, ?, ?, ?, 'syncro', '4711')`, [
          id,
          now,
          now,
          session,
        ]);
      expect(await link("00000000-0000-7000-8000-0000000000d1")).toBe("accepted");
      expect(await link("00000000-0000-7000-8000-0000000000d2")).toMatch(/UNIQUE constraint failed|Duplicate entry/);
      expect(
        await run(
          `INSERT INTO external_integrations (${entity}, session_id, work_item_id, integration_type, action) VALUES (?, 1, ?, ?, ?, ?, 'syncro', 'created')`,
          ["00000000-0000-7000-8000-0000000000e1", now, now, session, item],
        ),
      ).toBe("accepted");

      // A client with billable time stays; a work item's deletion keeps the time with no work item.
      expect(await run("DELETE FROM clients WHERE id = ?", [client])).toMatch(/FOREIGN KEY constraint failed|foreign key constraint fails/);
      expect(await run("DELETE FROM work_items WHERE id = ?", [item])).toBe("accepted");
      expect((await rows("SELECT work_item_id FROM billable_time", []))[0]).toEqual({ work_item_id: null });
      // A session's time and ticket links go with it; the integration log stays.
      expect(await run("DELETE FROM sessions WHERE id = ?", [session])).toBe("accepted");
      const count = async (table: string) => Number((await rows(`SELECT COUNT(*) AS n FROM ${table}`, []))[0]?.["n"]);
      expect([await count("billable_time"), await count("ticket_links"), await count("external_integrations")]).toEqual([0, 0, 1]);
      expect((await rows("SELECT session_id, work_item_id FROM external_integrations", []))[0]).toEqual({
        session_id: null,
        work_item_id: null,
      });
    } finally {
      await db.close();
    }
  });
  it("key the recall tables so NULLs do not open doubles, and cascade a context to what was derived from it", async () => {
    const db = createDatabase(testDb.config);
    try {
      await migrateUp(db, migrations);
      const now = new Date().toISOString().slice(0, 23).replace("T", " ");
      const run = (sql: string, values: unknown[]) =>
        db.sequelize.query(sql, { replacements: values }).then(
          () => "accepted",
          (error: { parent?: { message?: string } }) => error.parent?.message ?? "",
        );
      const entity = "id, revision, created_at, updated_at";
      const context = (id: string, claudeSessionId: string | null) =>
        run(
          `INSERT INTO conversation_contexts (${entity}, claude_session_id, title, dense_summary, content_hash) VALUES (?, 1, ?, ?, ?, 't', 's', 'h')`,
          [id, now, now, claudeSessionId],
        );
      // Contexts without a Claude session may repeat; one with a session id is unique.
      expect(await context("00000000-0000-7000-8000-0000000000f1", null)).toBe("accepted");
      expect(await context("00000000-0000-7000-8000-0000000000f2", null)).toBe("accepted");
      expect(await context("00000000-0000-7000-8000-0000000000f3", "claude-1")).toBe("accepted");
      expect(await context("00000000-0000-7000-8000-0000000000f4", "claude-1")).toMatch(/UNIQUE constraint failed|Duplicate entry/);
      expect(
        await run(
          `INSERT INTO conversation_contexts (${entity}, title, dense_summary, content_hash, importance) VALUES (?, 1, ?, ?, 't', 's', 'h', 11)`,
          ["00000000-0000-7000-8000-0000000000f5", now, now],
        ),
      ).toMatch(/CHECK constraint failed|CONSTRAINT `ck_conversation_contexts_\d+` failed/);

      // A failure pattern with no client is unique through its scope key.
      const pattern = (id: string, scopeKey: string) =>
        run(
          `INSERT INTO failure_patterns (${entity}, scope_key, pattern_type, signature, error_pattern, first_seen_at, last_seen_at) VALUES (?, 1, ?, ?, ?, 'permission_denied', 'sig', 'e', ?, ?)`,
          [id, now, now, scopeKey, now, now],
        );
      expect(await pattern("00000000-0000-7000-8000-0000000000f6", "-:-")).toBe("accepted");
      expect(await pattern("00000000-0000-7000-8000-0000000000f7", "-:-")).toMatch(/UNIQUE constraint failed|Duplicate entry/);

      const snippet = "00000000-0000-7000-8000-0000000000f8";
      expect(
        await run(
          `INSERT INTO context_snippets (${entity}, context_id, category, title, dense_content, content_hash) VALUES (?, 1, ?, ?, ?, 'command', 't', 'c', 'h')`,
          [snippet, now, now, "00000000-0000-7000-8000-0000000000f3"],
        ),
      ).toBe("accepted");
      const tag = (id: string, name: string) =>
        run(`INSERT INTO context_tags (${entity}, owner_type, owner_id, tag) VALUES (?, 1, ?, ?, 'snippet', ?, ?)`, [
          id,
          now,
          now,
          snippet,
          name,
        ]);
      expect(await tag("00000000-0000-7000-8000-0000000000f9", "nginx")).toBe("accepted");
      expect(await tag("00000000-0000-7000-8000-0000000000fa", "nginx")).toMatch(/UNIQUE constraint failed|Duplicate entry/);
      expect(await tag("00000000-0000-7000-8000-0000000000fb", "Nginx")).toMatch(
        /CHECK constraint failed|CONSTRAINT `ck_context_tags_\d+` failed/,
      );

      const part = (index: number, count: number) =>
        run("INSERT INTO ingest_parts (id, idempotency_key, part_index, part_count, content, received_at) VALUES (?, 'k', ?, ?, 'x', ?)", [
          `00000000-0000-7000-8000-00000000010${index}`,
          index,
          count,
          now,
        ]);
      expect(await part(2, 2)).toMatch(/CHECK constraint failed|CONSTRAINT `ck_ingest_parts_\d+` failed/);
      expect(await part(1, 2)).toBe("accepted");

      expect(await run("DELETE FROM conversation_contexts WHERE id = ?", ["00000000-0000-7000-8000-0000000000f3"])).toBe("accepted");
      const [row] = await db.sequelize.query<{ n: unknown }>("SELECT COUNT(*) AS n FROM context_snippets", { type: QueryTypes.SELECT });
      expect(Number(row?.n)).toBe(0);
    } finally {
      await db.close();
    }
  });
});
