import { readFileSync } from "node:fs";
import { join } from "node:path";
import { status } from "@grpc/grpc-js";
import type { Database } from "@msp/db";
import { createDatabase, uuidv7 } from "@msp/db";
import type { TestService } from "@msp/testing";
import { call, connect, expectStatus, startTestService } from "@msp/testing";
import { IngestRequest, MemoryServiceClient, RecallRequest, Scope } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { recallModule } from "../recall-module";
import { shortIdOf } from "./short-id";
import { insertRow } from "./test-rows";

// Recall, GetMemoryItem and MarkUseful over gRPC, on SQLite (default) or MariaDB (MSP_TEST_DATABASE_URL).
let service: TestService;
let memory: MemoryServiceClient;
let db: Database;

const project = uuidv7();
const client = uuidv7();
const otherClient = uuidv7();
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
const scope = { projectId: project, clientId: client, machineName: "DESKTOP-9", repository: "https://github.com/Acme/Billing.git" };
const ids: Record<string, string> = {};

beforeAll(async () => {
  service = await startTestService(recallModule);
  memory = connect(MemoryServiceClient, service);
  db = createDatabase(service.database.config);
  ids["state"] = await insertRow(db, "project_states", {
    project_id: project,
    client_id: client,
    current_phase: "cut-over",
    progress_percent: 80,
    summary: "Invoices render; PDF export pending",
    next_actions: ["enable PDF export", "tell the client"],
    blockers: ["waiting for the client's SMTP relay"],
    machine_name: "LAPTOP-3",
  });
  ids["fresh"] = await insertRow(db, "conversation_contexts", {
    project_id: project,
    client_id: client,
    machine_name: "LAPTOP-3",
    title: "Invoice numbering moved to a database sequence",
    dense_summary: "Replaced the counter table with a sequence; migrated existing numbers",
    tags: ["postgres", "invoices"],
    ended_at: daysAgo(1),
  });
  ids["old"] = await insertRow(db, "conversation_contexts", {
    project_id: project,
    client_id: client,
    machine_name: "LAPTOP-3",
    title: "Set up the Redis cache for sessions",
    dense_summary: "redis on cache01, maxmemory 2gb, eviction allkeys-lru",
    ended_at: daysAgo(120),
  });
  ids["duplicate"] = await insertRow(db, "conversation_contexts", {
    project_id: project,
    title: "Invoice numbering moved to a sequence (copy)",
    dense_summary: "Replaced the counter table with a sequence; migrated existing numbers",
    content_hash: "same-hash",
    ended_at: daysAgo(2),
  });
  ids["duplicate2"] = await insertRow(db, "conversation_contexts", {
    project_id: project,
    title: "Unrelated title, same content",
    dense_summary: "x",
    content_hash: "same-hash",
    ended_at: daysAgo(3),
  });
  ids["olderDecision"] = await insertRow(db, "decision_logs", {
    project_id: project,
    decision: "Render PDFs with wkhtmltopdf",
    rationale: "already installed",
    subject: "PDF rendering",
    created_at: daysAgo(10),
  });
  ids["newerDecision"] = await insertRow(db, "decision_logs", {
    project_id: project,
    decision: "Render PDFs with headless Chromium",
    rationale: "wkhtmltopdf is unmaintained",
    subject: "pdf  rendering",
    created_at: daysAgo(1),
  });
  ids["knownIssue"] = await insertRow(db, "failure_patterns", {
    client_id: client,
    error_pattern: "Get-LocalUser : The term 'Get-LocalUser' is not recognized",
    recommended_solution: "use net user on PowerShell 2.0 hosts",
    occurrence_count: 4,
  });
  ids["rareIssue"] = await insertRow(db, "failure_patterns", {
    client_id: client,
    error_pattern: "rsync: connection unexpectedly closed",
    recommended_solution: "retry",
    occurrence_count: 2,
  });
  ids["otherClient"] = await insertRow(db, "conversation_contexts", { client_id: otherClient, title: "Other client's secret plans" });
  ids["pinnedGlobal"] = await insertRow(db, "context_snippets", {
    title: "House rule: never reboot a client server during office hours",
    pinned: true,
  });
  ids["unpinnedGlobal"] = await insertRow(db, "context_snippets", { title: "A global note nobody pinned" });
  ids["repositoryOnly"] = await insertRow(db, "conversation_contexts", {
    repository: "github.com/Acme/Billing",
    title: "Before the project existed: scaffolded the billing repo",
  });
});

afterAll(async () => {
  // Recall writes its counts after answering; a lookup that misses waits for them, so the
  // database is not closed under a write.
  await call(memory, "getMemoryItem", { shortId: "aaaaaaaa" }).catch(() => undefined);
  memory.close();
  await db.close();
  await service.stop();
});

type RecallInput = Omit<Partial<RecallRequest>, "scope"> & { scope?: Partial<Scope> };
const recallOf = (input: RecallInput) =>
  call(memory, "recall", { ...RecallRequest.fromPartial({}), ...input, scope: Scope.fromPartial(input.scope ?? {}) });
const itemIds = (answer: { items: { id: string }[] }) => answer.items.map((item) => item.id);

describe(`Recall (${process.env["MSP_TEST_DATABASE_URL"] ? "mariadb" : "sqlite"})`, () => {
  it("packs the project state and its next actions first, then the project's items, then the rest, each by score, within the budget", async () => {
    const answer = await recallOf({ scope });
    const lines = answer.text.split("\n");
    expect(lines[0]).toMatch(/^# Memory from earlier sessions \(project github\.com\/Acme\/Billing, client /);
    expect(lines[1]).toMatch(/^- \[project_state [a-z2-7]{8} \d{4}-\d\d-\d\d LAPTOP-3\] Project state: cut-over \(80%\): Invoices render/);
    expect(lines[2]).toBe("  next actions: 1) enable PDF export; 2) tell the client");
    expect(lines[3]).toBe("  blockers: waiting for the client's SMTP relay");
    expect(lines[lines.length - 1]).toMatch(/^Full item: msp recall --id [a-z2-7]{8}$/);
    expect(answer.textChars).toBe(answer.text.length);
    expect(answer.textChars).toBeLessThanOrEqual(8000);
    expect(answer.textTokens).toBeGreaterThan(0);
    expect(answer.items[0]).toMatchObject({ kind: "project_state", id: ids["state"], machineName: "LAPTOP-3" });
    for (const item of answer.items) {
      expect(answer.text).toContain(item.line);
      expect(item.shortId).toBe(shortIdOf(item.kind as Parameters<typeof shortIdOf>[0], item.id));
      expect(item.scoreParts).toBeUndefined();
    }
    // The project's own items (scope match 1) before the client's and the global ones, each part by score.
    const explained = await recallOf({ scope, explain: true });
    const rest = explained.items.slice(1).map((item) => ({ scope: item.scoreParts?.scopeMatch ?? 0, score: item.score }));
    expect(rest.some((item) => item.scope === 1) && rest.some((item) => item.scope < 1)).toBe(true);
    for (let i = 1; i < rest.length; i += 1) {
      const [before, after] = [rest[i - 1]!, rest[i]!];
      expect(before.scope > after.scope || (before.scope === after.scope && before.score >= after.score)).toBe(true);
    }
  });

  it("recalls on another machine what one machine saved, naming that machine and the date", async () => {
    const answer = await recallOf({ scope: { ...scope, machineName: "DESKTOP-9" } });
    const fresh = answer.items.find((item) => item.id === ids["fresh"]);
    expect(fresh?.line).toMatch(
      /^- \[context [a-z2-7]{8} \d{4}-\d\d-\d\d LAPTOP-3\] Invoice numbering moved to a database sequence: Replaced/,
    );
    expect(fresh?.time?.toISOString().slice(0, 10)).toBe(daysAgo(1).toISOString().slice(0, 10));
  });

  it("shows the newer decision on a subject only, and a known issue with its fix", async () => {
    const answer = await recallOf({ scope });
    expect(itemIds(answer)).toContain(ids["newerDecision"]);
    expect(itemIds(answer)).not.toContain(ids["olderDecision"]);
    expect(answer.text).toContain(
      "known issue: Get-LocalUser : The term 'Get-LocalUser' is not recognized -> fix: use net user on PowerShell 2.0 hosts",
    );
    expect(itemIds(answer)).not.toContain(ids["rareIssue"]);
  });

  it("never shows duplicates (same content hash) twice, nor other clients' or unpinned global items", async () => {
    const answer = await recallOf({ scope });
    const hashTwins = [ids["fresh"], ids["duplicate"], ids["duplicate2"]].filter((id) => itemIds(answer).includes(id!));
    expect(hashTwins.length).toBeLessThanOrEqual(2); // fresh has its own hash; the two "same-hash" rows count once
    expect(itemIds(answer).filter((id) => id === ids["duplicate"] || id === ids["duplicate2"])).toHaveLength(1);
    expect(itemIds(answer)).not.toContain(ids["otherClient"]);
    expect(itemIds(answer)).not.toContain(ids["unpinnedGlobal"]);
    expect(itemIds(answer)).toContain(ids["pinnedGlobal"]);
    expect(itemIds(answer)).toContain(ids["repositoryOnly"]);
    expect(new Set(itemIds(answer)).size).toBe(answer.items.length);
  });

  it("with a query, recalls what the query names however old, and explains the score", async () => {
    const asked = await recallOf({ scope, query: "redis cache eviction", explain: true });
    expect(itemIds(asked)).toEqual([ids["old"]]);
    const parts = asked.items[0]!.scoreParts!;
    expect(parts.textRelevance).toBe(1);
    expect(parts.decay).toBeLessThan(0.1);
    expect(parts.scopeMatch).toBe(1);
    expect(parts.pinned).toBe(false);
    const plain = await recallOf({ scope, explain: true });
    const old = plain.items.find((item) => item.id === ids["old"]);
    if (old) expect(old.score).toBeLessThan(asked.items[0]!.score);
    expect(plain.items.every((item) => item.scoreParts !== undefined)).toBe(true);
    expect(await recallOf({ scope, query: "kubernetes helm chart" })).toEqual({ items: [], text: "", textChars: 0, textTokens: 0 });
  });

  it("returns only pinned global items for an empty scope, and nothing when nothing is known", async () => {
    const answer = await recallOf({});
    expect(itemIds(answer)).toEqual([ids["pinnedGlobal"]]);
    const nothing = await recallOf({ scope: { projectId: uuidv7() } });
    expect(itemIds(nothing)).toEqual([ids["pinnedGlobal"]]);
    const service2 = await recallOf({ scope: { projectId: uuidv7() }, excludeShortIds: [shortIdOf("snippet", ids["pinnedGlobal"]!)] });
    expect(service2).toEqual({ items: [], text: "", textChars: 0, textTokens: 0 });
  });

  it("does not repeat items already injected", async () => {
    const first = await recallOf({ scope, maxItems: 3 });
    const second = await recallOf({ scope, excludeShortIds: first.items.map((item) => item.shortId.toUpperCase()) });
    for (const item of first.items) expect(itemIds(second)).not.toContain(item.id);
    expect(second.items.length).toBeGreaterThan(0);
  });

  it("keeps the text within a character or token budget", async () => {
    const small = await recallOf({ scope, budgetChars: 400 });
    expect(small.text.length).toBeLessThanOrEqual(400);
    expect(small.items[0]?.kind).toBe("project_state");
    const tokens = await recallOf({ scope, budgetTokens: 120 });
    expect(tokens.textTokens).toBeLessThanOrEqual(120);
    expect(tokens.items.length).toBeGreaterThan(0);
  });

  it("refuses bad requests with INVALID_ARGUMENT naming each field", async () => {
    const error = await expectStatus(
      recallOf({
        scope: { projectId: "not-a-uuid", host: "h".repeat(300) },
        budgetChars: 20_000,
        budgetTokens: -1,
        maxItems: -5,
        excludeShortIds: ["abcdefgh", "nope"],
      }),
      status.INVALID_ARGUMENT,
    );
    for (const field of ["scope.project_id", "scope.host", "budget_chars", "budget_tokens", "max_items", "exclude_short_ids[1]"]) {
      expect(error.details).toContain(field);
    }
  });

  it("counts recalls on the items returned (after the answer)", async () => {
    const before = await db.select<{ recall_count: number | string }>("SELECT recall_count FROM conversation_contexts WHERE id = ?", [
      ids["fresh"],
    ]);
    await recallOf({ scope });
    const deadline = Date.now() + 5000;
    for (;;) {
      const rows = await db.select<{ recall_count: number | string; last_recalled_at: unknown }>(
        "SELECT recall_count, last_recalled_at FROM conversation_contexts WHERE id = ?",
        [ids["fresh"]],
      );
      if (Number(rows[0]?.recall_count) > Number(before[0]?.recall_count)) {
        expect(rows[0]?.last_recalled_at).toBeTruthy();
        break;
      }
      if (Date.now() > deadline) throw new Error("recall_count was not updated");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});

describe("GetMemoryItem and MarkUseful", () => {
  it("gives the full item for a short id that recall showed", async () => {
    const answer = await recallOf({ scope, query: "redis" });
    const shown = answer.items.find((item) => item.id === ids["old"])!;
    const item = await call(memory, "getMemoryItem", { shortId: ` ${shown.shortId.toUpperCase()} ` });
    expect(item).toMatchObject({ shortId: shown.shortId, kind: "context", id: ids["old"], projectId: project, clientId: client });
    expect(item.text).toContain("redis on cache01, maxmemory 2gb, eviction allkeys-lru");
    expect(item.machineName).toBe("LAPTOP-3");
  });

  it("shows the newest session's digest under its title, each line cut, and the whole summary in the item", async () => {
    const longProject = uuidv7();
    const summary = Array.from({ length: 600 }, (_, i) => `step${i}`).join(" ");
    const id = await insertRow(db, "conversation_contexts", { project_id: longProject, title: "Long session", dense_summary: summary });
    const answer = await recallOf({ scope: { projectId: longProject } });
    const shown = answer.items.find((item) => item.id === id)!;
    expect(shown.line).toMatch(/\] Long session$/);
    const digestLine = answer.text.split("\n").find((line) => line.startsWith("  step0 step1"))!;
    expect(digestLine.length).toBeLessThanOrEqual(2 + 320);
    expect(digestLine.endsWith("…")).toBe(true);
    const item = await call(memory, "getMemoryItem", { shortId: shown.shortId });
    expect(item.text).toContain(summary);
  });

  it("answers NOT_FOUND for a short id never shown and INVALID_ARGUMENT for a malformed one", async () => {
    await expectStatus(call(memory, "getMemoryItem", { shortId: shortIdOf("context", ids["otherClient"]!) }), status.NOT_FOUND);
    await expectStatus(call(memory, "getMemoryItem", { shortId: "123" }), status.INVALID_ARGUMENT, "short_id");
  });

  it("counts a useful mark, audits it, and raises the item's score", async () => {
    const before = await recallOf({ scope, explain: true });
    const target = before.items.find((item) => item.id === ids["fresh"])!;
    const marked = await call(memory, "markUseful", { shortId: target.shortId });
    expect(marked).toMatchObject({ id: ids["fresh"], kind: "context" });
    const rows = await db.select<{ useful_count: number | string }>("SELECT useful_count FROM conversation_contexts WHERE id = ?", [
      ids["fresh"],
    ]);
    expect(Number(rows[0]?.useful_count)).toBe(1);
    const audit = await db.select<{ action: string; resource_type: string }>(
      "SELECT action, resource_type FROM audit_outbox WHERE resource_id = ?",
      [ids["fresh"]],
    );
    expect(audit.map((row) => ({ ...row }))).toEqual([{ action: "update", resource_type: "conversation_context" }]);
    const after = await recallOf({ scope, explain: true });
    const again = after.items.find((item) => item.id === ids["fresh"])!;
    expect(again.scoreParts!.usefulness).toBeGreaterThan(target.scoreParts!.usefulness);
    expect(again.score).toBeGreaterThan(target.score);
    // A project state is always recalled first: marking it changes nothing and is not an error.
    const state = after.items.find((item) => item.kind === "project_state")!;
    await expect(call(memory, "markUseful", { shortId: state.shortId })).resolves.toMatchObject({ id: ids["state"] });
  });
});

describe("Ingest then Recall", () => {
  it("recalls a session ingested from one machine when another machine starts on the same project", async () => {
    const fixture = readFileSync(join(__dirname, "..", "test", "fixtures", "nginx-proxy-session.jsonl"), "utf8");
    const ingestScope = { projectId: uuidv7(), clientId: uuidv7(), machineName: "LAPTOP-3", repository: "github.com/acme/web" };
    const stored = await call(
      memory,
      "ingest",
      IngestRequest.fromPartial({ scope: ingestScope, claudeSessionId: uuidv7(), idempotencyKey: uuidv7(), transcript: fixture }),
    );
    expect(stored.status).toBe("stored");
    const answer = await recallOf({
      scope: { projectId: ingestScope.projectId, clientId: ingestScope.clientId, machineName: "DESKTOP-9" },
    });
    expect(answer.items[0]?.kind).toBe("project_state");
    const fromSession = answer.items.filter((item) => item.kind !== "project_state" && item.machineName === "LAPTOP-3");
    expect(fromSession.length).toBeGreaterThan(2);
    for (const item of fromSession) expect(item.line).toMatch(/^- \[\w+ [a-z2-7]{8} \d{4}-\d\d-\d\d LAPTOP-3\] /);
    expect(answer.text).toContain("nginx");
    expect(answer.text.length).toBeLessThanOrEqual(8000);
  });
});
