import type { Database } from "@msp/db";
import { createDatabase, migrateUp, uuidv7 } from "@msp/db";
import { migrations } from "@msp/migrations";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import { recordRecalled } from "./bookkeeping";
import type { Candidate, RecallScope } from "./candidate";
import { gatherCandidates } from "./candidates";
import { createFullTextIndex } from "./fulltext";
import type { ReadRows } from "./read-rows";
import { createRowReader } from "./read-rows";
import { ScopeCache } from "./scope-cache";
import { insertRow, sqlTime } from "./test-rows";

// The scope cache against the database's version triggers: SQLite by default, MariaDB with MSP_TEST_DATABASE_URL.
let testDb: TestDatabase;
let db: Database;
let statements: string[] = [];
let read: ReadRows;

const project = uuidv7();
const otherProject = uuidv7();
const client = uuidv7();
const scope: RecallScope = { projectId: project, clientId: client, repository: "github.com/acme/billing" };

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config);
  await migrateUp(db, migrations);
  const rows = createRowReader(db);
  read = Object.assign(<T extends object>(sql: string, params: readonly unknown[]) => {
    statements.push(sql);
    return rows<T>(sql, params);
  }, rows);
});
afterAll(async () => {
  await db.close();
  await testDb.drop();
});

/** One instance of the recall service: its own cache over the shared database. */
function instance(): { gather: () => Promise<Candidate[]>; statementsOf: (run: () => Promise<unknown>) => Promise<string[]> } {
  const cache = new ScopeCache(10_000_000);
  const fullText = createFullTextIndex(db, read);
  return {
    gather: () => gatherCandidates(read, fullText, { scope, query: "", cache }),
    async statementsOf(run) {
      statements = [];
      await run();
      return statements;
    },
  };
}

const titles = (candidates: readonly Candidate[]) => candidates.map((c) => c.title).sort();
const update = (sql: string, params: unknown[]) => db.sequelize.query(sql, { replacements: params });

describe("the scope cache", () => {
  it("reuses a scope's candidates until a change reaches them, whoever writes, on every instance", async () => {
    const one = instance();
    const two = instance();
    const first = await insertRow(db, "conversation_contexts", { project_id: project, client_id: client, title: "First session" });
    expect(titles(await one.gather())).toEqual(["First session"]);
    expect(titles(await two.gather())).toEqual(["First session"]);
    // Nothing changed: one statement, which reads the scope's versions and no memory table.
    const reads = await one.statementsOf(async () => expect(titles(await one.gather())).toEqual(["First session"]));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/^SELECT scope_key, version FROM recall_scope_versions WHERE/);

    const second = await insertRow(db, "conversation_contexts", { project_id: project, client_id: client, title: "Second session" });
    for (const each of [one, two]) expect(titles(await each.gather())).toEqual(["First session", "Second session"]);

    await update("UPDATE conversation_contexts SET title = ?, revision = revision + 1, updated_at = ? WHERE id = ?", [
      "First session, renamed",
      sqlTime(new Date()),
      first,
    ]);
    expect(titles(await one.gather())).toEqual(["First session, renamed", "Second session"]);

    await update("DELETE FROM conversation_contexts WHERE id = ?", [second]);
    expect(titles(await two.gather())).toEqual(["First session, renamed"]);

    // Moved to another project: gone from this one.
    await update("UPDATE conversation_contexts SET project_id = ?, client_id = NULL, revision = revision + 1 WHERE id = ?", [
      otherProject,
      first,
    ]);
    expect(titles(await one.gather())).toEqual([]);
  });

  it("sees the client's items, the repository's, insights and pinned global items as they come", async () => {
    const one = instance();
    const before = titles(await one.gather());
    await insertRow(db, "conversation_contexts", { project_id: otherProject, client_id: client, title: "Another project of the client" });
    await insertRow(db, "context_snippets", { repository: "github.com/acme/billing", title: "Saved before the project was known" });
    await insertRow(db, "environmental_insights", { client_id: client, title: "Port 22 is filtered at the client" });
    await insertRow(db, "decision_logs", { decision: "Always use UTC on servers", pinned: true });
    expect(titles(await one.gather())).toEqual(
      [
        ...before,
        "Always use UTC on servers",
        "Another project of the client",
        "Port 22 is filtered at the client",
        "Saved before the project was known",
      ].sort(),
    );
  });

  it("counts a useful mark, which changes scores, but not recall's own bookkeeping", async () => {
    const one = instance();
    const id = await insertRow(db, "conversation_contexts", { project_id: project, client_id: client, title: "Marked useful later" });
    const usefulCount = async () => (await one.gather()).find((c) => c.id === id)?.usefulCount;
    expect(await usefulCount()).toBe(0);
    await update("UPDATE conversation_contexts SET useful_count = useful_count + 1 WHERE id = ?", [id]);
    expect(await usefulCount()).toBe(1);

    const versions = () =>
      db.select<{ scope_key: string; version: unknown }>("SELECT scope_key, version FROM recall_scope_versions ORDER BY scope_key", []);
    const seen = await versions();
    await recordRecalled(db, [{ kind: "context", id, shortId: "abcdefgh" }], new Date());
    await recordRecalled(db, [{ kind: "context", id, shortId: "abcdefgh", times: 3 }], new Date());
    expect(await versions()).toEqual(seen);
    expect(await one.statementsOf(() => one.gather())).toEqual([expect.stringMatching(/FROM recall_scope_versions/)]);
    expect((await one.statementsOf(() => one.gather()))[0]).not.toMatch(/conversation_contexts/);
  });
});
