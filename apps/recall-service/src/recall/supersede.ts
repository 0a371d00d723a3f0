import type { Candidate } from "./candidate";
import { memoizedPerCandidate } from "./memo";
import { normalizeSubject } from "./terms";

/** A failure pattern becomes a "known issue -> fix" once seen this often with a fix that worked. */
export const knownIssueMinOccurrences = 3;

/** Whether a failure pattern is established enough to be recalled as a known issue with its fix. */
export function isKnownIssue(candidate: Candidate): boolean {
  return (
    candidate.kind === "failure_pattern" &&
    (candidate.occurrenceCount ?? 0) >= knownIssueMinOccurrences &&
    (candidate.recommendedSolution ?? "").trim().length > 0
  );
}

/**
 * Removes what must not be recalled: items marked superseded, older decisions of a project on a
 * subject a newer decision covers, problems whose fix was found wrong (never recalled as a fix),
 * and failure patterns that are not yet known issues. Order is kept.
 */
export function supersede(candidates: readonly Candidate[]): Candidate[] {
  const newestBySubject = new Map<string, Candidate>();
  const keys = new Map(candidates.map((candidate) => [candidate, subjectKey(candidate)]));
  for (const candidate of candidates) {
    const key = keys.get(candidate) ?? null;
    if (key === null || candidate.supersededById) continue;
    const current = newestBySubject.get(key);
    if (!current || isNewer(candidate, current)) newestBySubject.set(key, candidate);
  }
  return candidates.filter((candidate) => {
    if (candidate.supersededById) return false;
    if (candidate.fixKnownWrong) return false;
    if (candidate.kind === "failure_pattern" && !isKnownIssue(candidate)) return false;
    const key = keys.get(candidate) ?? null;
    return key === null || newestBySubject.get(key) === candidate;
  });
}

/** Decisions with a subject compete within their project (decisions without one never do). */
const subjectKey = memoizedPerCandidate((candidate: Candidate): string | null => {
  if (candidate.kind !== "decision" || !candidate.subject) return null;
  const subject = normalizeSubject(candidate.subject);
  return subject ? `${candidate.projectId ?? ""}\u0000${subject}` : null;
});

/** The later decision wins; at the same instant, the larger (time-ordered UUIDv7) id. */
function isNewer(a: Candidate, b: Candidate): boolean {
  const dt = a.time.getTime() - b.time.getTime();
  return dt !== 0 ? dt > 0 : a.id > b.id;
}
