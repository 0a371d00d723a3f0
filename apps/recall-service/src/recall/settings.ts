import { defaultHalfLifeDays } from "./score";

/** The recall engine's settings, read once at start-up. */
export interface RecallSettings {
  /** Days after which an item's weight halves (pinned items never decay). */
  halfLifeDays: number;
}

/**
 * Settings from the environment: RECALL_HALF_LIFE_DAYS (default 30, a number of days between 0.5
 * and 3650). A bad value stops start-up with a message naming the variable.
 */
export function recallSettingsFromEnv(env: NodeJS.ProcessEnv): RecallSettings {
  const raw = env["RECALL_HALF_LIFE_DAYS"]?.trim();
  if (raw === undefined || raw === "") return { halfLifeDays: defaultHalfLifeDays };
  const days = Number(raw);
  if (!Number.isFinite(days) || days < 0.5 || days > 3650) {
    throw new Error(`RECALL_HALF_LIFE_DAYS must be a number of days between 0.5 and 3650 (got "${raw}")`);
  }
  return { halfLifeDays: days };
}
