import { sqlPlaceholders } from "@msp/db";
import { DomainError } from "@msp/errors";
import type { Logger } from "@msp/logging";
import type { CallerContext } from "@msp/service-client";
import type { Candidate, RecallScope, WorkRecordKind } from "./candidate";
import type { ReadRows } from "./read-rows";
import { termsOf } from "./terms";
import { workCandidateOf } from "./work-candidates";
import type { FoundWork, WorkRecord, WorkRecords } from "./work-records";

/** Records of each kind a recall asks for, per part (the project's, the client's other work, the query's). */
export const workRecordLimit = 15;
/** How long a recall waits for the work service by default (RecallDeps.workBudgetMs). */
export const defaultWorkBudgetMs = 250;
/** The query's words sent to the work service at most: the longest, which say the most. */
export const maxWorkTerms = 12;
/** After the work service was away (down, not deployed), recalls use what they had this long before asking again. */
export const workBackoffMs = 10_000;
/** A scope's last answer stands in for one that does not come in time, up to this age. */
export const staleWorkMs = 10 * 60_000;
/** A failure that is not the work service being away is logged as a warning at most this often. */
const warnEveryMs = 60_000;
/** Scopes whose last answer is kept (a bound on memory; the oldest go first). */
const maxKeptScopes = 2_000;

/** What a recall tells the work source. */
export interface WorkRecallRequest {
  scope: RecallScope;
  query: string;
}

/** Work recorded in the work service, as recall candidates. */
export interface WorkRecall {
  /**
   * The candidates of the scope's recent work records and, with a query, of those naming its words.
   * Never throws: without a caller, a project or client, or an answer in time (and none kept), none.
   */
  candidates(caller: CallerContext | undefined, request: WorkRecallRequest): Promise<Candidate[]>;
  /** One record as a candidate (GetMemoryItem); undefined when the work service does not have it. Throws when it cannot say. */
  item(caller: CallerContext, kind: WorkRecordKind, id: string): Promise<Candidate | undefined>;
}

export interface WorkRecallDeps {
  work: WorkRecords;
  read: ReadRows;
  logger: Logger;
  /** How long a recall waits for the work service (default 250 ms). */
  budgetMs?: number | undefined;
  now?: () => number;
}

/**
 * Work items and problem solutions of the scope's project and client, asked of the work service
 * on each recall within a short budget (its read is on indexes, a few milliseconds), so a record
 * written a moment ago shows in the next SessionStart. An answer that comes late is kept for the
 * next recall of the scope; a recall whose answer does not come in time uses the scope's last one.
 * A slow work service costs a recall at most the budget, spent while the recall's own reads run;
 * after it was away, recalls use what they have for a while without asking.
 *
 * Records of a session whose transcript the recall service ingested are left out: the CLI wrote
 * them from that same transcript, whose context and problem snippets say it already (and carry
 * the transcript's own dates and machine). What remains is work recorded through the API.
 */
export function createWorkRecall(deps: WorkRecallDeps): WorkRecall {
  const budgetMs = deps.budgetMs ?? defaultWorkBudgetMs;
  const now = deps.now ?? Date.now;
  const kept = new Map<string, { found: FoundWork; at: number }>();
  const asking = new Map<string, Promise<FoundWork | undefined>>();
  let quietUntil = 0;
  let warnedAt = -Infinity;

  const failed = (caller: CallerContext, error: unknown) => {
    if (isAway(error)) {
      quietUntil = now() + workBackoffMs;
      deps.logger.debug(
        { err: errorSummary(error), requestId: caller.requestId },
        "recall: no fresh work records, the work service is away",
      );
    } else if (now() - warnedAt >= warnEveryMs) {
      warnedAt = now();
      deps.logger.warn({ err: errorSummary(error), requestId: caller.requestId }, "recall: no fresh work records, FindRecentWork failed");
    } else {
      deps.logger.debug({ err: errorSummary(error), requestId: caller.requestId }, "recall: no fresh work records, FindRecentWork failed");
    }
  };

  /**
   * The work service's answer for `key`, one call at a time per key. A scope's answer (no words)
   * is kept when it comes, however late: it stands in for answers that do not come in time.
   */
  const ask = (caller: CallerContext, key: string, scope: RecallScope, terms: string[]): Promise<FoundWork | undefined> => {
    let pending = asking.get(key);
    if (!pending) {
      pending = deps.work.findRecent(caller, { projectId: scope.projectId, clientId: scope.clientId, terms, limit: workRecordLimit }).then(
        (found) => {
          if (terms.length > 0) return found;
          if (kept.size >= maxKeptScopes) kept.delete(kept.keys().next().value!);
          kept.delete(key);
          kept.set(key, { found, at: now() });
          return found;
        },
        (error: unknown) => {
          failed(caller, error);
          return undefined;
        },
      );
      asking.set(key, pending);
      void pending.finally(() => asking.delete(key));
    }
    return pending;
  };

  const keptFor = (key: string): FoundWork | undefined => {
    const hit = kept.get(key);
    return hit && now() - hit.at <= staleWorkMs ? hit.found : undefined;
  };

  return {
    async candidates(caller, request) {
      const { scope } = request;
      if (caller?.auth === undefined || (!scope.projectId && !scope.clientId)) return [];
      // Kept answers are the user's: the work service answers each user as it may.
      const scopeKey = `${caller.auth.userId || caller.auth.subject}|${scope.projectId ?? ""}|${scope.clientId ?? ""}`;
      const terms = workTerms(request.query);
      const key = terms.length === 0 ? scopeKey : `${scopeKey}|${terms.join(" ")}`;
      let found: FoundWork | undefined;
      if (now() >= quietUntil) {
        const answer = await withinBudget(ask(caller, key, scope, terms), budgetMs);
        if (answer === late)
          deps.logger.debug({ requestId: caller.requestId, budgetMs }, "recall: the work service did not answer in time");
        else found = answer;
      }
      // Not in time: the scope's last answer (a question's words then match among its records).
      found ??= keptFor(scopeKey);
      if (!found || found.records.length === 0) return [];
      let ingested: ReadonlySet<string>;
      try {
        ingested = await ingestedSessions(deps.read, found.records);
      } catch (error) {
        deps.logger.warn(
          { err: errorSummary(error), requestId: caller.requestId },
          "recall: no work records, the ingested sessions could not be read",
        );
        return [];
      }
      return candidatesOf(found, ingested);
    },
    async item(caller, kind, id) {
      let found: FoundWork;
      try {
        found = await deps.work.findById(caller, kind, id);
      } catch (error) {
        if (error instanceof DomainError && error.code === "not_found") return undefined;
        throw error;
      }
      return candidatesOf(found, new Set())[0];
    },
  };
}

/** The records as candidates, each with its session, those of ingested sessions left out. */
function candidatesOf(found: FoundWork, ingested: ReadonlySet<string>): Candidate[] {
  const sessions = new Map(found.sessions.map((session) => [session.id, session]));
  return found.records
    .filter((record) => !ingested.has(record.sessionId))
    .map((record) => workCandidateOf(record, sessions.get(record.sessionId)));
}

/** The sessions among the records' whose transcript recall ingested: those a conversation context names. */
async function ingestedSessions(read: ReadRows, records: readonly WorkRecord[]): Promise<ReadonlySet<string>> {
  const ids = [...new Set(records.map((record) => record.sessionId).filter((id) => id !== ""))];
  if (ids.length === 0) return new Set();
  const rows = await read<{ session_id: string }>(
    `SELECT DISTINCT session_id FROM conversation_contexts WHERE session_id IN (${sqlPlaceholders(ids.length)})`,
    ids,
  );
  return new Set(rows.map((row) => String(row.session_id).toLowerCase()));
}

/**
 * The query's words the work service looks for: at least 3 characters (shorter ones match almost
 * everything), the longest first, at most maxWorkTerms.
 */
export function workTerms(query: string): string[] {
  const words = termsOf(query).filter((word) => word.length >= 3 && word.length <= 100);
  return words
    .map((word, i) => ({ word, i }))
    .sort((a, b) => b.word.length - a.word.length || a.i - b.i)
    .slice(0, maxWorkTerms)
    .map(({ word }) => word);
}

/** What withinBudget gives when the answer did not come in time. */
const late = Symbol("late");

/** The answer, or `late` once `budgetMs` has passed (the call runs on, and its answer is kept). */
function withinBudget<T>(promise: Promise<T>, budgetMs: number): Promise<T | typeof late> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof late>((done) => {
    timer = setTimeout(() => done(late), budgetMs);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Not there, not in time, or not deployed: worth a pause before asking again, not a warning. */
function isAway(error: unknown): boolean {
  return error instanceof DomainError && ["unavailable", "deadline_exceeded", "unimplemented", "cancelled"].includes(error.code);
}

/** The error's kind and message only: a peer's error carries its call's metadata (a bearer token) in its cause. */
function errorSummary(error: unknown): { type: string; code?: string; message: string } {
  if (error instanceof DomainError) return { type: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { type: error.name, message: error.message };
  return { type: typeof error, message: String(error) };
}
