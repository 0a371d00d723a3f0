import type { Candidate, RecallScope } from "./candidate";
import { memoizedPerCandidate } from "./memo";
import { termsOf } from "./terms";

/** How much each signal weighs before decay; they sum to 1 so a perfect fresh item scores 1. */
export interface ScoreWeights {
  text: number;
  tags: number;
  scope: number;
  importance: number;
}

export const defaultWeights: Readonly<ScoreWeights> = { text: 0.45, tags: 0.15, scope: 0.25, importance: 0.15 };

/** Default half-life of a memory's weight: a month-old item counts half as much as a fresh one. */
export const defaultHalfLifeDays = 30;
/** Each time an item was marked useful adds this much, up to the cap. */
const usefulnessStep = 0.05;
export const usefulnessCap = 0.25;

/** Scope match values: the same project is worth most, then the same client, then pinned global items. */
export const scopeMatchValues = { project: 1, client: 0.6, global: 0.3, none: 0 } as const;

/** The parts of a score, as explain mode returns them. */
export interface ScoreParts {
  textRelevance: number;
  tagOverlap: number;
  scopeMatch: number;
  /** 0..1 (importance / 10). */
  importance: number;
  decay: number;
  usefulness: number;
  pinned: boolean;
}

export interface ScoredCandidate {
  candidate: Candidate;
  score: number;
  parts: ScoreParts;
}

/** Everything scoring needs besides the candidate: the request, the clock and the settings. */
export interface ScoringContext {
  scope: RecallScope;
  /** The words the caller cares about: query terms plus the scope's host and repository. */
  terms: ReadonlySet<string>;
  /** The query's own terms: with any, a recall is targeted and keeps only items matching them. */
  queryTerms: ReadonlySet<string>;
  now: Date;
  halfLifeDays: number;
  weights: ScoreWeights;
}

/** Builds the scoring context of one request. */
export function scoringContext(
  scope: RecallScope,
  query: string,
  now: Date,
  options: { halfLifeDays?: number; weights?: ScoreWeights } = {},
): ScoringContext {
  const queryTerms = new Set(termsOf(query));
  const terms = new Set(queryTerms);
  if (scope.host) for (const term of termsOf(scope.host)) terms.add(term);
  if (scope.host) terms.add(scope.host.trim().toLowerCase());
  const repositoryName = scope.repository?.split("/").pop();
  if (repositoryName) for (const term of termsOf(repositoryName)) terms.add(term);
  return {
    scope,
    terms,
    queryTerms,
    now,
    halfLifeDays: options.halfLifeDays ?? defaultHalfLifeDays,
    weights: options.weights ?? defaultWeights,
  };
}

/**
 * Same project (or the same repository, which stands in for it) > same client > pinned global
 * item; anything else is out of scope.
 */
export function scopeMatchOf(candidate: Pick<Candidate, "projectId" | "clientId" | "pinned" | "repository">, scope: RecallScope): number {
  if (scope.projectId && candidate.projectId === scope.projectId) return scopeMatchValues.project;
  if (scope.repository && candidate.repository === scope.repository) return scopeMatchValues.project;
  if (scope.clientId && candidate.clientId === scope.clientId) return scopeMatchValues.client;
  if (candidate.pinned && !candidate.projectId && !candidate.clientId && !candidate.repository) return scopeMatchValues.global;
  return scopeMatchValues.none;
}

/**
 * The share of the candidate's tags the caller's terms name (a tag of several words matches
 * when each of its words is a term), over the smaller of the two sets: 0..1.
 */
export function tagOverlapOf(tags: readonly string[], terms: ReadonlySet<string>): number {
  return overlapOfTagWords(tagWords(tags), terms);
}

/** tagOverlapOf of a candidate's tags, their words remembered on the candidate. */
export function candidateTagOverlap(candidate: Candidate, terms: ReadonlySet<string>): number {
  return overlapOfTagWords(tagWordsOf(candidate), terms);
}

interface TagWords {
  tag: string;
  words: string[];
}

function overlapOfTagWords(normalized: readonly TagWords[], terms: ReadonlySet<string>): number {
  if (normalized.length === 0 || terms.size === 0) return 0;
  const matches = normalized.filter(
    ({ tag, words }) => terms.has(tag) || (words.length > 0 && words.every((word) => terms.has(word))),
  ).length;
  return Math.min(1, matches / Math.min(normalized.length, terms.size));
}

/** Distinct tags, trimmed and lower-cased, each with its words. */
function tagWords(tags: readonly string[]): TagWords[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag.length > 0))].map((tag) => ({
    tag,
    words: termsOf(tag),
  }));
}

const tagWordsOf = memoizedPerCandidate((candidate: Candidate) => tagWords(candidate.tags));

/** `0.5 ^ (age / half-life)`; pinned items and items from the future do not decay. */
export function decayOf(time: Date, now: Date, halfLifeDays: number, pinned: boolean): number {
  if (pinned) return 1;
  const ageDays = Math.max(0, (now.getTime() - time.getTime()) / 86_400_000);
  return Math.pow(0.5, ageDays / halfLifeDays);
}

/** The small, capped boost of an item that was marked useful before. */
export function usefulnessOf(usefulCount: number): number {
  return Math.min(usefulnessCap, Math.max(0, usefulCount) * usefulnessStep);
}

const clamp01 = (value: number) => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);

/**
 * score = (text * w1 + tags * w2 + scope * w3 + importance * w4) * decay * (1 + usefulness).
 */
export function scoreCandidate(candidate: Candidate, context: ScoringContext): ScoredCandidate {
  const parts: ScoreParts = {
    textRelevance: clamp01(candidate.textRelevance),
    tagOverlap: candidateTagOverlap(candidate, context.terms),
    scopeMatch: scopeMatchOf(candidate, context.scope),
    importance: clamp01(candidate.importance / 10),
    decay: decayOf(candidate.time, context.now, context.halfLifeDays, candidate.pinned),
    usefulness: usefulnessOf(candidate.usefulCount),
    pinned: candidate.pinned,
  };
  const w = context.weights;
  const base = parts.textRelevance * w.text + parts.tagOverlap * w.tags + parts.scopeMatch * w.scope + parts.importance * w.importance;
  return { candidate, parts, score: base * parts.decay * (1 + parts.usefulness) };
}

/** Highest score first; ties go to pinned items, then to the newer one, then by id for stability. */
export function byScore(a: ScoredCandidate, b: ScoredCandidate): number {
  return (
    b.score - a.score ||
    Number(b.candidate.pinned) - Number(a.candidate.pinned) ||
    b.candidate.time.getTime() - a.candidate.time.getTime() ||
    (a.candidate.id < b.candidate.id ? -1 : a.candidate.id > b.candidate.id ? 1 : 0)
  );
}
