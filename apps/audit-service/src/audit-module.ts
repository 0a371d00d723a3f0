import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { createResourceStore } from "@msp/resource-kit";
import type { ServiceModule } from "@msp/service-runtime";
import type { AuditEvent, Backup } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import { AuditServiceService, BackupServiceService } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import type { AuditSettings } from "./audit-config";
import { auditConfig } from "./audit-config";
import { BackupJobs } from "./backups/backup-jobs";
import { ScheduledBackups } from "./backups/scheduled-backups";
import { backupResource } from "./backups/backup.resource";
import { backupHandlers } from "./backups/backup-service";
import { auditEventResource } from "./chain/audit-event.resource";
import { auditHandlers } from "./chain/audit-service";
import { ChainStore } from "./chain/chain-store";
import { Drainer } from "./chain/drainer";
import { loadChainKeys } from "./chain/keys";
import { Lease } from "./chain/lease";
import { RetentionWorker } from "./chain/retention";
import { VerifyPool } from "./chain/verify-pool";
import { auditModels } from "./models";

/**
 * The audit service: drains every service's audit_outbox into an HMAC chain with signed
 * checkpoints (one drainer at a time across instances), answers queries and verifications of it,
 * prunes it up to a checkpoint, and backs up the platform's database. Start-up loads (or, on the
 * embedded default, makes) the chain's keys.
 */
export const auditModule: ServiceModule<AuditSettings> = {
  name: "audit-service",
  models: auditModels,
  config: auditConfig,
  async setUp(host, { db, database, logger, config }) {
    const keys = loadChainKeys({ ...config, dataDir: database.dataDir });
    const store = new ChainStore(db);
    const lease = new Lease(db, "drain", `${process.pid}-${randomUUID()}`, config.leaseMs);
    const drainer = new Drainer(db, store, lease, keys, logger, {
      batch: config.drainBatch,
      idleMs: config.drainIdleMs,
      every: config.checkpointEvery,
      intervalMs: config.checkpointIntervalMs,
    });
    host.run({ name: "drain", start: () => drainer.start(), stop: () => drainer.stop() });
    if (config.retentionDays > 0) {
      const retention = new RetentionWorker(db, store, config.retentionDays, logger);
      host.run({ name: "retention", start: () => retention.start(), stop: () => retention.stop() });
    }

    const place = {
      databaseUrl: database.databaseUrl,
      dataDir: database.dataDir,
      backupDir: config.backupDir ?? join(database.dataDir, "backups"),
    };
    const jobs = new BackupJobs(db, place, keys, config.checkpointEvery, logger);
    await jobs.recover();
    host.run({ name: "backups", start: () => undefined, stop: () => jobs.settle() });
    if (config.backupSchedule) {
      const scheduleLease = new Lease(db, "backup-schedule", lease.holder, 300_000);
      const scheduled = new ScheduledBackups(jobs, scheduleLease, config.backupSchedule, logger, config.backupScheduleTickMs);
      host.run({ name: "scheduled-backups", start: () => scheduled.start(), stop: () => scheduled.stop() });
    }

    const events = createResourceStore<AuditEvent>(db, auditEventResource);
    const pool = new VerifyPool(database);
    host.run({ name: "verify-workers", start: () => undefined, stop: () => pool.close() });
    const verifyWorkers = { count: config.verifyWorkers, minEventsPerPart: config.verifyMinEventsPerPart, pool };
    host.serve(
      AuditServiceService,
      auditHandlers({ db, events, store, keys, lease, checkpointEvery: config.checkpointEvery, verifyWorkers }),
    );
    host.serve(BackupServiceService, backupHandlers(createResourceStore<Backup>(db, backupResource), jobs));
  },
};
