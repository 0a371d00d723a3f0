import { invalidArgument } from "@msp/errors";
import type { StoredRecord } from "@msp/resource-kit";
import { descriptionParts } from "./work-item-description";
import { guessCategory } from "./work-item-category";

/**
 * A work item's category: a given one is kept (source "given"); otherwise it is guessed from the
 * title and description (source "guessed"), and guessed again when that text changes, until a
 * category is given. Clearing the category asks for a new guess.
 */
export function settleCategory(row: StoredRecord, existing: StoredRecord | undefined, given: ReadonlySet<string>): void {
  if (given.has("category") && row["category"]) {
    row["category_source"] = "given";
    return;
  }
  const textChanged = ["title", "description", ...descriptionParts].some((field) => given.has(field));
  const guessing = !row["category"] || (existing?.["category_source"] === "guessed" && textChanged);
  if (!guessing) return;
  row["category"] = guessCategory(textOrNull(row["title"]), textOrNull(row["description"])).category;
  row["category_source"] = "guessed";
}

/**
 * Whole minutes from the work's start to completed_at. Null when not completed, or when completed
 * more than a minute before the start (only rows stored before that was refused).
 */
export function minutesBetween(startedAt: Date, completedAt: unknown): number | null {
  if (!(completedAt instanceof Date)) return null;
  const ms = completedAt.getTime() - startedAt.getTime();
  if (ms < -60_000) return null;
  return Math.max(0, Math.floor(ms / 60_000));
}

/** Clocks of the machines that record work may be this far ahead or behind the service's. */
const clockSkewMs = 60_000;

/** The work's start: started_at, else when the item was recorded. */
function startOf(row: StoredRecord, existing: StoredRecord | undefined, now: Date): Date {
  if (row["started_at"] instanceof Date) return row["started_at"];
  return existing?.["created_at"] instanceof Date ? existing["created_at"] : now;
}

/**
 * Status drives the completion time: completed work items default to being completed now, and a
 * work item that stops being completed loses its completion time. The work starts at started_at
 * (when it was recorded, by default; work recorded after the fact gives its real start), never in
 * the future; completed_at is never before it. actual_minutes follows started_at..completed_at
 * unless the caller gave it; an item recorded already completed with no start given has unknown
 * minutes (null), not 0.
 */
export function settleCompletion(row: StoredRecord, existing: StoredRecord | undefined, given: ReadonlySet<string>, now: Date): void {
  if (!row["status"]) row["status"] = "completed";
  const startGiven = given.has("started_at") && row["started_at"] instanceof Date;
  if (startGiven && (row["started_at"] as Date).getTime() > now.getTime() + clockSkewMs) {
    throw invalidArgument("work_item.started_at", "must not be in the future");
  }
  const completedAt = row["completed_at"];
  if (row["status"] === "completed") {
    if (!(completedAt instanceof Date)) row["completed_at"] = now;
  } else if (completedAt instanceof Date) {
    const previous = existing?.["completed_at"];
    const changed = !(previous instanceof Date) || previous.getTime() !== completedAt.getTime();
    if (given.has("completed_at") && changed) {
      throw invalidArgument("work_item.completed_at", "only a completed work item has a completion time; set status to completed too");
    }
    row["completed_at"] = null;
  }

  const start = startOf(row, existing, now);
  if (!existing && !(row["started_at"] instanceof Date)) row["started_at"] = start;
  const completed = row["completed_at"];
  if (completed instanceof Date && completed < start && (given.has("completed_at") || given.has("started_at"))) {
    if (start.getTime() - completed.getTime() > clockSkewMs) {
      const what = startGiven || existing?.["started_at"] instanceof Date ? "started_at" : "when the item was recorded (created_at)";
      throw invalidArgument(
        "work_item.completed_at",
        `must not be before the work's start, ${what} ${start.toISOString()}; for work recorded after the fact give started_at as well`,
      );
    }
    row["completed_at"] = start;
  }

  // Recorded already completed with no start: how long it took is unknown.
  const unknown = !existing && !startGiven && row["status"] === "completed";
  const derived = unknown ? null : minutesBetween(start, row["completed_at"]);
  if (given.has("actual_minutes")) {
    if (row["actual_minutes"] === null || row["actual_minutes"] === undefined) row["actual_minutes"] = derived;
    return;
  }
  // A value the caller gave earlier stays; one derived earlier follows the new start or completion time.
  const before = existing?.["actual_minutes"];
  const wasDerived =
    !existing ||
    before === null ||
    before === undefined ||
    before === minutesBetween(startOf(existing, existing, now), existing["completed_at"]);
  if (wasDerived) row["actual_minutes"] = derived;
}

function textOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
