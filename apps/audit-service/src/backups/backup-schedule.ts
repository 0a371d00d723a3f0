import type { BackupType } from "@msp/backup";

/** When scheduled backups run and how many of each kind are kept. */
export interface BackupSchedule {
  /** Minutes after midnight UTC of the daily backup. */
  minuteOfDay: number;
  keep: Record<ScheduledType, number>;
}

export type ScheduledType = Extract<BackupType, "daily" | "weekly" | "monthly">;

const dayMs = 86_400_000;

/** "02:30" as minutes after midnight, or undefined when it is not a time of day. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** The latest scheduled instant at or before `now`: today's time of day, or yesterday's. */
export function lastScheduledAt(now: Date, minuteOfDay: number): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const today = midnight + minuteOfDay * 60_000;
  return new Date(today <= now.getTime() ? today : today - dayMs);
}

/** The kind of the backup scheduled at `at`: monthly on the 1st, weekly on Sundays, daily otherwise. */
export function scheduledTypeAt(at: Date): ScheduledType {
  if (at.getUTCDate() === 1) return "monthly";
  if (at.getUTCDay() === 0) return "weekly";
  return "daily";
}

/** A scheduled backup as the retention rule sees it. */
export interface KeptBackup {
  id: string;
  type: ScheduledType;
  startedAt: Date;
}

/** The scheduled backups beyond the newest `keep[type]` of their kind, to delete (manual and pre-migration ones are never deleted). */
export function beyondRetention(backups: readonly KeptBackup[], keep: Record<ScheduledType, number>): KeptBackup[] {
  const doomed: KeptBackup[] = [];
  for (const type of ["daily", "weekly", "monthly"] as const) {
    const ofType = backups.filter((b) => b.type === type).sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    doomed.push(...ofType.slice(Math.max(0, keep[type])));
  }
  return doomed;
}
