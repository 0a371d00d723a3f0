import { QueryTypes } from "sequelize";
import { createDatabase, migrateDown, migrateUp } from "@msp/db";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import { recallWorkRecordKinds } from "./20261208000000-RecallWorkRecordKinds";
import { migrations } from "./index";

let testDb: TestDatabase;
beforeEach(async () => {
  testDb = await createTestDatabase();
});
afterEach(async () => {
  await testDb.drop();
});

it("lets recall_short_ids take work items and problem solutions, keeping the short ids already shown", async () => {
  const db = createDatabase(testDb.config);
  try {
    const before = migrations.slice(0, migrations.indexOf(recallWorkRecordKinds));
    await migrateUp(db, before);
    const now = new Date().toISOString().slice(0, 23).replace("T", " ");
    const insert = (id: string, kind: string, shortId: string) =>
      db.sequelize
        .query("INSERT INTO recall_short_ids (item_id, kind, short_id, created_at) VALUES (?, ?, ?, ?)", {
          replacements: [id, kind, shortId, now],
        })
        .then(
          () => "accepted",
          (error: { message?: string; parent?: { message?: string } }) => error.parent?.message ?? error.message ?? "refused",
        );
    const rows = () =>
      db.sequelize.query<{ item_id: string; kind: string; short_id: string }>(
        "SELECT item_id, kind, short_id FROM recall_short_ids ORDER BY item_id",
        {
          type: QueryTypes.SELECT,
        },
      );
    expect(await insert("00000000-0000-7000-8000-000000000001", "snippet", "abcdefgh")).toBe("accepted");
    expect(await insert("00000000-0000-7000-8000-000000000002", "work_item", "bcdefghi")).not.toBe("accepted");

    await migrateUp(db, migrations);
    expect(await rows()).toEqual([{ item_id: "00000000-0000-7000-8000-000000000001", kind: "snippet", short_id: "abcdefgh" }]);
    expect(await insert("00000000-0000-7000-8000-000000000002", "work_item", "bcdefghi")).toBe("accepted");
    expect(await insert("00000000-0000-7000-8000-000000000003", "problem_solution", "cdefghij")).toBe("accepted");
    expect(await insert("00000000-0000-7000-8000-000000000004", "deployment", "defghijk")).not.toBe("accepted");
    expect(await insert("00000000-0000-7000-8000-000000000005", "snippet", "short")).not.toBe("accepted");
    // Looked up by short id, as GetMemoryItem does: the index came back under its name.
    const found = await db.sequelize.query("SELECT item_id FROM recall_short_ids WHERE short_id = ?", {
      replacements: ["cdefghij"],
      type: QueryTypes.SELECT,
    });
    expect(found).toHaveLength(1);

    await migrateDown(db, migrations, recallWorkRecordKinds.name);
    expect((await rows()).map((row) => row.kind)).toEqual(["snippet"]);
    expect(await insert("00000000-0000-7000-8000-000000000002", "work_item", "bcdefghi")).not.toBe("accepted");
    // And up again.
    await migrateUp(db, migrations);
    expect(await insert("00000000-0000-7000-8000-000000000002", "work_item", "bcdefghi")).toBe("accepted");
  } finally {
    await db.close();
  }
});
