import { z } from "@msp/config";

/** The work service's own settings, read once at start-up. */
export interface WorkSettings {
  /**
   * Minutes without activity after which a Claude Code session that never got its SessionEnd is
   * closed, its last activity as its end (WORK_SESSION_IDLE_MINUTES); 0 never closes one.
   */
  sessionIdleMinutes: number;
}

export const defaultSessionIdleMinutes = 240;

/**
 * WORK_SESSION_IDLE_MINUTES: a whole number of minutes between 0 and 10080 (a week), 240 (four
 * hours) by default; 0 turns the closing off. A bad value stops start-up with the variable named.
 */
export const workConfig = z
  .object({
    WORK_SESSION_IDLE_MINUTES: z.preprocess(
      (raw) => (typeof raw === "string" && raw.trim() !== "" ? Number(raw.trim()) : undefined),
      z
        .number({ invalid_type_error: "must be a whole number of minutes between 0 and 10080" })
        .int("must be a whole number of minutes between 0 and 10080")
        .min(0, "must be a whole number of minutes between 0 and 10080")
        .max(10_080, "must be a whole number of minutes between 0 and 10080")
        .default(defaultSessionIdleMinutes),
    ),
  })
  .transform((env): WorkSettings => ({ sessionIdleMinutes: env.WORK_SESSION_IDLE_MINUTES }));
