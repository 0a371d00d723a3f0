import type { Principal } from "@msp/auth";
import type { Database } from "@msp/db";
import { createDatabase, migrateUp, uuidv7 } from "@msp/db";
import type { CallContext } from "@msp/grpc-kit";
import { createLogger } from "@msp/logging";
import { migrations } from "@msp/migrations";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import type { Scope } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { RecallRequest } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { recallMethods } from "../recall";
import { insertRow } from "../recall/test-rows";
import { hostShortId } from "./host-recall";
import type { HostQuery, InfraHosts } from "./infra-hosts";
import type { KnownHost } from "./known-host";
import { makeHost } from "./testing";

// Recall with host lines, on the real recall tables (SQLite by default, MariaDB with
// MSP_TEST_DATABASE_URL) and a fake infra service: the host line's failure patterns come from
// failure_patterns, its place and size from the packing, its exclusion from exclude_short_ids.
let testDb: TestDatabase;
let db: Database;
let methods: ReturnType<typeof recallMethods>;
const asked: HostQuery[] = [];
let answer: () => Promise<KnownHost[]> = () => Promise.resolve([]);

const client = uuidv7();
const otherClient = uuidv7();
const project = uuidv7();
const dc01 = makeHost({ id: uuidv7() });
const logger = createLogger({ service: "recall-test", level: "silent" });
const ctx = {
  requestId: "req-1",
  service: "recall-service",
  method: "msp.recall.v1.MemoryService/Recall",
  principal: "tech",
  auth: { subject: "u1", username: "tech", role: "technician", scopes: [], kind: "user" } as unknown as Principal,
  logger,
} as CallContext;
const infra: InfraHosts = {
  matchHosts: (_caller, query) => {
    asked.push(query);
    return answer();
  },
};

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config);
  await migrateUp(db, migrations);
  methods = recallMethods({ db, logger, infra });
  await insertRow(db, "conversation_contexts", {
    project_id: project,
    client_id: client,
    title: "Moved the file shares to dc01",
    dense_summary: "robocopy of the shares from the old NAS to dc01, permissions kept",
    tags: ["dc01"],
    ended_at: new Date(),
  });
  await insertRow(db, "failure_patterns", {
    client_id: client,
    infrastructure_id: dc01.id,
    host: "dc01",
    error_pattern: "Install-Module: no match was found",
    description: "PSGallery unreachable (no internet)",
    recommended_solution: "copy the module from \\\\fs01\\modules",
    occurrence_count: 4,
    is_active: true,
  });
  await insertRow(db, "failure_patterns", {
    client_id: client,
    infrastructure_id: dc01.id,
    host: "dc01",
    error_pattern: "retired problem",
    description: "Old failure that no longer happens",
    occurrence_count: 9,
    is_active: false,
  });
  await insertRow(db, "failure_patterns", {
    client_id: otherClient,
    host: "dc01",
    error_pattern: "another client's dc01",
    description: "Another client's failure on its own dc01",
    occurrence_count: 9,
  });
});
afterAll(async () => {
  await db.close();
  await testDb.drop();
});
beforeEach(() => {
  asked.length = 0;
  answer = () => Promise.resolve([dc01]);
});

type PartialRequest = Omit<Partial<RecallRequest>, "scope"> & { scope?: Partial<Scope> };
const recall = (request: PartialRequest) => methods.recall(RecallRequest.fromPartial(request), ctx);

describe("recall with host lines", () => {
  it("puts the named host's facts and active failure patterns right after the header, as an item of kind host", async () => {
    const response = await recall({ scope: { projectId: project, clientId: client }, query: "dc01", budgetChars: 2500, maxItems: 5 });
    expect(asked).toEqual([{ clientId: client, texts: ["dc01"], limit: 3 }]);
    const lines = response.text.split("\n");
    expect(lines[1]).toBe(
      "- [host dc01 10.0.0.10] Windows Server 2016, domain controller; shell powershell 5.1; pkg choco; " +
        "limits: no internet, PowerShell 2.0 only; known failures: PSGallery unreachable (no internet) -> fix: copy the module from \\\\fs01\\modules; " +
        "services: AD DS (running), DNS (running)",
    );
    expect(lines[2]).toMatch(/^- \[context [a-z2-7]{8} .*Moved the file shares to dc01/);
    // The known issue is in the host line: not repeated as an item of its own.
    expect(response.items.map((item) => item.kind)).toEqual(["host", "context"]);
    expect(response.items[0]).toMatchObject({ kind: "host", id: dc01.id, title: "dc01", shortId: hostShortId(dc01.id), line: lines[1] });
    expect(response.text).not.toContain("no longer happens");
    expect(response.text).not.toContain("another client");
    expect(response.textChars).toBe(response.text.length);
  });

  it("asks with the folder when there is no query, and gives the host line alone when no memory matches", async () => {
    const response = await recall({ scope: { clientId: client, cwd: "/home/ana/clients/dc01" }, query: "", budgetChars: 8000 });
    expect(asked[0]!.texts).toEqual(["clients/dc01"]);
    expect(response.items[0]!.kind).toBe("host");
    const empty = await recall({ scope: { clientId: client }, query: "nothing-known-here", budgetChars: 2500 });
    expect(empty.items.map((item) => item.kind)).toEqual(["host"]);
    expect(empty.text.split("\n")).toHaveLength(2); // the header and the host line: no footer without a memory item
  });

  it("leaves out a host already injected, and asks nothing without a client", async () => {
    const excluded = await recall({ scope: { clientId: client }, query: "dc01", excludeShortIds: [hostShortId(dc01.id)] });
    expect(excluded.items.map((item) => item.kind)).not.toContain("host");
    asked.length = 0;
    const noClient = await recall({ scope: { projectId: project }, query: "dc01" });
    expect(asked).toEqual([]);
    expect(noClient.items.map((item) => item.kind)).not.toContain("host");
  });

  it("recalls as before when the infra service fails: the known issue is then an item of its own", async () => {
    answer = () => Promise.reject(new Error("boom"));
    const response = await recall({ scope: { projectId: project, clientId: client }, query: "dc01", budgetChars: 2500 });
    expect(response.items.map((item) => item.kind).sort()).toEqual(["context", "failure_pattern"]);
  });

  it("counts host lines as items under max_items and keeps the text within a small budget", async () => {
    const one = await recall({ scope: { projectId: project, clientId: client }, query: "dc01", maxItems: 1 });
    expect(one.items.map((item) => item.kind)).toEqual(["host"]);
    const small = await recall({ scope: { projectId: project, clientId: client }, query: "dc01", budgetChars: 400 });
    expect(small.text.length).toBeLessThanOrEqual(400);
  });
});
