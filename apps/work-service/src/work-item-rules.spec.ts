import type { StoredRecord } from "@msp/resource-kit";
import { settleCommandOutcome } from "./command-run-rules";
import { flagFollows } from "./work-detail-rules";
import { minutesBetween, settleCategory, settleCompletion } from "./work-item-rules";

const at = (time: string) => new Date(`2026-03-02T${time}:00Z`);
const given = (...fields: string[]) => new Set(fields);

describe("settleCategory", () => {
  it("keeps a given category and guesses a missing one", () => {
    const row: StoredRecord = { title: "Restart the web server", category: "security" };
    settleCategory(row, undefined, given("title", "category"));
    expect(row).toMatchObject({ category: "security", category_source: "given" });
    const guessed: StoredRecord = { title: "Restart the web server" };
    settleCategory(guessed, undefined, given("title"));
    expect(guessed).toMatchObject({ category: "infrastructure", category_source: "guessed" });
  });

  it("guesses again when the text of a guessed item changes, not when a category was given", () => {
    const existing = { title: "Restart the web server", category: "infrastructure", category_source: "guessed" };
    const row: StoredRecord = { ...existing, title: "Remove malware" };
    settleCategory(row, existing, given("title"));
    expect(row["category"]).toBe("security");
    const pinned = { ...existing, category_source: "given" };
    const kept: StoredRecord = { ...pinned, title: "Remove malware" };
    settleCategory(kept, pinned, given("title"));
    expect(kept).toMatchObject({ category: "infrastructure", category_source: "given" });
    const cleared: StoredRecord = { ...pinned, category: null };
    settleCategory(cleared, pinned, given("category"));
    expect(cleared).toMatchObject({ category: "infrastructure", category_source: "guessed" });
  });
});

describe("settleCompletion", () => {
  it("completes now by default; recorded already done with no start, its minutes are unknown, not 0", () => {
    const row: StoredRecord = {};
    settleCompletion(row, undefined, given(), at("10:00"));
    expect(row).toEqual({ status: "completed", started_at: at("10:00"), completed_at: at("10:00"), actual_minutes: null });
  });

  it("takes the minutes from a given start to the completion, for work recorded after the fact", () => {
    const row: StoredRecord = { status: "completed", started_at: at("08:10"), completed_at: at("09:02") };
    settleCompletion(row, undefined, given("status", "started_at", "completed_at"), at("10:00"));
    expect(row).toMatchObject({ started_at: at("08:10"), completed_at: at("09:02"), actual_minutes: 52 });
    const open: StoredRecord = { status: "in_progress", started_at: at("08:10") };
    settleCompletion(open, undefined, given("status", "started_at"), at("10:00"));
    expect(open).toMatchObject({ started_at: at("08:10"), actual_minutes: null });
    const moved: StoredRecord = { ...row, started_at: at("08:30") };
    settleCompletion(moved, { ...row, created_at: at("10:00") }, given("started_at"), at("10:05"));
    expect(moved["actual_minutes"]).toBe(32);
  });

  it("never completes before the work's start, and never starts in the future", () => {
    expect(() =>
      settleCompletion({ status: "completed", completed_at: at("09:00") }, undefined, given("status", "completed_at"), at("10:00")),
    ).toThrow(/work_item\.completed_at: must not be before the work's start, when the item was recorded .*give started_at as well/);
    expect(() =>
      settleCompletion(
        { status: "completed", started_at: at("09:30"), completed_at: at("09:00") },
        undefined,
        given("status", "started_at", "completed_at"),
        at("10:00"),
      ),
    ).toThrow(/work_item\.completed_at: must not be before the work's start, started_at 2026-03-02T09:30:00.000Z/);
    expect(() => settleCompletion({ started_at: at("10:05") }, undefined, given("started_at"), at("10:00"))).toThrow(
      /work_item\.started_at: must not be in the future/,
    );
    // A client clock a few seconds behind is taken as the start itself.
    const skewed: StoredRecord = { status: "completed", completed_at: new Date(at("10:00").getTime() - 5_000) };
    settleCompletion(skewed, undefined, given("status", "completed_at"), at("10:00"));
    expect(skewed["completed_at"]).toEqual(at("10:00"));
  });

  it("derives actual_minutes from created_at..completed_at when it becomes completed, unless given", () => {
    const existing = { status: "in_progress", created_at: at("10:00"), completed_at: null, actual_minutes: null };
    const row: StoredRecord = { ...existing, status: "completed" };
    settleCompletion(row, existing, given("status"), at("10:47"));
    expect(row).toMatchObject({ completed_at: at("10:47"), actual_minutes: 47 });
    const withMinutes: StoredRecord = { ...existing, status: "completed", actual_minutes: 30 };
    settleCompletion(withMinutes, existing, given("status", "actual_minutes"), at("10:47"));
    expect(withMinutes["actual_minutes"]).toBe(30);
  });

  it("keeps given minutes when the completion time moves, and moves derived ones", () => {
    const derived = { status: "completed", created_at: at("10:00"), completed_at: at("10:30"), actual_minutes: 30 };
    const moved: StoredRecord = { ...derived, completed_at: at("11:00") };
    settleCompletion(moved, derived, given("completed_at"), at("12:00"));
    expect(moved["actual_minutes"]).toBe(60);
    const typed = { ...derived, actual_minutes: 45 };
    const kept: StoredRecord = { ...typed, completed_at: at("11:00") };
    settleCompletion(kept, typed, given("completed_at"), at("12:00"));
    expect(kept["actual_minutes"]).toBe(45);
  });

  it("clears the completion of a reopened item and refuses a completion time on an open one", () => {
    const done = { status: "completed", created_at: at("10:00"), completed_at: at("10:30"), actual_minutes: 30 };
    const reopened: StoredRecord = { ...done, status: "in_progress" };
    settleCompletion(reopened, done, given("status"), at("11:00"));
    expect(reopened).toMatchObject({ completed_at: null, actual_minutes: null });
    expect(() =>
      settleCompletion({ status: "pending", completed_at: at("10:00") }, undefined, given("status", "completed_at"), at("11:00")),
    ).toThrow(/work_item\.completed_at/);
  });

  it("leaves the minutes unknown for work recorded after the fact", () => {
    expect(minutesBetween(at("12:00"), at("10:00"))).toBeNull();
    expect(minutesBetween(at("12:00"), new Date(at("12:00").getTime() - 500))).toBe(0);
    expect(minutesBetween(at("12:00"), null)).toBeNull();
  });
});

describe("settleCommandOutcome", () => {
  const outcome = (row: StoredRecord, fields: string[], existing?: StoredRecord) => {
    settleCommandOutcome(row, existing, new Set(fields));
    return row["success"];
  };

  it("follows the exit code unless success is given", () => {
    expect(outcome({ exit_code: 0 }, ["exit_code"])).toBe(true);
    expect(outcome({ exit_code: 2 }, ["exit_code"])).toBe(false);
    expect(outcome({ exit_code: -1073741819 }, ["exit_code"])).toBe(false);
    expect(outcome({ exit_code: 0, success: false }, ["exit_code", "success"])).toBe(false);
    expect(outcome({ exit_code: 1, success: true }, ["exit_code", "success"])).toBe(true);
    expect(outcome({ success: false, exit_code: 0 }, ["exit_code"], { success: false, exit_code: 1 })).toBe(true);
  });

  it("succeeds by default unless a failure category says otherwise", () => {
    expect(outcome({}, [])).toBe(true);
    expect(outcome({ failure_category: "permission" }, ["failure_category"])).toBe(false);
    expect(() => outcome({ exit_code: 0, failure_category: "syntax" }, ["exit_code", "failure_category"])).toThrow(
      /command_run\.failure_category/,
    );
  });
});

describe("flagFollows", () => {
  it("sets a flag from its source unless the flag is given", () => {
    const row: StoredRecord = { rollback_procedure: "git revert" };
    flagFollows(row, given("rollback_procedure"), undefined, "rollback_available", "rollback_procedure");
    expect(row["rollback_available"]).toBe(true);
    const explicit: StoredRecord = { rollback_procedure: "git revert", rollback_available: false };
    flagFollows(explicit, given("rollback_procedure", "rollback_available"), undefined, "rollback_available", "rollback_procedure");
    expect(explicit["rollback_available"]).toBe(false);
    const none: StoredRecord = {};
    flagFollows(none, given(), undefined, "rollback_available", "rollback_procedure");
    expect(none["rollback_available"]).toBe(false);
  });
});
