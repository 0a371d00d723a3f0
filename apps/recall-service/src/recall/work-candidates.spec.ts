import { contentHash } from "../content-hash";
import { problemText } from "../ingest/session-plan";
import { itemLine } from "./format";
import { workBody, workCandidateOf, workContentHash, workImportance, workTimeOf, workTitle } from "./work-candidates";
import type { WorkRecord, WorkSessionFacts } from "./work-records";

function record(overrides: Partial<WorkRecord> = {}): WorkRecord {
  return {
    kind: "work_item",
    id: "01900000-0000-7000-8000-00000000a001",
    sessionId: "01900000-0000-7000-8000-00000000b001",
    title: "Nightly backup restored",
    problem: "backup job fails every night",
    symptom: "",
    errorMessage: "",
    cause: "the NAS share was renamed",
    fix: "pointed the job at \\\\nas01\\backups",
    verify: "the 02:00 run finished",
    freeText: "",
    status: "completed",
    priority: "",
    category: "maintenance",
    affectedSystems: ["nas01"],
    technologies: ["veeam"],
    tags: [],
    recurrenceCount: 0,
    completedAt: new Date("2026-12-04T10:00:00Z"),
    createdAt: new Date("2026-12-04T10:00:00Z"),
    ...overrides,
  };
}

const session: WorkSessionFacts = {
  id: "01900000-0000-7000-8000-00000000b001",
  projectId: "01900000-0000-7000-8000-00000000c001",
  clientId: "01900000-0000-7000-8000-00000000c002",
  machineId: "01900000-0000-7000-8000-00000000c003",
  machineName: "LAPTOP-3",
  startedAt: new Date("2026-03-02T09:00:00Z"),
  endedAt: new Date("2026-03-02T11:30:00Z"),
};

describe("work records as recall candidates", () => {
  it("tell a work item as one dense Problem / Cause / Fix / Verify line under its title", () => {
    const candidate = workCandidateOf(record(), session);
    expect(candidate).toMatchObject({
      kind: "work_item",
      title: "Nightly backup restored",
      projectId: session.projectId,
      clientId: session.clientId,
      machineName: "LAPTOP-3",
      tags: ["nas01", "veeam", "maintenance"],
    });
    expect(itemLine(candidate, "abcdefgh", 480)).toBe(
      "- [work_item abcdefgh 2026-03-02 LAPTOP-3] Nightly backup restored: Problem: backup job fails every night " +
        "Cause: the NAS share was renamed Fix: pointed the job at \\\\nas01\\backups Verify: the 02:00 run finished",
    );
  });

  it("say the title once, show free text without parts, and name a status other than completed", () => {
    expect(workBody(record({ title: "Backup job fails every night" }))).not.toContain("Problem:");
    const free = record({ problem: "", cause: "", fix: "", verify: "", freeText: "Swapped the UPS battery", status: "blocked" });
    expect(workBody(free)).toBe("Swapped the UPS battery\nStatus: blocked");
    expect(workBody(record({ status: "in_progress" }))).toMatch(/Status: in progress$/);
  });

  it("title a problem solution by its problem, symptom or error, and say when it came back", () => {
    const problem = record({
      kind: "problem_solution",
      title: "",
      problem: "",
      errorMessage: "KeyError: 'ContainerConfig'",
      cause: "docker-compose v1 against a newer engine",
      fix: "use docker compose v2",
      verify: "",
      recurrenceCount: 2,
    });
    expect(workTitle(problem)).toBe("KeyError: 'ContainerConfig'");
    expect(workBody(problem)).toBe("Cause: docker-compose v1 against a newer engine\nFix: use docker compose v2\nCame back 2 times");
    expect(workImportance(problem)).toBe(9);
    expect(workTitle(record({ kind: "problem_solution", title: "", problem: `${"x".repeat(300)}\nsecond line` }))).toHaveLength(200);
  });

  it("hash a story as the problem snippet of a transcript telling it in the same words", () => {
    const snippet = problemText({
      problem: "backup job fails every night",
      cause: "the NAS share was renamed",
      fix: "pointed the job at \\\\nas01\\backups",
      verify: "the 02:00 run finished",
    } as Parameters<typeof problemText>[0]);
    expect(workContentHash(record())).toBe(contentHash(snippet));
    expect(workContentHash(record({ fix: "something else" }))).not.toBe(contentHash(snippet));
    expect(workContentHash(record({ problem: "", cause: "", fix: "", verify: "", freeText: "" }))).toBeNull();
  });

  it("date the work by its session, not by when it was written down", () => {
    // Recorded (completed) months after the session: the session's end.
    expect(workTimeOf(record(), session)).toEqual(session.endedAt);
    // Within the session: when it was completed.
    const during = new Date("2026-03-02T10:15:00Z");
    expect(workTimeOf(record({ completedAt: during }), session)).toEqual(during);
    // A session still going: the record's own time, never before the session started.
    const open = { ...session, endedAt: null };
    expect(workTimeOf(record(), open)).toEqual(new Date("2026-12-04T10:00:00Z"));
    expect(workTimeOf(record({ completedAt: null, createdAt: new Date("2026-01-01T00:00:00Z") }), open)).toEqual(session.startedAt);
    expect(workTimeOf(record({ completedAt: null, createdAt: null }), undefined)).toEqual(new Date(0));
  });

  it("weigh a work item by its priority, else by whether it tells a problem or fix", () => {
    expect(workImportance(record({ priority: "critical" }))).toBe(9);
    expect(workImportance(record())).toBe(7);
    expect(workImportance(record({ problem: "", fix: "", cause: "", verify: "" }))).toBe(5);
  });
});
