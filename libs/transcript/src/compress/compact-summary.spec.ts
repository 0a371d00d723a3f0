import { parseCompactSummary } from "./compact-summary";

const SUMMARY = `This session is being continued from a previous conversation that ran out of context.
Analysis:
Key technical decisions made:
- Used parameter expansion with defaults
- Kept modules sequential

Summary:
1. Primary Request and Intent:
   - Fix the build modules
   - Push to GitHub
2. Key Technical Concepts:
   - ZFS
3. Errors and fixes:
   - Git push failure due to large files:
      - zfs.ko (103 MB)
      - Fixed by adding to .gitignore
   - **Unbound variable**: fixed with defaults
4. Problem Solving:
   Resolved 73 issues.
5. Pending Tasks:
   - Test module execution
6. Current Work:
   Fixing DNS
7. Optional Next Step:
   Run the build again.`;

describe("parseCompactSummary", () => {
  it("reads the numbered sections, nested bullets joined to their item", () => {
    const sections = parseCompactSummary(SUMMARY);
    expect(sections.intent).toEqual(["Fix the build modules", "Push to GitHub"]);
    expect(sections.errorsAndFixes).toEqual([
      "Git push failure due to large files:; zfs.ko (103 MB); Fixed by adding to .gitignore",
      "Unbound variable: fixed with defaults",
    ]);
    expect(sections.problemSolving).toEqual(["Resolved 73 issues."]);
    expect(sections.pendingTasks).toEqual(["Test module execution"]);
    expect(sections.nextStep).toEqual(["Run the build again."]);
    expect(sections.decisions).toEqual(["Used parameter expansion with defaults", "Kept modules sequential"]);
  });

  it("returns empty sections for text without them", () => {
    expect(parseCompactSummary("just prose").pendingTasks).toEqual([]);
  });
});
