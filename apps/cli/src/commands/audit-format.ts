// What `msp audit` takes on the command line and prints: seqs and dates, the List filter of
// `msp audit events`, its table, and the verdict of a verification. Pure functions, no I/O.
import { quoteFilter } from "../platform/platform-client";
import type { AuditEvent, AuditKeys, AuditStatus, Int64, VerifyAuditChainResponse } from "../platform/platform-types";
import { CommandError } from "./command-support";
import { formatTable } from "./cred-format";

/** msp.audit.v1.AuditAction without its prefix, lower case: what --action takes and the filter compares. */
export const auditActions = ["create", "update", "delete", "reveal", "login", "logout", "revoke", "other"] as const;

/** msp.audit.v1.AuditOutcome without its prefix, lower case. */
export const auditOutcomes = ["ok", "denied", "failed"] as const;

/** An enum value from the command line as its short name: "create", "CREATE" and "AUDIT_ACTION_CREATE" give "create". */
export function enumChoice<T extends string>(input: string, option: string, prefix: string, values: readonly T[], what: string): T {
  const name = input
    .trim()
    .toLowerCase()
    .replace(/-/g, "_")
    .replace(new RegExp(`^${prefix.toLowerCase()}`), "");
  const found = values.find((value) => value === name);
  if (!found) throw new CommandError(`${option}: "${input}" is not ${what} (one of ${values.join(", ")})`);
  return found;
}

/** An enum name from the gateway's JSON for people: "AUDIT_ACTION_CREATE" -> "create" (unknown values as they came). */
export function enumLabel(value: string | undefined, prefix: string): string {
  if (value === undefined || value === "" || value === `${prefix}UNSPECIFIED`) return "-";
  return value.startsWith(prefix) ? value.slice(prefix.length).toLowerCase() : value;
}

/** A seq from the command line (--from, --to): a whole number, 1 or more. */
export function seqOf(input: string | undefined, option: string): number | undefined {
  if (input === undefined) return undefined;
  const text = input.trim();
  const seq = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(seq) || seq < 1) throw new CommandError(`${option}: "${input}" is not a seq (a whole number, 1 or more)`);
  return seq;
}

/** --from and --to as the range of a verification or an export; --from must not come after --to. */
export function seqRange(options: { from?: string; to?: string }): { fromSeq?: number; toSeq?: number } {
  const fromSeq = seqOf(options.from, "--from");
  const toSeq = seqOf(options.to, "--to");
  if (fromSeq !== undefined && toSeq !== undefined && fromSeq > toSeq)
    throw new CommandError(`--from ${fromSeq} comes after --to ${toSeq}`);
  return { ...(fromSeq === undefined ? {} : { fromSeq }), ...(toSeq === undefined ? {} : { toSeq }) };
}

/** A whole number of at least `min` from an option (--limit, --older-than-days, --timeout). */
export function wholeNumberOf(input: string | undefined, option: string, min: number, max: number, what: string): number | undefined {
  if (input === undefined) return undefined;
  const text = input.trim();
  const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new CommandError(`${option}: "${input}" is not ${what} (a whole number, ${min}-${max})`);
  return value;
}

/** A point in time from --since or --until, and whether it was a whole day. */
export interface TimeOption {
  /** Milliseconds since the epoch (midnight UTC for a date). */
  time: number;
  /** Given as a date (2026-12-01) rather than a date and time. */
  day: boolean;
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const timestampPattern = /^(\d{4}-\d{2}-\d{2})[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * A date (2026-12-01, midnight UTC) or an RFC 3339 date and time with its offset
 * (2026-12-01T09:30:00Z, 2026-12-01T10:30:00+01:00); anything else, an impossible day included,
 * is a CommandError naming the option.
 */
export function timeOptionOf(input: string, option: string): TimeOption {
  const text = input.trim();
  const bad = () => new CommandError(`${option}: "${input}" is not a date (such as 2026-12-01, or 2026-12-01T09:30:00Z with its offset)`);
  const day = datePattern.test(text);
  const datePart = day ? text : timestampPattern.exec(text)?.[1];
  if (!datePart) throw bad();
  const midnight = Date.parse(`${datePart}T00:00:00Z`);
  if (Number.isNaN(midnight) || new Date(midnight).toISOString().slice(0, 10) !== datePart) throw bad();
  const time = day ? midnight : Date.parse(text.replace(" ", "T").toUpperCase());
  if (Number.isNaN(time)) throw bad();
  return { time, day };
}

/** A time as the filter compares it: RFC 3339 in UTC, without milliseconds when there are none. */
export function filterTime(time: number): string {
  return new Date(time).toISOString().replace(/\.000Z$/, "Z");
}

/** The options of `msp audit events` that narrow the list. */
export interface AuditFilterOptions {
  resource?: string;
  type?: string;
  principal?: string;
  action?: string;
  outcome?: string;
  since?: string;
  until?: string;
  filter?: string;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The List filter of `msp audit events`: each option as a condition, --filter as given, joined
 * with AND. --since is inclusive; --until a date includes that whole day, a date and time is inclusive.
 */
export function auditFilter(options: AuditFilterOptions): string {
  const parts: string[] = [];
  const text = (option: string, field: string, value: string | undefined) => {
    if (value === undefined) return;
    if (value.trim() === "") throw new CommandError(`${option}: give a value`);
    parts.push(`${field} = ${quoteFilter(value.trim())}`);
  };
  text("--principal", "principal", options.principal);
  text("--type", "resource_type", options.type);
  text("--resource", "resource_id", options.resource);
  if (options.action !== undefined)
    parts.push(`action = ${quoteFilter(enumChoice(options.action, "--action", "AUDIT_ACTION_", auditActions, "an audit action"))}`);
  if (options.outcome !== undefined)
    parts.push(`outcome = ${quoteFilter(enumChoice(options.outcome, "--outcome", "AUDIT_OUTCOME_", auditOutcomes, "an outcome"))}`);
  const since = options.since === undefined ? undefined : timeOptionOf(options.since, "--since");
  const until = options.until === undefined ? undefined : timeOptionOf(options.until, "--until");
  if (since && until && (until.day ? since.time >= until.time + dayMs : since.time > until.time))
    throw new CommandError(`--since ${options.since} comes after --until ${options.until}`);
  if (since) parts.push(`occurred_at >= ${quoteFilter(filterTime(since.time))}`);
  // A day given to --until includes that day: before the next midnight.
  if (until)
    parts.push(
      until.day ? `occurred_at < ${quoteFilter(filterTime(until.time + dayMs))}` : `occurred_at <= ${quoteFilter(filterTime(until.time))}`,
    );
  if (options.filter !== undefined && options.filter.trim() !== "") parts.push(options.filter.trim());
  return parts.join(" AND ");
}

/** An int64 of the gateway's JSON (a decimal string, or a number) as a number; absent or unreadable: 0. */
export function int64(value: Int64 | undefined): number {
  if (value === undefined || value === "") return 0;
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : 0;
}

/** A timestamp for a table: second precision, UTC, as the gateway sent it. */
export function shortTime(value: string | undefined): string {
  if (!value) return "-";
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The table of `msp audit events`: seq, time, who, what, which record, how it ended, the RPC. */
export function auditEventTable(events: readonly AuditEvent[]): string[] {
  if (events.length === 0) return ["No audit events match."];
  return formatTable(
    ["SEQ", "TIME", "PRINCIPAL", "ACTION", "RESOURCE", "OUTCOME", "METHOD"],
    events.map((e) => [
      String(e.seq),
      shortTime(e.occurredAt),
      e.principal || "-",
      enumLabel(e.action, "AUDIT_ACTION_"),
      resourceLabel(e),
      enumLabel(e.outcome, "AUDIT_OUTCOME_"),
      e.method || "-",
    ]),
  );
}

function resourceLabel(e: AuditEvent): string {
  const type = e.resourceType || "";
  const id = e.resourceId || "";
  if (type && id) return `${type}/${id}`;
  return type || id || "-";
}

/** A verification's outcome, online (the gateway's answer) or offline (@msp/audit-chain's), with plain numbers. */
export interface ChainVerdict {
  ok: boolean;
  checkedEvents: number;
  checkedCheckpoints: number;
  firstSeq: number;
  lastSeq: number;
  lastCheckpointSeq: number;
  unanchoredEvents: number;
  failure: { seq: number; problem: string; detail: string } | null;
}

/** The gateway's VerifyAuditChainResponse as a ChainVerdict. */
export function verdictOf(answer: VerifyAuditChainResponse): ChainVerdict {
  const failure = answer.failure;
  return {
    ok: answer.ok === true && !failure,
    checkedEvents: int64(answer.checkedEvents),
    checkedCheckpoints: int64(answer.checkedCheckpoints),
    firstSeq: int64(answer.firstSeq),
    lastSeq: int64(answer.lastSeq),
    lastCheckpointSeq: int64(answer.lastCheckpointSeq),
    unanchoredEvents: int64(answer.unanchoredEvents),
    failure: failure ? { seq: int64(failure.seq), problem: failure.problem ?? "", detail: failure.detail ?? "" } : null,
  };
}

/** What each msp.audit.v1.VerifyProblem means, in words. */
const problemWords: Record<string, string> = {
  HASH_MISMATCH: "an event does not match its hash (it was edited, or the HMAC key is not the chain's)",
  BROKEN_LINK: "an event does not link to the hash of the event before it (one was removed or inserted)",
  SEQ_GAP: "seqs are missing (events were deleted)",
  REORDERED: "events are out of order (two were swapped)",
  BAD_SIGNATURE: "a checkpoint's signature does not verify with the public key (it was edited or forged)",
  CHECKPOINT_MISMATCH: "a signed checkpoint names a hash the event at its seq no longer has",
  MISSING_CHECKPOINT: "a checkpoint is missing",
  MISSING_EVENTS: "events a checkpoint covers are missing (the chain was cut short)",
};

/** A VerifyProblem in words: "VERIFY_PROBLEM_SEQ_GAP", "SEQ_GAP" and "seq_gap" all read the same. */
export function problemInWords(problem: string): string {
  const key = problem
    .trim()
    .toUpperCase()
    .replace(/[- ]/g, "_")
    .replace(/^VERIFY_PROBLEM_/, "");
  return problemWords[key] ?? (problem.trim() || "unknown problem");
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What `msp audit verify` prints: "chain intact: ..." or "chain BROKEN at seq N: ...". */
export function verdictLines(verdict: ChainVerdict): string[] {
  if (!verdict.ok) {
    const failure = verdict.failure ?? { seq: verdict.lastSeq, problem: "", detail: "" };
    const words = problemInWords(failure.problem || "the verification failed");
    return [`chain BROKEN at seq ${failure.seq}: ${words}${failure.detail ? `: ${failure.detail}` : ""}`];
  }
  const range = verdict.checkedEvents > 0 ? ` (seq ${verdict.firstSeq}-${verdict.lastSeq})` : "";
  const lines = [`chain intact: ${plural(verdict.checkedEvents, "event")}, ${plural(verdict.checkedCheckpoints, "checkpoint")}${range}`];
  if (verdict.unanchoredEvents > 0)
    lines.push(
      `${plural(verdict.unanchoredEvents, "event")} after ${
        verdict.lastCheckpointSeq > 0 ? `the last checkpoint (seq ${verdict.lastCheckpointSeq})` : "the start, before any checkpoint,"
      } ${verdict.unanchoredEvents === 1 ? "is" : "are"} protected by the HMAC chain only, until the next checkpoint signs ${verdict.unanchoredEvents === 1 ? "it" : "them"}`,
    );
  return lines;
}

/** The lines of `msp audit status`. */
export function auditStatusLines(status: AuditStatus): string[] {
  const head = int64(status.headSeq);
  const checkpoint = int64(status.lastCheckpointSeq);
  const rows: [string, string][] = [
    ["Head", head > 0 ? `seq ${head}${status.headHash ? ` (hash ${status.headHash})` : ""}` : "no events chained yet"],
    ["Outbox", `${plural(int64(status.outboxPending), "row")} waiting to be chained`],
    [
      "Checkpoint",
      checkpoint > 0
        ? `seq ${checkpoint}${status.lastCheckpointAt ? `, signed ${shortTime(status.lastCheckpointAt)}` : ""}${
            head > checkpoint ? ` (${plural(head - checkpoint, "event")} after it not signed yet)` : ""
          }`
        : "none signed yet",
    ],
    [
      "Drain",
      status.drainHolder
        ? `held by ${status.drainHolder}${status.drainLeaseUntil ? ` until ${shortTime(status.drainLeaseUntil)}` : ""}`
        : "no instance holds the lease",
    ],
  ];
  return rows.map(([label, value]) => `${label.padEnd(11)} ${value}`);
}

/** The lines `msp audit public-key` prints besides the PEM: the key ids and where the chain starts. */
export function auditKeyLines(keys: AuditKeys): string[] {
  const anchor = int64(keys.anchorSeq);
  return [
    `public key id  ${keys.publicKeyId || "-"}`,
    `hmac key id    ${keys.hmacKeyId || "-"}`,
    `anchor         ${anchor > 0 ? `seq ${anchor}${keys.anchorHash ? ` hash ${keys.anchorHash}` : ""}` : "none (nothing was pruned: the chain starts at seq 1)"}`,
  ];
}
