export * from "./backup-types";
export { BackupError, type BackupErrorCode } from "./backup-error";
export { takeBackup } from "./take-backup";
export { verifyBackup } from "./verify-backup";
export { listBackupManifests, readManifestOf, type BackupManifestListing, type SkippedManifest } from "./backup-manifest";
export {
  backupDirOf,
  preMigrationBackup,
  skipPreMigrationBackupVariable,
  type PreMigrationBackupOptions,
  type PreMigrationLog,
} from "./pre-migration-backup";
export { scratchDatabasePrefix } from "./restore-mariadb";
export { DumpRowCounter, countDumpRows } from "./dump-row-counter";
