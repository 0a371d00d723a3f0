import { defaultHalfLifeDays } from "./score";

/** The recall engine's settings, read once at start-up. */
export interface RecallSettings {
  /** Days after which an item's weight halves (pinned items never decay). */
  halfLifeDays: number;
  /** How much text the cache of recently recalled scopes may hold, in MiB; 0 turns it off. */
  cacheMiB: number;
}

export const defaultCacheMiB = 64;

/**
 * Settings from the environment: RECALL_HALF_LIFE_DAYS (default 30, a number of days between 0.5
 * and 3650) and RECALL_CACHE_MB (default 64, 0 to 4096). A bad value stops start-up with a
 * message naming the variable.
 */
export function recallSettingsFromEnv(env: NodeJS.ProcessEnv): RecallSettings {
  return {
    halfLifeDays: numberSetting(env, "RECALL_HALF_LIFE_DAYS", defaultHalfLifeDays, { min: 0.5, max: 3650, unit: "a number of days" }),
    cacheMiB: numberSetting(env, "RECALL_CACHE_MB", defaultCacheMiB, { min: 0, max: 4096, unit: "a number of MiB" }),
  };
}

function numberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, range: { min: number; max: number; unit: string }): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    throw new Error(`${name} must be ${range.unit} between ${range.min} and ${range.max} (got "${raw}")`);
  }
  return value;
}
