import type { Transaction } from "sequelize";
import { UniqueConstraintError } from "sequelize";
import { uuidv7 } from "@msp/db";
import { jsonList } from "../json-list";
import { FailurePatternModel } from "../models";
import { failureScopeKey } from "../project-scope";
import { failureSignature, normalizeErrorText } from "./failure-signature";
import { guessPatternType } from "./pattern-type";
import { mergeTriggeringCommands, nextRecommendation } from "./pattern-rules";

/** One failed operation as the learning sees it (texts already redacted). */
export interface FailureObservation {
  clientId: string | null;
  infrastructureId: string | null;
  /** The system the operation ran against, such as a host name. */
  host: string | null;
  errorText: string;
  command: string | null;
  failureCategory: string | null;
  resolution: string | null;
  description: string | null;
  at: Date;
}

/** What a failure counted towards. */
export interface LearnedPattern {
  patternId: string;
  signature: string;
  occurrenceCount: number;
  created: boolean;
}

/**
 * Counts a failure towards the pattern of its signature in its client and asset: the pattern
 * is created on first sight, else its count, last sighting, commands and fix are brought up
 * to date. Two first sightings at once: the loser of the insert updates the winner's row.
 */
export async function learnFromFailure(failure: FailureObservation, transaction: Transaction): Promise<LearnedPattern> {
  const signature = failureSignature(failure.errorText, failure.command);
  const scopeKey = failureScopeKey(failure.clientId, failure.infrastructureId);
  const existing = await findPattern(scopeKey, signature, transaction);
  if (existing) return countAgain(existing, failure, signature, transaction);
  const recommendation = nextRecommendation({ recommendedSolution: null, alternatives: [] }, failure.resolution);
  const id = uuidv7();
  try {
    await FailurePatternModel.create(
      {
        id,
        revision: 1,
        created_at: failure.at,
        updated_at: failure.at,
        client_id: failure.clientId,
        infrastructure_id: failure.infrastructureId,
        host: failure.host?.toLowerCase() ?? null,
        scope_key: scopeKey,
        pattern_type: guessPatternType(failure.failureCategory, failure.errorText),
        signature,
        error_pattern: normalizeErrorText(failure.errorText),
        triggering_commands: mergeTriggeringCommands([], failure.command),
        description: failure.description,
        recommended_solution: recommendation.recommendedSolution,
        alternatives: recommendation.alternatives,
        occurrence_count: 1,
        first_seen_at: failure.at,
        last_seen_at: failure.at,
      },
      { transaction },
    );
    return { patternId: id, signature, occurrenceCount: 1, created: true };
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    const winner = await findPattern(scopeKey, signature, transaction);
    if (!winner) throw error;
    return countAgain(winner, failure, signature, transaction);
  }
}

async function findPattern(scopeKey: string, signature: string, transaction: Transaction): Promise<FailurePatternModel | null> {
  return FailurePatternModel.findOne({ where: { scope_key: scopeKey, signature }, transaction, lock: transaction.LOCK.UPDATE });
}

async function countAgain(
  pattern: FailurePatternModel,
  failure: FailureObservation,
  signature: string,
  transaction: Transaction,
): Promise<LearnedPattern> {
  const recommendation = nextRecommendation(
    { recommendedSolution: pattern.recommended_solution, alternatives: jsonList(pattern.alternatives) },
    failure.resolution,
  );
  const occurrenceCount = Number(pattern.occurrence_count) + 1;
  const lastSeen = new Date(pattern.last_seen_at);
  await FailurePatternModel.update(
    {
      occurrence_count: occurrenceCount,
      last_seen_at: failure.at > lastSeen ? failure.at : lastSeen,
      triggering_commands: mergeTriggeringCommands(jsonList(pattern.triggering_commands), failure.command),
      recommended_solution: recommendation.recommendedSolution,
      alternatives: recommendation.alternatives,
      // A pattern met again is live again.
      is_active: true,
      revision: Number(pattern.revision) + 1,
      updated_at: new Date(),
    },
    { where: { id: pattern.id }, transaction },
  );
  return { patternId: pattern.id, signature, occurrenceCount, created: false };
}

/**
 * Applies a fix found later (an operation failure updated with its resolution) to the pattern
 * the failure counted towards.
 */
export async function learnFix(patternId: string, resolution: string, transaction: Transaction): Promise<void> {
  const pattern = await FailurePatternModel.findOne({ where: { id: patternId }, transaction, lock: transaction.LOCK.UPDATE });
  if (!pattern) return;
  const next = nextRecommendation(
    { recommendedSolution: pattern.recommended_solution, alternatives: jsonList(pattern.alternatives) },
    resolution,
  );
  if (next.recommendedSolution === pattern.recommended_solution && next.alternatives.length === jsonList(pattern.alternatives).length)
    return;
  await FailurePatternModel.update(
    {
      recommended_solution: next.recommendedSolution,
      alternatives: next.alternatives,
      revision: Number(pattern.revision) + 1,
      updated_at: new Date(),
    },
    { where: { id: pattern.id }, transaction },
  );
}
