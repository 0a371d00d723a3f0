import type { LogEntry } from "../local/error-log";

/** Messages that say the platform did not answer: refused, reset, timed out, or 503 (a service away). */
const outagePattern =
  /unreachable|cannot be reached|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EAI_AGAIN|socket hang up|no answer within|\b503\b|\bunavailable\b/i;

/** Whether a log entry records the platform being away (rather than something still wrong here). */
export function isOutageEntry(entry: LogEntry): boolean {
  return outagePattern.test(entry.message);
}

/** What `msp status` shows of the log: the errors that still matter, and an outage that has ended. */
export interface StatusErrors {
  current: LogEntry[];
  /** Entries of an outage that is over (the platform answers now): how many, and the last one's time. */
  pastOutage?: { entries: number; lastAt: string };
}

/**
 * Splits the recent log for `msp status`. While the platform answers, the entries saying it did
 * not are history: they are counted, not listed as current errors. While it does not answer, every
 * entry is current. The last `shown` current entries are kept.
 */
export function statusErrors(entries: readonly LogEntry[], reachableNow: boolean, shown = 5): StatusErrors {
  if (!reachableNow) return { current: entries.slice(-shown) };
  const past = entries.filter(isOutageEntry);
  const current = entries.filter((entry) => !isOutageEntry(entry)).slice(-shown);
  if (past.length === 0) return { current };
  return { current, pastOutage: { entries: past.length, lastAt: past.at(-1)!.at } };
}
