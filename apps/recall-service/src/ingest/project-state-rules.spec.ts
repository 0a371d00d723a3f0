import type { ProjectStatePlan } from "./ingest-plan";
import type { ProjectStateColumns } from "./project-state-rules";
import { maxRecentSessions, mergeProjectState } from "./project-state-rules";

const plan = (overrides: Partial<ProjectStatePlan>): ProjectStatePlan => ({
  currentPhase: null,
  nextActions: [],
  blockers: [],
  summary: "2026-05-16 A session",
  short: false,
  keyFiles: [],
  importantDecisions: [],
  ...overrides,
});

const longSession: ProjectStateColumns = {
  current_phase: "implementing: phase 4",
  next_actions: ["write phase4_byzantine.py", "test 5 nodes"],
  blockers: ["node 3 does not sync"],
  summary: "2026-05-10 Build the consensus network (implementing: phase 4)",
  key_files: ["phase3_multinode.py"],
  important_decisions: ["docker only"],
};

describe("mergeProjectState", () => {
  it("lets a long session say where the work stands, and lists it before the earlier sessions", () => {
    const merged = mergeProjectState(
      longSession,
      plan({ currentPhase: "testing", nextActions: ["run the 5-node test"], summary: "2026-05-12 Test the network (testing)" }),
    );
    expect(merged.current_phase).toBe("testing");
    expect(merged.next_actions).toEqual(["run the 5-node test"]);
    expect(merged.blockers).toEqual([]);
    expect(merged.summary).toBe("2026-05-12 Test the network (testing)\n2026-05-10 Build the consensus network (implementing: phase 4)");
  });

  it("does not let a short unrelated session wipe out the phase and next actions of the long one before it", () => {
    const merged = mergeProjectState(
      longSession,
      plan({ currentPhase: "researching", nextActions: ["answer the DNS question"], summary: "2026-05-11 Why is DNS slow", short: true }),
    );
    expect(merged.current_phase).toBe("implementing: phase 4");
    expect(merged.next_actions).toEqual(["answer the DNS question", "write phase4_byzantine.py", "test 5 nodes"]);
    expect(merged.blockers).toEqual(["node 3 does not sync"]);
    expect(merged.summary?.split("\n")).toEqual([
      "2026-05-11 Why is DNS slow",
      "2026-05-10 Build the consensus network (implementing: phase 4)",
    ]);
  });

  it("keeps each session line once, the newest few, and replaces a summary stored in the old form", () => {
    let state: ProjectStateColumns | undefined;
    for (let day = 1; day <= 9; day += 1) state = mergeProjectState(state, plan({ summary: `2026-05-0${day} Session ${day}` }));
    state = mergeProjectState(state, plan({ summary: "2026-05-09 Session 9" }));
    expect(state.summary!.split("\n")).toEqual(Array.from({ length: maxRecentSessions }, (_, i) => `2026-05-0${9 - i} Session ${9 - i}`));
    const legacy = mergeProjectState({ ...longSession, summary: "# Old title\nsession abc | cwd /x\n## Goals\n- a goal" }, plan({}));
    expect(legacy.summary).toBe("2026-05-16 A session");
  });
});
