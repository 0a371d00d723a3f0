import { availableParallelism } from "node:os";
import { z } from "@msp/config";
import type { BackupSchedule } from "./backups/backup-schedule";
import { parseTimeOfDay } from "./backups/backup-schedule";

/** The audit service's own settings. */
export interface AuditSettings {
  hmacKey: string | undefined;
  hmacKeyFile: string | undefined;
  signingKey: string | undefined;
  signingKeyFile: string | undefined;
  drainBatch: number;
  drainIdleMs: number;
  checkpointEvery: number;
  checkpointIntervalMs: number;
  leaseMs: number;
  /** Events older than this many days are pruned (up to a checkpoint) once a day; 0 keeps everything. */
  retentionDays: number;
  /** Worker threads a long verify is spread over (1: none), and the least events each takes. */
  verifyWorkers: number;
  verifyMinEventsPerPart: number;
  /** The daily backup's time (AUDIT_BACKUP_DAILY_AT, UTC) and how many of each kind are kept; undefined: none. */
  backupSchedule: BackupSchedule | undefined;
  /** How often the schedule is checked (AUDIT_BACKUP_CHECK_SECONDS). */
  backupScheduleTickMs: number;
  /** MSP_BACKUP_DIR; the data folder's backups/ when unset. */
  backupDir: string | undefined;
}

function oneOf(ctx: z.RefinementCtx, value: string | undefined, file: string | undefined, name: string): void {
  if (value !== undefined && file !== undefined)
    ctx.addIssue({ code: "custom", path: [name], message: `set ${name} or ${name}_FILE, not both` });
}

/**
 * MSP_AUDIT_HMAC_KEY (base64 of 32 bytes) or MSP_AUDIT_HMAC_KEY_FILE; MSP_AUDIT_SIGNING_KEY (an
 * Ed25519 private key, PEM) or MSP_AUDIT_SIGNING_KEY_FILE; the AUDIT_* tuning variables.
 */
export const auditConfig = z
  .object({
    MSP_AUDIT_HMAC_KEY: z.string().min(1).optional(),
    MSP_AUDIT_HMAC_KEY_FILE: z.string().min(1).optional(),
    MSP_AUDIT_SIGNING_KEY: z.string().min(1).optional(),
    MSP_AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
    AUDIT_DRAIN_BATCH: z.coerce.number().int().min(1).max(20_000).default(1000),
    AUDIT_DRAIN_IDLE_MS: z.coerce.number().int().min(10).max(60_000).default(200),
    AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(1_000_000).default(1000),
    AUDIT_CHECKPOINT_SECONDS: z.coerce.number().min(0.1).max(86_400).default(60),
    AUDIT_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(15),
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
    MSP_BACKUP_DIR: z.string().min(1).optional(),
    AUDIT_BACKUP_DAILY_AT: z
      .string()
      .refine((text) => parseTimeOfDay(text) !== undefined, "must be a time of day in UTC, HH:MM (such as 02:00)")
      .optional(),
    AUDIT_BACKUP_CHECK_SECONDS: z.coerce.number().min(0.05).max(3600).default(60),
    AUDIT_BACKUP_KEEP_DAILY: z.coerce.number().int().min(1).max(3650).default(7),
    AUDIT_BACKUP_KEEP_WEEKLY: z.coerce.number().int().min(1).max(520).default(4),
    AUDIT_BACKUP_KEEP_MONTHLY: z.coerce.number().int().min(1).max(1200).default(12),
    AUDIT_VERIFY_WORKERS: z.coerce.number().int().min(1).max(64).default(Math.min(4, availableParallelism())),
    AUDIT_VERIFY_MIN_PART: z.coerce.number().int().min(1).max(100_000_000).default(100_000),
  })
  .superRefine((env, ctx) => {
    oneOf(ctx, env.MSP_AUDIT_HMAC_KEY, env.MSP_AUDIT_HMAC_KEY_FILE, "MSP_AUDIT_HMAC_KEY");
    oneOf(ctx, env.MSP_AUDIT_SIGNING_KEY, env.MSP_AUDIT_SIGNING_KEY_FILE, "MSP_AUDIT_SIGNING_KEY");
  })
  .transform(
    (env): AuditSettings => ({
      hmacKey: env.MSP_AUDIT_HMAC_KEY,
      hmacKeyFile: env.MSP_AUDIT_HMAC_KEY_FILE,
      signingKey: env.MSP_AUDIT_SIGNING_KEY,
      signingKeyFile: env.MSP_AUDIT_SIGNING_KEY_FILE,
      drainBatch: env.AUDIT_DRAIN_BATCH,
      drainIdleMs: env.AUDIT_DRAIN_IDLE_MS,
      checkpointEvery: env.AUDIT_CHECKPOINT_EVERY,
      checkpointIntervalMs: env.AUDIT_CHECKPOINT_SECONDS * 1000,
      leaseMs: env.AUDIT_LEASE_SECONDS * 1000,
      retentionDays: env.AUDIT_RETENTION_DAYS,
      backupDir: env.MSP_BACKUP_DIR,
      backupScheduleTickMs: env.AUDIT_BACKUP_CHECK_SECONDS * 1000,
      backupSchedule:
        env.AUDIT_BACKUP_DAILY_AT === undefined
          ? undefined
          : {
              minuteOfDay: parseTimeOfDay(env.AUDIT_BACKUP_DAILY_AT)!,
              keep: { daily: env.AUDIT_BACKUP_KEEP_DAILY, weekly: env.AUDIT_BACKUP_KEEP_WEEKLY, monthly: env.AUDIT_BACKUP_KEEP_MONTHLY },
            },
      verifyWorkers: env.AUDIT_VERIFY_WORKERS,
      verifyMinEventsPerPart: env.AUDIT_VERIFY_MIN_PART,
    }),
  );
