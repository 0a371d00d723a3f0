import { join, resolve } from "node:path";
import { BackupError, messageOf } from "./backup-error";
import { takeBackup } from "./take-backup";

/** The variable that turns the pre-migration backup off (the escape hatch when the dump tools are missing). */
export const skipPreMigrationBackupVariable = "MSP_SKIP_PREMIGRATION_BACKUP";

/** Where a service's structured log lines go; a pino logger fits. */
export interface PreMigrationLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** The platform's database and backup settings, as a service reads them. */
export interface PreMigrationBackupOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** MSP_BACKUP_DIR; `<dataDir>/backups` when unset. */
  backupDir?: string | undefined;
  /** MSP_SKIP_PREMIGRATION_BACKUP: migrate without a backup (a warning is logged instead). */
  skip?: boolean | undefined;
  log: PreMigrationLog;
}

/** The backup folder of a platform: MSP_BACKUP_DIR, else `<dataDir>/backups`. */
export function backupDirOf(options: { dataDir: string; backupDir?: string | undefined }): string {
  return resolve(options.backupDir || join(options.dataDir, "backups"));
}

/**
 * The `beforeMigrating` hook of migrateUp: a `pre_migration` backup of the existing database
 * before pending migrations change it. It logs one line with the file and its size (the audit
 * service records it in backup_log later, from the manifest). A failed backup throws, so no
 * migration runs; the message says how to fix it or, knowingly, skip it.
 */
export function preMigrationBackup(options: PreMigrationBackupOptions): (pending: readonly string[]) => Promise<void> {
  return async (pending) => {
    if (options.skip) {
      options.log.warn(
        { pending: pending.length },
        `migrating an existing database without a backup (${skipPreMigrationBackupVariable} is set)`,
      );
      return;
    }
    const backupDir = backupDirOf(options);
    try {
      const backup = await takeBackup({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, backupDir, type: "pre_migration" });
      options.log.info({ file: backup.filePath, sizeBytes: backup.sizeBytes, pending: pending.length }, "pre-migration backup taken");
    } catch (error) {
      const message =
        `the backup before applying ${pending.length} pending migration(s) failed, so none was applied: ${messageOf(error)}. ` +
        `Fix that and start again, or set ${skipPreMigrationBackupVariable}=1 to upgrade without a backup (take one by hand first).`;
      throw error instanceof BackupError ? new BackupError(error.code, message, { cause: error }) : new Error(message, { cause: error });
    }
  };
}
