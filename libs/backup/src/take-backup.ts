import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { BackupResult, TakeBackupOptions } from "./backup-types";
import { BackupError, messageOf } from "./backup-error";
import { backupFileName, ensureBackupFolder, removePartialFile, sha256OfFile } from "./backup-folder";
import { writeManifest } from "./backup-manifest";
import { dumpMariaDb } from "./mariadb-backup";
import { mariaDbTargetOf } from "./mariadb-client";
import { backUpSqlite } from "./sqlite-backup";

/**
 * Takes an online backup of the platform's database while it keeps serving: SQLite with its
 * online backup API (`msp-<type>-<stamp>-<rand>.sqlite`), MariaDB with `mariadb-dump
 * --single-transaction` through gzip (`….sql.gz`). The file (0600) gets a manifest beside it,
 * `<file>.manifest.json` (0600), written last: a backup without a manifest did not finish. The
 * folder is made 0700 when missing. Throws a BackupError saying what failed and what to do.
 */
export async function takeBackup(options: TakeBackupOptions): Promise<BackupResult> {
  const startedAt = options.now ?? new Date();
  const folder = await ensureBackupFolder(options.backupDir);
  let result: BackupResult;
  if (options.databaseUrl) {
    const target = mariaDbTargetOf(options.databaseUrl);
    const filePath = join(folder, backupFileName(options.type, startedAt, "sql.gz"));
    const dump = await dumpMariaDb(target, filePath);
    result = { filePath, ...dump, dialect: "mariadb", startedAt, completedAt: new Date() };
  } else {
    const filePath = join(folder, backupFileName(options.type, startedAt, "sqlite"));
    const tableCounts = await backUpSqlite(options.dataDir, filePath);
    const [checksum, { size }] = await Promise.all([sha256OfFile(filePath), stat(filePath)]);
    result = { filePath, sizeBytes: size, checksum, dialect: "sqlite", startedAt, completedAt: new Date(), tableCounts };
  }
  try {
    await writeManifest(result, options.type);
  } catch (error) {
    await removePartialFile(result.filePath);
    throw new BackupError("backup_folder_unusable", `cannot write the manifest beside ${result.filePath}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return result;
}
