// A session's digest: the lines of its dense summary shown under the session's item, so that the
// newest session of the folder's project reaches Claude whole (goals, state, findings, problems,
// decisions, files), not as one cut line. With a query, only the lines that answer it.
import type { Candidate, RecallScope } from "./candidate";
import type { ScoredCandidate } from "./score";
import type { SummaryLine } from "./answer-lines";
import { answerLines } from "./answer-lines";

/** Contexts shown with their digest: the newest of the scope at session start; the best two matches of a query. */
export const digestsAtStart = 1;
export const digestsForQuery = 2;
/** Longest digest line; a longer one is cut (its full text stays one `msp recall --id` away). */
export const maxDigestLineChars = 320;

/**
 * The contexts that get a digest: without a query the newest one (the work the next session
 * continues from); with one, the best-scored contexts the query matched; in a project's folder
 * (a project or repository in the scope) only that project's.
 */
export function digestContexts(ranked: readonly ScoredCandidate[], hasQuery: boolean, scope: RecallScope = {}): Candidate[] {
  // In a project's folder, only that project's sessions: another project of the client is not what it continues from.
  const inProject = (candidate: Candidate) =>
    (!scope.projectId && !scope.repository) ||
    (!!scope.projectId && candidate.projectId === scope.projectId) ||
    (!!scope.repository && candidate.repository === scope.repository);
  const contexts = ranked.map((item) => item.candidate).filter((candidate) => candidate.kind === "context" && inProject(candidate));
  if (hasQuery) return contexts.filter((candidate) => candidate.textRelevance > 0).slice(0, digestsForQuery);
  return [...contexts].sort((a, b) => b.time.getTime() - a.time.getTime()).slice(0, digestsAtStart);
}

/**
 * The digest of a dense summary: its lines without the title (the item's own line says it), a
 * section heading as a short label; with query terms, only the lines that answer the question,
 * best first, their headings dropped (see answer-lines.ts).
 */
export function digestLines(denseSummary: string, queryTerms: ReadonlySet<string>, question = ""): string[] {
  const lines: SummaryLine[] = [];
  for (const raw of denseSummary.split("\n")) {
    const line = raw.trim();
    if (line === "" || /^# /.test(line)) continue;
    const heading = /^#{2,}\s*(.+?)\s*$/.exec(line);
    lines.push(heading ? { text: `${heading[1]}:`, heading: true } : { text: line.replace(/^- /, "· "), heading: false });
  }
  if (queryTerms.size === 0) {
    // A heading with no line under it says nothing.
    return lines.filter((line, index) => !line.heading || lines[index + 1]?.heading === false).map((line) => line.text);
  }
  return answerLines(lines, [...queryTerms], question);
}

/** Text folded for "is this already shown" checks: lower case, words only. */
export function foldForCoverage(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** The first words of an item's text are enough to tell it is a line the digest already shows. */
const coverageProbeChars = 80;

/** A one-word label before what an item says, perhaps naming its file: "Fix: ", "Fix in src/app.py: ", "failed: ". */
const LEAD_IN = /^\p{L}\p{Ll}+(?: in \S+)?:\s+(?=\S)/u;

/** Whether the digest text (folded) already shows this item's text, with or without its lead-in. */
export function coveredByDigest(itemText: string, foldedDigest: string): boolean {
  if (foldedDigest === "") return false;
  const text = oneLineText(itemText);
  const withoutLeadIn = text.replace(LEAD_IN, "");
  return probeCovered(text, foldedDigest) || (withoutLeadIn !== text && probeCovered(withoutLeadIn, foldedDigest));
}

function oneLineText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function probeCovered(text: string, foldedDigest: string): boolean {
  // "user: we will use ...": a directive is shown in the user's words, without its marker.
  const probe = foldForCoverage(text)
    .replace(/^user /, "")
    .slice(0, coverageProbeChars)
    .replace(/\s\S*$/, "");
  return probe.length >= 24 && foldedDigest.includes(probe);
}

/** A title this long (folded) names one thing: a command, an error, not a common word. */
const minTitleProbeChars = 16;

/**
 * Whether the text shown so far (folded) already has both the item's title and its body, apart:
 * a command's snippet ("git push origin main: ok after 2 failed runs") beside the digest's line
 * for it ("`git push origin main` x3 ok (ok after 2 failed runs)").
 */
export function partsCovered(title: string, body: string, foldedShown: string): boolean {
  const foldedTitle = foldForCoverage(title);
  if (foldedTitle.length < minTitleProbeChars || !foldedShown.includes(foldedTitle)) return false;
  const probe = foldForCoverage(body)
    .slice(0, coverageProbeChars)
    .replace(/\s\S*$/, "");
  return probe === "" || foldedShown.includes(probe);
}
