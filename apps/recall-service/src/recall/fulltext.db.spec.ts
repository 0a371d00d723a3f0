import type { Database } from "@msp/db";
import { createDatabase, migrateUp, uuidv7 } from "@msp/db";
import { migrations } from "@msp/migrations";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import type { FullTextIndex, FullTextScope } from "./fulltext";
import { createFullTextIndex } from "./fulltext";
import { searchTermsOf } from "./fulltext-query";
import { createSqliteFullTextIndex, fts5Query } from "./fulltext-sqlite";
import { createMariaDbFullTextIndex } from "./fulltext-mariadb";
import { createRowReader } from "./read-rows";
import { createWordFrequency } from "./word-frequency";
import { insertRow } from "./test-rows";

// Runs on SQLite by default and on MariaDB with MSP_TEST_DATABASE_URL set.
let testDb: TestDatabase;
let db: Database;
let index: FullTextIndex;
const project = uuidv7();
const otherProject = uuidv7();
const client = uuidv7();
const otherClient = uuidv7();
const scope: FullTextScope = { projectId: project, clientId: client, includeGlobal: false };
const ids: Record<string, string> = {};

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config);
  await migrateUp(db, migrations);
  index = createFullTextIndex(db);
  const context = (values: Record<string, unknown>) => insertRow(db, "conversation_contexts", values);
  ids["nginx"] = await context({
    project_id: project,
    client_id: client,
    title: "Nginx reverse proxy for the billing app",
    dense_summary: "Configured nginx upstreams; certificates renewed with certbot",
    tags: ["nginx", "tls"],
  });
  ids["tagOnly"] = await context({
    project_id: project,
    title: "Weekly maintenance",
    dense_summary: "Patched hosts",
    tags: ["kubernetes"],
  });
  ids["otherProject"] = await context({ project_id: otherProject, client_id: otherClient, title: "Nginx for another client" });
  ids["clientLevel"] = await context({ project_id: otherProject, client_id: client, title: "Firewall rules for nginx at the client" });
  ids["global"] = await context({ title: "Nginx hardening checklist", pinned: true });
  ids["repository"] = await context({ repository: "github.com/acme/app", title: "Deploy script of the acme app uses rsync" });
  ids["shortWord"] = await context({ project_id: project, title: "Joined the AD domain on the new DC", dense_summary: "Domain join" });
  ids["snippet"] = await insertRow(db, "context_snippets", {
    project_id: project,
    title: "certbot renew command",
    dense_content: "certbot renew --nginx",
  });
  ids["decision"] = await insertRow(db, "decision_logs", {
    project_id: project,
    decision: "Use Caddy instead of nginx",
    rationale: "automatic certificates",
  });
  ids["insight"] = await insertRow(db, "environmental_insights", {
    client_id: client,
    title: "SRV-DC01 has PowerShell 2.0 only",
    description: "no Get-LocalUser; use net user",
  });
  ids["pattern"] = await insertRow(db, "failure_patterns", {
    client_id: client,
    error_pattern: "Get-LocalUser is not recognized",
    description: "PowerShell 2.0",
    recommended_solution: "use net user",
    occurrence_count: 3,
  });
});

afterAll(async () => {
  await db.close();
  await testDb.drop();
});

const found = async (query: string, where: FullTextScope = scope) => (await index.search(query, where, 20)).map((hit) => hit.id);

describe(`full-text search (${process.env["MSP_TEST_DATABASE_URL"] ? "mariadb" : "sqlite"})`, () => {
  it("finds rows of every searched kind by words of their title or body, scaled to 0..1 with the best at 1", async () => {
    const hits = await index.search("nginx certificates", scope, 20);
    expect(hits.map((hit) => hit.id)).toEqual(expect.arrayContaining([ids["nginx"], ids["snippet"], ids["decision"]]));
    expect(hits[0]?.relevance).toBe(1);
    for (const hit of hits) expect(hit.relevance).toBeGreaterThan(0);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.relevance).toBeGreaterThanOrEqual(hits[i]!.relevance);
    expect(hits.find((hit) => hit.id === ids["nginx"])?.kind).toBe("context");
    expect(hits.find((hit) => hit.id === ids["decision"])?.kind).toBe("decision");

    expect(await found("PowerShell")).toEqual(expect.arrayContaining([ids["insight"], ids["pattern"]]));
  });

  it("finds rows by their tags", async () => {
    expect(await found("kubernetes")).toEqual([ids["tagOnly"]]);
  });

  it("stays within the scope: the project, the client's other projects, global rows only when asked", async () => {
    const nginx = await found("nginx");
    expect(nginx).toEqual(expect.arrayContaining([ids["nginx"], ids["clientLevel"]]));
    expect(nginx).not.toContain(ids["otherProject"]);
    expect(nginx).not.toContain(ids["global"]);
    expect(await found("nginx", { ...scope, includeGlobal: true })).toContain(ids["global"]);
    expect(await found("nginx", { includeGlobal: true })).toEqual([ids["global"]]);
    expect(await found("nginx", { includeGlobal: false })).toEqual([]);
    expect(await found("rsync", { repository: "github.com/acme/app", includeGlobal: false })).toEqual([ids["repository"]]);
    expect(await found("rsync")).toEqual([]);
  });

  it("finds words shorter than MariaDB's minimum token size", async () => {
    expect(await found("AD")).toEqual([ids["shortWord"]]);
    expect(await found("dc join")).toContain(ids["shortWord"]);
  });

  it("never fails on query syntax from user input", async () => {
    const hostile = [
      '"',
      "'",
      'nginx" OR "1"="1',
      "NOT nginx",
      "AND OR NOT NEAR(",
      "nginx*",
      "-nginx +proxy",
      "title: nginx",
      "(((",
      "^nginx",
      "'; DROP TABLE conversation_contexts; --",
      "\\",
      "@@@ ~~~ <<>> %%%",
      "",
      "   ",
      "a",
      "the of and",
      "ünïcödé 日本語 😀",
      "x".repeat(5000),
      Array.from({ length: 500 }, (_, i) => `word${i}`).join(" "),
    ];
    for (const query of hostile) await expect(index.search(query, { ...scope, includeGlobal: true }, 10)).resolves.toBeInstanceOf(Array);
    expect(await found('nginx" OR "1"="1')).toContain(ids["nginx"]);
    expect(await found("-nginx +proxy")).toContain(ids["nginx"]);
    expect(await found("")).toEqual([]);
  });

  it("follows updates and deletes of the indexed rows", async () => {
    const id = await insertRow(db, "context_snippets", { project_id: project, title: "Zabbix agent config", dense_content: "port 10050" });
    expect(await found("zabbix")).toEqual([id]);
    await db.sequelize.query("UPDATE context_snippets SET title = ?, dense_content = ? WHERE id = ?", {
      replacements: ["Prometheus exporter", "port 9100", id],
    });
    expect(await found("zabbix")).toEqual([]);
    expect(await found("prometheus")).toEqual([id]);
    await db.sequelize.query("UPDATE context_snippets SET project_id = ? WHERE id = ?", { replacements: [otherProject, id] });
    expect(await found("prometheus")).toEqual([]);
    await db.sequelize.query("DELETE FROM context_snippets WHERE id = ?", { replacements: [id] });
    expect(await found("prometheus", { projectId: otherProject, includeGlobal: false })).toEqual([]);
  });

  it("respects the limit", async () => {
    expect(await index.search("nginx certificates", { ...scope, includeGlobal: true }, 2)).toHaveLength(2);
    expect(await index.search("nginx", scope, 0)).toEqual([]);
  });
});

describe("common words (SQLite)", () => {
  const sqlite = !process.env["MSP_TEST_DATABASE_URL"];
  (sqlite ? it : it.skip)("ranks by the rare words of a query, and gives the newest matches when every word is common", async () => {
    const common = uuidv7();
    const where: FullTextScope = { projectId: common, includeGlobal: false };
    const small = createSqliteFullTextIndex(createRowReader(db), { commonWordDocuments: 3 });
    const rows: string[] = [];
    for (let i = 0; i < 5; i++) rows.push(await insertRow(db, "context_snippets", { project_id: common, title: `Ubiquitous step ${i}` }));
    const rare = await insertRow(db, "context_snippets", { project_id: common, title: "Ubiquitous step with a tarball" });
    expect((await small.search("ubiquitous tarball", where, 10)).map((hit) => hit.id)).toEqual([rare]);
    const newest = await small.search("ubiquitous", where, 3);
    expect(newest.map((hit) => hit.id)).toEqual([rare, rows[4], rows[3]]);
    expect(newest.every((hit) => hit.relevance === 1)).toBe(true);
    expect(await small.search("nowhere", where, 3)).toEqual([]);
  });
});

describe("common words (MariaDB)", () => {
  const mariadb = Boolean(process.env["MSP_TEST_DATABASE_URL"]);
  (mariadb ? it : it.skip)("leaves out words too common to search for, by their estimated document count", async () => {
    const frequency = createWordFrequency(createRowReader(db));
    expect(await frequency.documents("nginx")).toBeGreaterThan(0);
    expect(await frequency.documents("absentword")).toBe(0);
    const everywhere = { documents: (word: string) => Promise.resolve(word === "nginx" ? 1_000_000 : 1) };
    const index = createMariaDbFullTextIndex(createRowReader(db), everywhere);
    expect((await index.search("nginx certificates", scope, 20)).map((hit) => hit.id).sort()).toEqual(
      [ids["nginx"], ids["decision"]].sort(),
    );
    expect(await index.search("nginx", scope, 20)).toEqual([]);
  });

  (mariadb ? it : it.skip)("matches words of many documents against the scope's newest rows only, with the same results here", async () => {
    const middling = createMariaDbFullTextIndex(createRowReader(db), { documents: () => Promise.resolve(2_000) });
    const rare = createMariaDbFullTextIndex(createRowReader(db), { documents: () => Promise.resolve(1) });
    for (const query of ["nginx certificates", "nginx", "powershell", "kubernetes", "AD nginx"]) {
      const ids = async (index: FullTextIndex) =>
        (await index.search(query, { ...scope, includeGlobal: true }, 20)).map((hit) => hit.id).sort();
      expect(await ids(middling)).toEqual(await ids(rare));
    }
    expect((await middling.search("nginx", scope, 20)).map((hit) => hit.id)).not.toContain(ids["otherProject"]);
  });
});

describe("query sanitizing", () => {
  it("keeps only words, lower-cased, without stopwords, at most 16", () => {
    expect(searchTermsOf('Why does "nginx" FAIL -with- NEAR(x) on srv-01?')).toEqual(["nginx", "fail", "near", "srv", "01"]);
    expect(searchTermsOf(Array.from({ length: 40 }, (_, i) => `w${i}`).join(" "))).toHaveLength(16);
  });

  it("quotes every word of an FTS5 query", () => {
    expect(fts5Query(["and", 'x"y'], ["p1", "global"])).toBe('scope : ("p1" OR "global") AND {title body tags} : ("and" OR "x""y")');
  });
});
