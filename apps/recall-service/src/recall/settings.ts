import { loadConfig, z } from "@msp/config";
import type { ContextSummaryChoice } from "./context-summary";
import { contextSummaryChoices } from "./context-summary";
import { defaultHalfLifeDays } from "./score";

/** The recall engine's settings, read once at start-up. */
export interface RecallSettings {
  /** Days after which an item's weight halves (pinned items never decay). */
  halfLifeDays: number;
  /** How much text the cache of recently recalled scopes may hold, in MiB; 0 turns it off. */
  cacheMiB: number;
  /** How long a recall waits for the infra service's host facts, in ms; 0 turns host lines off. */
  hostBudgetMs: number;
  /** Which summary of a session context recall shows when the request does not say (see context-summary.ts). */
  contextSummary: ContextSummaryChoice;
}

export const defaultCacheMiB = 64;
export const defaultHostBudgetMs = 300;

/** The settings when the environment says nothing. */
export const defaultRecallSettings: RecallSettings = {
  halfLifeDays: defaultHalfLifeDays,
  cacheMiB: defaultCacheMiB,
  hostBudgetMs: defaultHostBudgetMs,
  contextSummary: "deterministic",
};

/** A number in [min, max] from a variable, blank meaning the default. */
const numberSetting = (fallback: number, min: number, max: number, unit: string) =>
  z.preprocess(
    (raw) => (typeof raw === "string" && raw.trim() !== "" ? Number(raw.trim()) : undefined),
    z
      .number({ invalid_type_error: `must be ${unit} between ${min} and ${max}` })
      .finite(`must be ${unit} between ${min} and ${max}`)
      .min(min, `must be ${unit} between ${min} and ${max}`)
      .max(max, `must be ${unit} between ${min} and ${max}`)
      .default(fallback),
  );

/**
 * The recall service's own variables: RECALL_HALF_LIFE_DAYS (default 30, a number of days
 * between 0.5 and 3650), RECALL_CACHE_MB (default 64, 0 to 4096) and RECALL_HOST_BUDGET_MS
 * (default 300, 0 to 5000; 0: no host lines) and RECALL_CONTEXT_SUMMARY (deterministic, the
 * default, or model: a session's model summary where one was attached). A bad value stops
 * start-up with the variable named, beside every other problem of the environment.
 */
export const recallConfig = z
  .object({
    RECALL_HALF_LIFE_DAYS: numberSetting(defaultHalfLifeDays, 0.5, 3650, "a number of days"),
    RECALL_CACHE_MB: numberSetting(defaultCacheMiB, 0, 4096, "a number of MiB"),
    RECALL_HOST_BUDGET_MS: numberSetting(defaultHostBudgetMs, 0, 5000, "a number of milliseconds"),
    RECALL_CONTEXT_SUMMARY: z.preprocess(
      (raw) => (typeof raw === "string" && raw.trim() !== "" ? raw.trim().toLowerCase() : undefined),
      z
        .enum(contextSummaryChoices, { errorMap: () => ({ message: `must be ${contextSummaryChoices.join(" or ")}` }) })
        .default("deterministic"),
    ),
  })
  .transform(
    (env): RecallSettings => ({
      halfLifeDays: env.RECALL_HALF_LIFE_DAYS,
      cacheMiB: env.RECALL_CACHE_MB,
      hostBudgetMs: Math.round(env.RECALL_HOST_BUDGET_MS),
      contextSummary: env.RECALL_CONTEXT_SUMMARY,
    }),
  );

/** The settings of an environment (tests and benchmarks); throws ConfigError naming each bad variable. */
export function recallSettingsFromEnv(env: NodeJS.ProcessEnv): RecallSettings {
  return loadConfig(recallConfig, env);
}
