import type { Principal } from "@msp/auth";
import type { Database } from "@msp/db";
import { createDatabase, migrateUp, uuidv7 } from "@msp/db";
import { DomainError } from "@msp/errors";
import type { CallContext } from "@msp/grpc-kit";
import { createLogger } from "@msp/logging";
import { migrations } from "@msp/migrations";
import type { TestDatabase, TestService } from "@msp/testing";
import { call, connect, createTestDatabase, freePort, startTestService } from "@msp/testing";
import type { Scope } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { MemoryServiceClient, RecallRequest } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { contentHash } from "../content-hash";
import { recallModule } from "../recall-module";
import { recallMethods } from "./index";
import { insertRow } from "./test-rows";
import type { FoundWork, RecentWorkQuery, WorkRecord, WorkRecords, WorkSessionFacts } from "./work-records";

// Recall with the work service's records, on the real recall tables (SQLite by default, MariaDB
// with MSP_TEST_DATABASE_URL) and a fake work service; then the real recall service with its work
// service down.
let testDb: TestDatabase;
let db: Database;
let methods: ReturnType<typeof recallMethods>;
const asked: RecentWorkQuery[] = [];
let answer: () => Promise<FoundWork>;

const project = uuidv7();
const client = uuidv7();
const manualSession = uuidv7();
const claudeSession = uuidv7();
const logger = createLogger({ service: "recall-test", level: "silent" });
const ctx = {
  requestId: "req-1",
  service: "recall-service",
  method: "msp.recall.v1.MemoryService/Recall",
  principal: "tech",
  auth: { subject: "u1", userId: "u1", username: "tech", role: "technician", scopes: [], kind: "user" } as unknown as Principal,
  logger,
} as CallContext;

function record(overrides: Partial<WorkRecord>): WorkRecord {
  return {
    kind: "work_item",
    id: uuidv7(),
    sessionId: manualSession,
    title: "",
    problem: "",
    symptom: "",
    errorMessage: "",
    cause: "",
    fix: "",
    verify: "",
    freeText: "",
    status: "completed",
    priority: "",
    category: "configuration",
    affectedSystems: [],
    technologies: [],
    tags: [],
    recurrenceCount: 0,
    // Written down today, for work done in March: the line must say March.
    completedAt: new Date(),
    createdAt: new Date(),
    ...overrides,
  };
}

const session = (id: string): WorkSessionFacts => ({
  id,
  projectId: project,
  clientId: client,
  machineId: uuidv7(),
  machineName: "FRONT-DESK-PC",
  startedAt: new Date("2026-03-02T09:00:00Z"),
  endedAt: new Date("2026-03-02T11:30:00Z"),
});

const relay = record({
  title: "Mail relay moved to smtp2go",
  problem: "outgoing mail bounced with 550 relay denied",
  cause: "the ISP closed port 25",
  fix: "relayhost [mail.smtp2go.com]:2525 in postfix main.cf",
  verify: "test mail to gmail delivered",
  affectedSystems: ["mx01"],
});
/** Told by the transcript's problem snippet in the same words: shown once. */
const certificate = record({
  kind: "problem_solution",
  problem: "browsers warn about the portal certificate",
  cause: "the intermediate certificate was missing",
  fix: "served fullchain.pem instead of cert.pem",
});
/** Written by the CLI from a transcript recall ingested: its context says it already. */
const fromTranscript = record({ sessionId: claudeSession, title: "Claude session goal restated", fix: "ran the same commands" });

const work: WorkRecords = {
  findRecent: (_caller, query) => {
    asked.push(query);
    return answer();
  },
  findById: (_caller, kind, id) => {
    const found = [relay, certificate, fromTranscript].find((r) => r.kind === kind && r.id === id);
    return found
      ? Promise.resolve({ records: [found], sessions: [session(found.sessionId)] })
      : Promise.reject(new DomainError("not_found", "no such record"));
  },
};

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config);
  await migrateUp(db, migrations);
  methods = recallMethods({ db, logger, workRecords: work });
  await insertRow(db, "conversation_contexts", {
    project_id: project,
    client_id: client,
    session_id: claudeSession,
    title: "Portal certificate renewed",
    dense_summary: "renewed the portal certificate with certbot; nginx reloaded",
    ended_at: new Date("2026-02-20T10:00:00Z"),
  });
  await insertRow(db, "context_snippets", {
    project_id: project,
    client_id: client,
    category: "lesson_learned",
    title: "browsers warn about the portal certificate",
    dense_content:
      "Problem: browsers warn about the portal certificate\nCause: the intermediate certificate was missing\nFix: served fullchain.pem instead of cert.pem",
    content_hash: contentHash(
      "Problem: browsers warn about the portal certificate\nCause: the intermediate certificate was missing\nFix: served fullchain.pem instead of cert.pem",
    ),
  });
});
afterAll(async () => {
  await db.close();
  await testDb.drop();
});
beforeEach(() => {
  asked.length = 0;
  answer = () =>
    Promise.resolve({ records: [relay, certificate, fromTranscript], sessions: [session(manualSession), session(claudeSession)] });
});

type PartialRequest = Omit<Partial<RecallRequest>, "scope"> & { scope?: Partial<Scope> };
const recall = (request: PartialRequest) => methods.recall(RecallRequest.fromPartial(request), ctx);
const count = (text: string, part: string) => text.split(part).length - 1;

describe("recall with the work service's records", () => {
  it("shows a work item recorded through the API as one dense line, dated by its session", async () => {
    const response = await recall({ scope: { projectId: project, clientId: client } });
    expect(asked).toEqual([{ projectId: project, clientId: client, terms: [], limit: 15 }]);
    const line = response.text.split("\n").find((l) => l.includes("Mail relay moved to smtp2go"));
    expect(line).toMatch(
      /^- \[work_item [a-z2-7]{8} 2026-03-02 FRONT-DESK-PC\] Mail relay moved to smtp2go: Problem: outgoing mail bounced with 550 relay denied Cause: the ISP closed port 25 Fix: relayhost \[mail\.smtp2go\.com\]:2525 in postfix main\.cf Verify: test mail to gmail delivered$/,
    );
    // Once, whichever of the work record and the transcript's snippet tells it; nothing of the ingested session's work items.
    expect(count(response.text, "served fullchain.pem instead of cert.pem")).toBe(1);
    expect(response.text).not.toContain("Claude session goal restated");
    expect(response.text).toContain("Portal certificate renewed");
  });

  it("finds a record by the words of a question, and gives it in full by its short id", async () => {
    const response = await recall({ scope: { projectId: project, clientId: client }, query: "smtp2go relay" });
    expect(asked[0]!.terms).toEqual(["smtp2go", "relay"]);
    expect(response.items.map((item) => item.title)).toEqual(["Mail relay moved to smtp2go"]);
    const shortId = response.items[0]!.shortId;
    const item = await methods.getMemoryItem({ shortId }, ctx);
    expect(item).toMatchObject({ kind: "work_item", id: relay.id, projectId: project, clientId: client, machineName: "FRONT-DESK-PC" });
    expect(item.time).toEqual(new Date("2026-03-02T11:30:00Z"));
    expect(item.text).toContain("Fix: relayhost [mail.smtp2go.com]:2525 in postfix main.cf");
    // A useful mark on it is taken and changes nothing: the work service's rows are not recall's to count.
    expect(await methods.markUseful({ shortId }, ctx)).toMatchObject({ id: relay.id });
  });

  it("answers with its own memory when the work service is down", async () => {
    answer = () => Promise.reject(new DomainError("unavailable", "connect ECONNREFUSED 127.0.0.1:1"));
    const response = await recall({ scope: { projectId: project, clientId: client }, budgetChars: 4000 });
    expect(response.text).toContain("Portal certificate renewed");
    expect(response.text).toContain("served fullchain.pem instead of cert.pem");
  });
});

describe("the recall service with its work service down", () => {
  let service: TestService;
  beforeAll(async () => {
    // Nothing listens there: every call to the work service fails as it does when that service is down.
    const closed = await freePort();
    service = await startTestService(recallModule, { peers: { "work-service": [`127.0.0.1:${closed}`] } });
    const own = createDatabase(service.database.config);
    try {
      await insertRow(own, "conversation_contexts", {
        project_id: project,
        client_id: client,
        title: "Backups moved to the NAS",
        dense_summary: "nightly veeam job now writes to nas01",
        ended_at: new Date(),
      });
    } finally {
      await own.close();
    }
  });
  afterAll(async () => {
    await service.stop();
  });

  it("still recalls what it stored, again and again", async () => {
    const memory = connect(MemoryServiceClient, service);
    for (let i = 0; i < 2; i++) {
      const response = await call(memory, "recall", RecallRequest.fromPartial({ scope: { projectId: project, clientId: client } }));
      expect(response.text).toContain("Backups moved to the NAS");
    }
    memory.close();
  });
});
