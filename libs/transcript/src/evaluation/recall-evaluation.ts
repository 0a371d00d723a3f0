// The evaluation harness behind tools/recall-eval and eval.spec.ts: ingest a transcript as the
// recall service would (parse, compress with the redactor, count tokens), time it, and check the
// summary against a fact list a reviewer wrote from reading the transcript.
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { compressTranscript } from "../compress-transcript";
import { moreHeadingPrefix } from "../compress/dense-summary";
import { TranscriptParser } from "../parse-transcript";

/** Transcripts with at least this many source tokens are held to the reduction target. */
export const MIN_EVAL_SOURCE_TOKENS = 20_000;
/** The summary must be at most 10% of the source tokens. */
export const TARGET_REDUCTION = 0.9;
/** At least 90% of the facts must be kept, per file and overall. */
export const TARGET_FACTS_KEPT = 0.9;
/** Ingesting the largest fixture (2.8 MB) must take less than this. */
export const MAX_INGEST_MS = 2_000;

/** One fact: every `match` entry must occur in the summary (case-insensitive); "/.../" entries are regexes. */
export interface Fact {
  fact: string;
  match: string[];
}

export interface FactList {
  /** path of the transcript relative to the fixtures folder */
  transcript: string;
  about?: string;
  facts: Fact[];
}

export interface TranscriptEvaluation {
  file: string;
  bytes: number;
  lines: number;
  malformed: number;
  sourceTokens: number;
  summaryTokens: number;
  summaryChars: number;
  /** characters of the summary proper, before its "More:" appendix (what session start shows first) */
  coreChars: number;
  /** 1 - summaryTokens / sourceTokens */
  reduction: number;
  factsKept?: number;
  factsTotal?: number;
  missedFacts: string[];
  /** parse + compress + both token counts, in milliseconds */
  ms: number;
  summary: string;
}

/** Validates a parsed fact list file; `source` names it in error messages. */
export function parseFactList(value: unknown, source: string): FactList {
  const fail = (why: string): never => {
    throw new Error(`fact list ${source}: ${why}`);
  };
  if (typeof value !== "object" || value === null) return fail("must be a JSON object");
  const record = value as Record<string, unknown>;
  if (typeof record["transcript"] !== "string" || record["transcript"] === "") fail('"transcript" must be a non-empty path');
  if (!Array.isArray(record["facts"]) || record["facts"].length === 0) fail('"facts" must be a non-empty array');
  const facts = (record["facts"] as unknown[]).map((fact, index): Fact => {
    const item = fact as Record<string, unknown> | null;
    if (typeof item?.["fact"] !== "string") return fail(`facts[${index}].fact must be a string`);
    const match = item["match"];
    if (!Array.isArray(match) || match.length === 0 || !match.every((entry) => typeof entry === "string" && entry !== "")) {
      return fail(`facts[${index}].match must be a non-empty array of strings`);
    }
    for (const entry of match as string[]) if (entry.length > 2 && entry.startsWith("/") && entry.endsWith("/")) toRegExp(entry, source);
    return { fact: item["fact"], match: match as string[] };
  });
  const list: FactList = { transcript: record["transcript"] as string, facts };
  if (typeof record["about"] === "string") list.about = record["about"];
  return list;
}

function toRegExp(entry: string, source: string): RegExp {
  try {
    return new RegExp(entry.slice(1, -1), "i");
  } catch (error) {
    throw new Error(`fact list ${source}: invalid regex ${entry}: ${(error as Error).message}`);
  }
}

/** Whether the summary keeps the fact: every match entry is found. */
export function factKept(fact: Fact, summary: string): boolean {
  const lower = summary.toLowerCase();
  return fact.match.every((entry) =>
    entry.length > 2 && entry.startsWith("/") && entry.endsWith("/")
      ? toRegExp(entry, fact.fact).test(summary)
      : lower.includes(entry.toLowerCase()),
  );
}

/** Every .jsonl file under `dir`, as paths relative to it with forward slashes, sorted. */
export function listTranscripts(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".jsonl")) found.push(relative(dir, path).split(sep).join("/"));
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * Ingests one transcript: parsed in 512 KiB chunks (as uploads arrive), compressed with the
 * redactor, timed, and checked against its fact list when one is given.
 */
export function evaluateTranscript(file: string, jsonl: string, redact: (text: string) => string, facts?: FactList): TranscriptEvaluation {
  const started = performance.now();
  const parser = new TranscriptParser();
  for (let offset = 0; offset < jsonl.length; offset += 512 * 1024) parser.push(jsonl.slice(offset, offset + 512 * 1024));
  const { events, stats } = parser.end();
  const session = compressTranscript(events, { redact });
  const ms = performance.now() - started;
  const evaluation: TranscriptEvaluation = {
    file,
    bytes: Buffer.byteLength(jsonl),
    lines: stats.lines,
    malformed: stats.malformed,
    sourceTokens: session.sourceTokens,
    summaryTokens: session.summaryTokens,
    summaryChars: session.denseSummary.length,
    coreChars: coreOf(session.denseSummary).length,
    reduction: session.sourceTokens === 0 ? 0 : 1 - session.summaryTokens / session.sourceTokens,
    missedFacts: [],
    ms,
    summary: session.denseSummary,
  };
  if (facts) {
    const kept = facts.facts.filter((fact) => factKept(fact, session.denseSummary));
    evaluation.factsKept = kept.length;
    evaluation.factsTotal = facts.facts.length;
    evaluation.missedFacts = facts.facts.filter((fact) => !kept.includes(fact)).map((fact) => fact.fact);
  }
  return evaluation;
}

/** The targets an evaluation run missed, as readable sentences (empty when all are met). */
export function missedTargets(results: readonly TranscriptEvaluation[]): string[] {
  const missed: string[] = [];
  let kept = 0;
  let total = 0;
  for (const result of results) {
    if (result.sourceTokens >= MIN_EVAL_SOURCE_TOKENS && result.reduction < TARGET_REDUCTION) {
      missed.push(`${result.file}: reduction ${(result.reduction * 100).toFixed(1)}% < ${TARGET_REDUCTION * 100}%`);
    }
    if (result.factsTotal !== undefined && result.factsKept !== undefined) {
      kept += result.factsKept;
      total += result.factsTotal;
      if (result.factsKept / result.factsTotal < TARGET_FACTS_KEPT) {
        missed.push(`${result.file}: facts kept ${result.factsKept}/${result.factsTotal} (missed: ${result.missedFacts.join("; ")})`);
      }
    }
    if (result.bytes >= 2_000_000 && result.ms >= MAX_INGEST_MS)
      missed.push(`${result.file}: ingest took ${result.ms.toFixed(0)} ms >= ${MAX_INGEST_MS} ms`);
  }
  if (total > 0 && kept / total < TARGET_FACTS_KEPT) missed.push(`facts kept overall ${kept}/${total} < ${TARGET_FACTS_KEPT * 100}%`);
  return missed;
}

/** The summary without its "More:" appendix. */
export function coreOf(denseSummary: string): string {
  const at = denseSummary.indexOf(`\n${moreHeadingPrefix}`);
  return at === -1 ? denseSummary : denseSummary.slice(0, at);
}
