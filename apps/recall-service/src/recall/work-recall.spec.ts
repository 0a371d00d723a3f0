import type { Principal } from "@msp/auth";
import { DomainError } from "@msp/errors";
import { createLogger } from "@msp/logging";
import type { CallerContext } from "@msp/service-client";
import type { ReadRows } from "./read-rows";
import { createWorkRecall, workBackoffMs, workTerms } from "./work-recall";
import type { FoundWork, RecentWorkQuery, WorkRecord, WorkRecords } from "./work-records";

const logger = createLogger({ service: "recall-test", level: "silent" });
const caller: CallerContext = {
  requestId: "req-1",
  auth: { subject: "u1", userId: "u1", username: "tech", role: "technician", scopes: [], kind: "user" } as unknown as Principal,
};
const project = "01900000-0000-7000-8000-00000000c001";
const client = "01900000-0000-7000-8000-00000000c002";
const manual = "01900000-0000-7000-8000-00000000b001";
const fromTranscript = "01900000-0000-7000-8000-00000000b002";

function workItem(id: string, sessionId: string, title: string): WorkRecord {
  return {
    kind: "work_item",
    id,
    sessionId,
    title,
    problem: "",
    symptom: "",
    errorMessage: "",
    cause: "",
    fix: "restarted the spooler",
    verify: "",
    freeText: "",
    status: "completed",
    priority: "",
    category: "",
    affectedSystems: [],
    technologies: [],
    tags: [],
    recurrenceCount: 0,
    completedAt: new Date("2026-03-02T10:00:00Z"),
    createdAt: new Date("2026-03-02T10:00:00Z"),
  };
}

const found: FoundWork = {
  records: [
    workItem("01900000-0000-7000-8000-00000000a001", manual, "Print server fixed"),
    workItem("01900000-0000-7000-8000-00000000a002", fromTranscript, "Claude session goal"),
  ],
  sessions: [manual, fromTranscript].map((id) => ({
    id,
    projectId: project,
    clientId: client,
    machineId: "",
    machineName: "",
    startedAt: new Date("2026-03-02T09:00:00Z"),
    endedAt: null,
  })),
};

/** A fake work service: answers with `answer()`, noting each question. */
function fakeWork(answer: () => Promise<FoundWork>) {
  const asked: RecentWorkQuery[] = [];
  const work: WorkRecords = {
    findRecent: (_ctx, query) => {
      asked.push(query);
      return answer();
    },
    findById: () => Promise.reject(new DomainError("not_found", "no such record")),
  };
  return { work, asked };
}

/** The recall tables, as far as the work source reads them: transcript's session was ingested. */
const read: ReadRows = (<T extends object>(sql: string, params: readonly unknown[]) =>
  Promise.resolve(
    (sql.includes("conversation_contexts") && params.includes(fromTranscript) ? [{ session_id: fromTranscript }] : []) as T[],
  )) as ReadRows;

const scope = { projectId: project, clientId: client };
const titles = (candidates: readonly { title: string }[]) => candidates.map((c) => c.title);

describe("work records in recall", () => {
  it("become candidates of their session's scope, leaving out sessions whose transcript recall ingested", async () => {
    const { work, asked } = fakeWork(() => Promise.resolve(found));
    const source = createWorkRecall({ work, read, logger });
    const candidates = await source.candidates(caller, { scope, query: "" });
    expect(titles(candidates)).toEqual(["Print server fixed"]);
    expect(candidates[0]).toMatchObject({ kind: "work_item", projectId: project, clientId: client, body: "Fix: restarted the spooler" });
    expect(asked).toEqual([{ projectId: project, clientId: client, terms: [], limit: 15 }]);
  });

  it("send the query's longer words, longest first, and ask nothing without a caller or a scope", async () => {
    const { work, asked } = fakeWork(() => Promise.resolve(found));
    const source = createWorkRecall({ work, read, logger });
    await source.candidates(caller, { scope, query: "Why does the spooler on PRN-01 fail with KeyError again?" });
    expect(asked[0]!.terms).toEqual(["keyerror", "spooler", "again", "fail", "prn"]);
    expect(workTerms("a b cd")).toEqual([]);
    expect(await source.candidates(undefined, { scope, query: "" })).toEqual([]);
    expect(await source.candidates(caller, { scope: { repository: "github.com/acme/x" }, query: "" })).toEqual([]);
    expect(asked).toHaveLength(1);
  });

  it("answer without the work service when it is down, then leave it alone for a while", async () => {
    let now = 1_000_000;
    let down = true;
    const { work, asked } = fakeWork(() =>
      down ? Promise.reject(new DomainError("unavailable", "connect ECONNREFUSED")) : Promise.resolve(found),
    );
    const source = createWorkRecall({ work, read, logger, now: () => now });
    expect(await source.candidates(caller, { scope, query: "" })).toEqual([]);
    down = false;
    // Within the pause: not asked.
    expect(await source.candidates(caller, { scope, query: "" })).toEqual([]);
    expect(asked).toHaveLength(1);
    now += workBackoffMs + 1;
    expect(titles(await source.candidates(caller, { scope, query: "" }))).toEqual(["Print server fixed"]);
    expect(asked).toHaveLength(2);
  });

  it("do not wait past the budget: a late answer serves the next recall, and the last one stands in meanwhile", async () => {
    const answers: Array<(value: FoundWork) => void> = [];
    const { work, asked } = fakeWork(() => new Promise<FoundWork>((resolve) => answers.push(resolve)));
    const source = createWorkRecall({ work, read, logger, budgetMs: 20 });

    // Nothing in time and nothing kept: no work records, and the recall goes on.
    expect(await source.candidates(caller, { scope, query: "" })).toEqual([]);
    answers[0]!(found);
    await new Promise((resolve) => setImmediate(resolve));
    // The late answer serves the next recall, whose own question goes unanswered in time.
    expect(titles(await source.candidates(caller, { scope, query: "" }))).toEqual(["Print server fixed"]);
    expect(asked).toHaveLength(2);
    // A question with words nobody answers in time: the scope's last answer stands in.
    expect(titles(await source.candidates(caller, { scope, query: "spooler trouble" }))).toEqual(["Print server fixed"]);
    expect(asked).toHaveLength(3);
  });

  it("leave a record out, not the recall, when the work service refuses the caller", async () => {
    const { work } = fakeWork(() => Promise.reject(new DomainError("permission_denied", "work:read needed")));
    const source = createWorkRecall({ work, read, logger });
    expect(await source.candidates(caller, { scope, query: "" })).toEqual([]);
    expect(await source.item(caller, "work_item", "01900000-0000-7000-8000-00000000a009")).toBeUndefined();
  });
});
