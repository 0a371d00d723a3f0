import { invalidArgument } from "@msp/errors";
import type { StoredRecord } from "@msp/resource-kit";

/** Whole minutes between start and end; null while the session is open. */
export function durationMinutes(startedAt: Date, endedAt: Date | null | undefined): number | null {
  if (!endedAt) return null;
  return Math.floor((endedAt.getTime() - startedAt.getTime()) / 60_000);
}

/** Work for a paying client is billable unless said otherwise; internal and project work is not. */
export function billableByDefault(clientType: string | null | undefined): boolean {
  return clientType === "msp_client";
}

/**
 * The times of a session: it starts now unless told otherwise, a finished session has an end,
 * the end is not before the start, and the duration always follows from the two.
 */
export function settleSessionTimes(row: StoredRecord, now: Date): void {
  const startedAt = row["started_at"] instanceof Date ? row["started_at"] : now;
  row["started_at"] = startedAt;
  const finished = row["status"] === "completed" || row["status"] === "abandoned";
  if (finished && !(row["ended_at"] instanceof Date)) row["ended_at"] = now < startedAt ? startedAt : now;
  const endedAt = row["ended_at"] instanceof Date ? row["ended_at"] : null;
  if (endedAt && endedAt < startedAt) throw invalidArgument("session.ended_at", "must not be before started_at");
  row["duration_minutes"] = durationMinutes(startedAt, endedAt);
}
