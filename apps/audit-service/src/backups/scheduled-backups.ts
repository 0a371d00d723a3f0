import { Op } from "sequelize";
import type { Logger } from "@msp/logging";
import type { MutationContext } from "@msp/resource-kit";
import type { Lease } from "../chain/lease";
import { BackupLogModel } from "../models";
import type { BackupJobs } from "./backup-jobs";
import type { BackupSchedule, KeptBackup, ScheduledType } from "./backup-schedule";
import { beyondRetention, lastScheduledAt, scheduledTypeAt } from "./backup-schedule";

const scheduled: ScheduledType[] = ["daily", "weekly", "monthly"];
const context: MutationContext = { service: "audit-service", method: "audit-service/scheduled-backups", principal: "audit-service" };
/** A scheduled backup that failed is tried again after this long, not on every tick. */
const retryAfterMs = 3_600_000;

/**
 * Takes the day's backup (monthly on the 1st, weekly on Sundays, daily otherwise; verified) once
 * its time of day has passed, and deletes scheduled backups beyond the kept number of each kind.
 * One instance does it (the `backup-schedule` lease); it checks every minute, so a service that
 * was down at the scheduled time takes the backup when it comes back.
 */
export class ScheduledBackups {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly jobs: BackupJobs,
    private readonly lease: Lease,
    private readonly schedule: BackupSchedule,
    private readonly logger: Logger,
    private readonly tickMs = 60_000,
  ) {}

  start(): void {
    this.running = this.tick();
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.tick());
    }, this.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      if (!(await this.lease.acquire())) return;
      const due = lastScheduledAt(new Date(), this.schedule.minuteOfDay);
      if (!(await this.takenSince(due))) {
        const type = scheduledTypeAt(due);
        const id = await this.jobs.start(type, true, context);
        this.logger.info({ id, type }, "scheduled backup started");
      }
      await this.applyRetention();
    } catch (error) {
      this.logger.error({ err: error }, "scheduled backup failed");
    }
  }

  /** Whether the backup due at `due` was taken (or is running), or failed less than an hour ago. */
  private async takenSince(due: Date): Promise<boolean> {
    const found = await BackupLogModel.findOne({
      where: {
        backup_type: scheduled,
        [Op.or]: [
          { started_at: { [Op.gte]: due }, status: { [Op.ne]: "failed" } },
          { started_at: { [Op.gte]: new Date(Math.max(due.getTime(), Date.now() - retryAfterMs)) }, status: "failed" },
        ],
      },
      attributes: ["id"],
      raw: true,
    });
    return found !== null;
  }

  private async applyRetention(): Promise<void> {
    const rows = await BackupLogModel.findAll({
      where: { backup_type: scheduled, status: ["completed", "verified", "verify_failed"] },
      attributes: ["id", "backup_type", "started_at"],
      raw: true,
    });
    const kept: KeptBackup[] = rows.map((row) => ({
      id: row.id,
      type: row.backup_type as ScheduledType,
      startedAt: new Date(row.started_at),
    }));
    for (const backup of beyondRetention(kept, this.schedule.keep)) {
      await this.jobs.remove(backup.id, context);
      this.logger.info({ id: backup.id, type: backup.type }, "deleted a scheduled backup past retention");
    }
  }
}
