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
 * Whole minutes from created_at to completed_at. Null when not completed, or when recorded after
 * the fact (completed more than a minute before created_at): the time spent is then unknown.
 */
export function minutesBetween(createdAt: Date, completedAt: unknown): number | null {
  if (!(completedAt instanceof Date)) return null;
  const ms = completedAt.getTime() - createdAt.getTime();
  if (ms < -60_000) return null;
  return Math.max(0, Math.floor(ms / 60_000));
}

/**
 * Status drives the completion time: completed work items default to being completed now, and a
 * work item that stops being completed loses its completion time. actual_minutes follows
 * created_at..completed_at unless the caller gave it.
 */
export function settleCompletion(row: StoredRecord, existing: StoredRecord | undefined, given: ReadonlySet<string>, now: Date): void {
  if (!row["status"]) row["status"] = "completed";
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

  const createdAt = existing?.["created_at"] instanceof Date ? existing["created_at"] : now;
  const derived = minutesBetween(createdAt, row["completed_at"]);
  if (given.has("actual_minutes")) {
    if (row["actual_minutes"] === null || row["actual_minutes"] === undefined) row["actual_minutes"] = derived;
    return;
  }
  // A value the caller gave earlier stays; one derived earlier follows the new completion time.
  const before = existing?.["actual_minutes"];
  const wasDerived = !existing || before === null || before === undefined || before === minutesBetween(createdAt, existing["completed_at"]);
  if (wasDerived) row["actual_minutes"] = derived;
}

function textOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
