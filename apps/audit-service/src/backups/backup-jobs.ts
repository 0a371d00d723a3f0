import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BackupType, RestoredCheck } from "@msp/backup";
import { listBackupManifests, takeBackup, verifyBackup } from "@msp/backup";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";
import { failedPrecondition } from "@msp/errors";
import type { Logger } from "@msp/logging";
import type { MutationContext } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import { ChainStore } from "../chain/chain-store";
import type { ChainKeys } from "../chain/keys";
import { verifyStoredChain } from "../chain/verify-stored";
import { BackupLogModel } from "../models";

/** Where backups are made from and kept. */
export interface BackupPlace {
  databaseUrl: string | undefined;
  dataDir: string;
  backupDir: string;
}

/** The machine's own context for rows written outside a call (adopted pre-migration backups). */
const serviceContext: MutationContext = { service: "audit-service", method: "audit-service/backups", principal: "audit-service" };

/**
 * Runs backups and verified restores in the background (a backup of a large database takes longer
 * than any call's deadline) and keeps backup_log up to date: running, then completed or failed,
 * then verifying, then verified or verify_failed. Each change of a row is audited.
 */
export class BackupJobs {
  private readonly jobs = new Set<Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly place: BackupPlace,
    private readonly keys: ChainKeys,
    private readonly checkpointEvery: number,
    private readonly logger: Logger,
  ) {}

  /** Starts a backup (and its verification when asked); the new row's id. */
  async start(type: BackupType, verify: boolean, ctx: MutationContext): Promise<string> {
    const id = uuidv7();
    const now = new Date();
    await this.write(ctx, id, "create", {
      id,
      revision: 1,
      created_at: now,
      updated_at: now,
      backup_type: type,
      started_at: now,
      status: "running",
      dialect: this.place.databaseUrl ? "mariadb" : "sqlite",
    });
    this.track(this.backUp(id, type, verify, ctx));
    return id;
  }

  /** Starts verifying a finished backup again. */
  async startVerify(id: string, ctx: MutationContext): Promise<void> {
    const row = await BackupLogModel.findByPk(id, { raw: true });
    if (!row) return;
    if (!row.file_path || !["completed", "verified", "verify_failed"].includes(row.status)) {
      throw failedPrecondition(`backup ${id} is ${row.status}: only a finished backup can be verified`);
    }
    await this.write(ctx, id, "update", { status: "verifying" });
    this.track(this.verify(id, row.file_path, row.checksum ?? undefined, countsOf(row.table_counts), ctx));
  }

  /** Deletes a backup's file, its manifest and its row (the row's delete is audited). */
  async remove(id: string, ctx: MutationContext): Promise<void> {
    const row = await BackupLogModel.findByPk(id, { attributes: ["id", "file_path", "backup_type"], raw: true });
    if (!row) return;
    if (row.file_path) {
      await rm(row.file_path, { force: true });
      await rm(`${row.file_path}.manifest.json`, { force: true });
    }
    await this.db.transaction(async (transaction) => {
      await BackupLogModel.destroy({ where: { id }, transaction });
      await writeAuditEvent(transaction, ctx, {
        resourceType: "backup",
        resourceId: id,
        action: "delete",
        summary: { backup_type: row.backup_type, file_path: row.file_path, reason: "past retention" },
      });
    });
  }

  /** Waits for every running job (on shutdown, and in tests). */
  async settle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.allSettled([...this.jobs]);
  }

  /**
   * At start-up: rows a stopped process left running are marked failed, and backups made while no
   * audit service ran (pre-migration backups, taken before the schema change) are recorded.
   */
  async recover(): Promise<void> {
    const stale = await BackupLogModel.findAll({ where: { status: ["running", "verifying"] }, attributes: ["id", "status"], raw: true });
    for (const row of stale) {
      await this.write(serviceContext, row.id, "update", {
        status: row.status === "running" ? "failed" : "verify_failed",
        verification: "interrupted: the audit service stopped while it ran",
      });
    }
    const { manifests, skipped } = await listBackupManifests(this.place.backupDir);
    for (const reason of skipped) this.logger.warn({ reason }, "a backup manifest could not be read");
    for (const manifest of manifests) {
      const known = await BackupLogModel.findOne({ where: { checksum: manifest.checksum }, attributes: ["id"], raw: true });
      if (known) continue;
      const id = uuidv7();
      const now = new Date();
      await this.write(serviceContext, id, "create", {
        id,
        revision: 1,
        created_at: now,
        updated_at: now,
        backup_type: manifest.type,
        file_path: manifest.filePath,
        size_bytes: manifest.sizeBytes,
        started_at: new Date(manifest.startedAt),
        completed_at: new Date(manifest.completedAt),
        status: "completed",
        checksum: manifest.checksum,
        dialect: manifest.dialect,
        table_counts: manifest.tableCounts,
      });
      this.logger.info({ file: manifest.filePath, type: manifest.type }, "recorded a backup taken while the audit service was not running");
    }
  }

  private track(job: Promise<void>): void {
    this.jobs.add(job);
    void job.finally(() => this.jobs.delete(job));
  }

  private async backUp(id: string, type: BackupType, verify: boolean, ctx: MutationContext): Promise<void> {
    try {
      const result = await takeBackup({ ...this.place, type });
      await this.write(ctx, id, "update", {
        status: verify ? "verifying" : "completed",
        file_path: result.filePath,
        size_bytes: result.sizeBytes,
        checksum: result.checksum,
        completed_at: result.completedAt,
        table_counts: result.tableCounts,
      });
      this.logger.info({ id, file: result.filePath, bytes: result.sizeBytes }, "backup written");
      if (verify) await this.verify(id, result.filePath, result.checksum, result.tableCounts, ctx);
    } catch (error) {
      this.logger.error({ err: error, id }, "backup failed");
      await this.write(ctx, id, "update", { status: "failed", completed_at: new Date(), verification: messageOf(error) }).catch(
        (writeError: unknown) => this.logger.error({ err: writeError, id }, "could not record a failed backup"),
      );
    }
  }

  private async verify(
    id: string,
    filePath: string,
    checksum: string | undefined,
    tableCounts: Record<string, number> | undefined,
    ctx: MutationContext,
  ): Promise<void> {
    const scratchDir = await mkdtemp(join(tmpdir(), "msp-restore-"));
    try {
      const result = await verifyBackup({
        filePath,
        ...(checksum === undefined ? {} : { checksum }),
        ...(tableCounts === undefined ? {} : { tableCounts }),
        databaseUrl: this.place.databaseUrl,
        scratchDir,
        checkRestored: (restored) => this.checkChain(restored),
      });
      await this.write(ctx, id, "update", {
        status: result.ok ? "verified" : "verify_failed",
        verification: result.detail,
        verified_at: new Date(),
      });
    } catch (error) {
      await this.write(ctx, id, "update", { status: "verify_failed", verification: messageOf(error), verified_at: new Date() }).catch(
        (writeError: unknown) => this.logger.error({ err: writeError, id }, "could not record a failed verification"),
      );
    } finally {
      await rm(scratchDir, { recursive: true, force: true });
    }
  }

  /** The audit chain of a restored copy must verify with this service's keys. */
  private async checkChain(restored: Database): Promise<RestoredCheck> {
    const queries = restored.sequelize.getQueryInterface();
    if (!(await queries.tableExists("audit_events")) || !(await queries.tableExists("audit_chain_state"))) {
      return { ok: true, detail: "no audit chain to check (the backup predates the audit service's tables)" };
    }
    const result = await verifyStoredChain(new ChainStore(restored), this.keys, { fromSeq: 0, toSeq: 0 }, this.checkpointEvery);
    if (result.ok)
      return { ok: true, detail: `audit chain verifies (${result.checkedEvents} events, ${result.checkedCheckpoints} checkpoints)` };
    return {
      ok: false,
      detail: `audit chain broken at seq ${result.failure?.seq}: ${result.failure?.problem} (${result.failure?.detail})`,
    };
  }

  /** Writes a backup_log row (created or changed) and its audit event in one transaction. */
  private async write(ctx: MutationContext, id: string, action: "create" | "update", values: Record<string, unknown>): Promise<void> {
    await this.db.transaction(async (transaction) => {
      if (action === "create") {
        await BackupLogModel.create(values, { transaction });
      } else {
        const row = await BackupLogModel.findByPk(id, { transaction, attributes: ["revision"], raw: true });
        await BackupLogModel.update(
          { ...values, revision: (row?.revision ?? 0) + 1, updated_at: new Date() },
          { where: { id }, transaction },
        );
      }
      const { table_counts: _counts, ...summary } = values;
      await writeAuditEvent(transaction, ctx, { resourceType: "backup", resourceId: id, action, summary });
    });
  }
}

/** Rows per table as backup_log keeps them (JSON: an object, or its text on SQLite). */
function countsOf(value: unknown): Record<string, number> | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, number>) : undefined;
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}
