import type { Transaction } from "sequelize";
import { uuidv7, sqlPlaceholders } from "@msp/db";
import { jsonList } from "../json-list";
import { FailurePatternModel } from "../models";
import { failureScopeKey } from "../project-scope";
import { failureSignature, normalizeErrorText } from "./failure-signature";
import { guessPatternType } from "./pattern-type";
import type { Recommendation } from "./pattern-rules";
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
  /** The pattern's fix after this failure (its resolution may have set or replaced it). */
  recommendedSolution: string | null;
}

/**
 * Counts a failure towards the pattern of its signature in its client and asset: the pattern
 * is created on first sight, else its count, last sighting, commands and fix are brought up
 * to date. The count is taken by one atomic upsert, which also locks the row: failures of the
 * same pattern recorded at once queue on it instead of deadlocking (as "read, then insert or
 * lock" does on MariaDB, where both would first take shared locks on the same key).
 */
export async function learnFromFailure(failure: FailureObservation, transaction: Transaction): Promise<LearnedPattern> {
  const signature = failureSignature(failure.errorText, failure.command);
  const scopeKey = failureScopeKey(failure.clientId, failure.infrastructureId);
  const recommendation = nextRecommendation({ recommendedSolution: null, alternatives: [] }, failure.resolution);
  const id = uuidv7();
  const row: Record<string, unknown> = {
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
    triggering_commands: JSON.stringify(mergeTriggeringCommands([], failure.command)),
    description: failure.description,
    recommended_solution: recommendation.recommendedSolution,
    alternatives: JSON.stringify(recommendation.alternatives),
    occurrence_count: 1,
    first_seen_at: failure.at,
    last_seen_at: failure.at,
  };
  const sequelize = FailurePatternModel.sequelize!;
  const columns = Object.keys(row);
  const counted = "occurrence_count = occurrence_count + 1, revision = revision + 1, is_active = 1";
  const onClash =
    sequelize.getDialect() === "sqlite"
      ? `ON CONFLICT (scope_key, signature) DO UPDATE SET ${counted}`
      : `ON DUPLICATE KEY UPDATE ${counted}`;
  await sequelize.query(`INSERT INTO failure_patterns (${columns.join(", ")}) VALUES (${sqlPlaceholders(columns.length)}) ${onClash}`, {
    replacements: Object.values(row),
    transaction,
  });
  const pattern = await FailurePatternModel.findOne({
    where: { scope_key: scopeKey, signature },
    transaction,
    lock: transaction.LOCK.UPDATE,
  });
  if (!pattern) throw new Error(`failure pattern ${signature} vanished while it was counted`);
  if (pattern.id === id) {
    return { patternId: id, signature, occurrenceCount: 1, created: true, recommendedSolution: recommendation.recommendedSolution };
  }
  return countAgain(pattern, failure, signature, transaction);
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
  // The upsert already counted this failure and moved the revision on.
  const occurrenceCount = Number(pattern.occurrence_count);
  const lastSeen = new Date(pattern.last_seen_at);
  await FailurePatternModel.update(
    {
      occurrence_count: occurrenceCount,
      last_seen_at: failure.at > lastSeen ? failure.at : lastSeen,
      triggering_commands: mergeTriggeringCommands(jsonList(pattern.triggering_commands), failure.command),
      recommended_solution: recommendation.recommendedSolution,
      alternatives: recommendation.alternatives,
      updated_at: new Date(),
    },
    { where: { id: pattern.id }, transaction },
  );
  return { patternId: pattern.id, signature, occurrenceCount, created: false, recommendedSolution: recommendation.recommendedSolution };
}

/**
 * Applies a fix found later (an operation failure updated with its resolution) to the pattern
 * the failure counted towards. Returns the pattern's new recommendation, or null when nothing changed.
 */
export async function learnFix(patternId: string, resolution: string, transaction: Transaction): Promise<Recommendation | null> {
  const pattern = await FailurePatternModel.findOne({ where: { id: patternId }, transaction, lock: transaction.LOCK.UPDATE });
  if (!pattern) return null;
  const next = nextRecommendation(
    { recommendedSolution: pattern.recommended_solution, alternatives: jsonList(pattern.alternatives) },
    resolution,
  );
  if (next.recommendedSolution === pattern.recommended_solution && next.alternatives.length === jsonList(pattern.alternatives).length)
    return null;
  await FailurePatternModel.update(
    {
      recommended_solution: next.recommendedSolution,
      alternatives: next.alternatives,
      revision: Number(pattern.revision) + 1,
      updated_at: new Date(),
    },
    { where: { id: pattern.id }, transaction },
  );
  return next;
}
