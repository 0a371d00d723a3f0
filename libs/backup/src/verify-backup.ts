import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Database } from "@msp/db";
import { createDatabase } from "@msp/db";
import type { BackupDialect, BackupVerification, RestoredCheck, TableCountCheck, VerifyBackupOptions } from "./backup-types";
import { BackupError, messageOf } from "./backup-error";
import { sha256OfFile } from "./backup-folder";
import { readManifestOf } from "./backup-manifest";
import { restoreMariaDbCopy } from "./restore-mariadb";
import { restoreSqliteCopy } from "./restore-sqlite";
import type { RestoredCopy } from "./restored-copy";
import { compareTableCounts } from "./table-counts";

/**
 * Proves a backup can be restored: its sha256 first, then a restore into a scratch copy (SQLite:
 * a temporary folder, `PRAGMA integrity_check`; MariaDB: a `msp_restore_<hex>` database on the
 * platform's server, always dropped afterwards), the rows of every table against what the
 * backup recorded, and the caller's own check of the restored copy (the audit chain). Expected
 * values not given are read from the manifest beside the file.
 *
 * A backup that fails any check is reported (`ok: false`, detail says why), never thrown. It
 * throws a BackupError only when it cannot verify at all: no such file, an unknown kind of file,
 * nothing to compare with, no database URL for a MariaDB dump, the server or client tools
 * unusable.
 */
export async function verifyBackup(options: VerifyBackupOptions): Promise<BackupVerification> {
  const startedAt = performance.now();
  const filePath = resolve(options.filePath);
  if (!existsSync(filePath) || !statSync(filePath).isFile()) {
    throw new BackupError(
      "backup_not_found",
      `no backup file at ${filePath}: check the path (backups are in the backup folder, MSP_BACKUP_DIR)`,
    );
  }
  const dialect = dialectOfFile(filePath);
  if (dialect === "mariadb" && !options.databaseUrl) {
    throw new BackupError(
      "database_url_required",
      `${filePath} is a MariaDB dump: pass the platform's databaseUrl, on whose server it is restored into a scratch database`,
    );
  }
  const expected = await expectedOf(options, filePath);
  const elapsed = () => Math.round(performance.now() - startedAt);

  const checksum = await sha256OfFile(filePath);
  if (checksum !== expected.checksum) {
    return {
      ...failedBefore("checksum"),
      durationMs: elapsed(),
      detail: `Checksum mismatch: the file's sha256 is ${checksum}, the backup recorded ${expected.checksum}; the file was changed or damaged, so it was not restored.`,
    };
  }

  const copy =
    dialect === "sqlite"
      ? await restoreSqliteCopy(filePath, options.scratchDir)
      : await restoreMariaDbCopy(filePath, options.databaseUrl ?? "", options.scratchDir);
  let findings: Omit<BackupVerification, "durationMs">;
  try {
    findings = await inspectCopy(copy, dialect, expected.tableCounts, options.checkRestored);
  } catch (error) {
    await copy.discard().catch(() => undefined);
    throw error;
  }
  const leftOver = await copy.discard().then(
    () => undefined,
    (error: unknown) => messageOf(error),
  );
  const detail =
    leftOver === undefined ? findings.detail : `${findings.detail} The scratch copy could not be removed (${leftOver}): remove it by hand.`;
  return { ...findings, durationMs: elapsed(), detail };
}

/** Integrity, rows per table and the caller's check, on a restored copy whose checksum was right. */
async function inspectCopy(
  copy: RestoredCopy,
  dialect: BackupDialect,
  expectedCounts: Readonly<Record<string, number>>,
  checkRestored: VerifyBackupOptions["checkRestored"],
): Promise<Omit<BackupVerification, "durationMs">> {
  if (!copy.integrity.ok) return { ...failedBefore("integrity"), detail: `Checksum ok, but the restore failed: ${copy.integrity.detail}.` };
  const counted = await countRestoredRows(copy);
  if (typeof counted === "string") return { ...failedBefore("integrity"), detail: `Checksum ok, but ${counted}.` };
  const { tables, mismatches } = compareTableCounts(expectedCounts, counted);
  const restoredCheck = checkRestored ? await runRestoredCheck(copy, checkRestored) : undefined;
  return {
    ok: mismatches.length === 0 && (restoredCheck?.ok ?? true),
    checksumOk: true,
    integrityOk: true,
    tables,
    mismatches,
    ...(restoredCheck === undefined ? {} : { restoredCheck }),
    detail: verdict(dialect, tables, mismatches, restoredCheck),
  };
}

/** `.sqlite` files are SQLite backups, `.sql.gz` files MariaDB dumps; nothing else is ours. */
function dialectOfFile(filePath: string): BackupDialect {
  if (filePath.endsWith(".sqlite")) return "sqlite";
  if (filePath.endsWith(".sql.gz")) return "mariadb";
  throw new BackupError("unknown_backup_format", `${filePath} is neither a SQLite backup (.sqlite) nor a MariaDB dump (.sql.gz)`);
}

/** The checksum and row counts to compare with: the caller's, else the manifest's. */
async function expectedOf(
  options: VerifyBackupOptions,
  filePath: string,
): Promise<{ checksum: string; tableCounts: Record<string, number> }> {
  if (options.checksum !== undefined && options.tableCounts !== undefined) {
    return { checksum: options.checksum.toLowerCase(), tableCounts: options.tableCounts };
  }
  try {
    const manifest = await readManifestOf(filePath);
    return { checksum: (options.checksum ?? manifest.checksum).toLowerCase(), tableCounts: options.tableCounts ?? manifest.tableCounts };
  } catch (error) {
    throw new BackupError(
      "manifest_unusable",
      `${messageOf(error)}; pass the checksum and tableCounts recorded for this backup (backup_log) to verify it without its manifest`,
      { cause: error },
    );
  }
}

/** The shape of a verification that stopped before the row counts. */
function failedBefore(step: "checksum" | "integrity"): Omit<BackupVerification, "durationMs" | "detail"> {
  return { ok: false, checksumOk: step !== "checksum", integrityOk: false, tables: [], mismatches: [] };
}

async function countRestoredRows(copy: RestoredCopy): Promise<Record<string, number> | string> {
  try {
    return await copy.countRows();
  } catch (error) {
    return `counting the rows of the restored copy failed: ${messageOf(error)}`;
  }
}

/** Opens the restored copy as the platform would and runs the caller's check on it; a throw is a failed check. */
async function runRestoredCheck(copy: RestoredCopy, check: (db: Database) => Promise<RestoredCheck>): Promise<RestoredCheck> {
  let db: Database | undefined;
  try {
    db = createDatabase(copy.config);
    const outcome = await check(db);
    return { ok: outcome.ok === true, detail: outcome.detail };
  } catch (error) {
    return { ok: false, detail: `the check threw: ${messageOf(error)}` };
  } finally {
    await db?.close().catch(() => undefined);
  }
}

/** One sentence: what was checked, and what failed. */
function verdict(
  dialect: BackupDialect,
  tables: readonly TableCountCheck[],
  mismatches: readonly string[],
  check: RestoredCheck | undefined,
): string {
  const restored = dialect === "sqlite" ? "integrity_check ok" : "the dump replayed";
  const counts =
    mismatches.length === 0
      ? `row counts of all ${tables.length} tables match`
      : `${mismatches.length} of ${tables.length} tables differ (${mismatches.slice(0, 3).join("; ")}${mismatches.length > 3 ? "; …" : ""})`;
  const checked =
    check === undefined
      ? ""
      : check.ok
        ? `, and the check of the restored copy passed (${check.detail})`
        : `, but the check of the restored copy failed: ${check.detail}`;
  const prefix = mismatches.length === 0 && (check?.ok ?? true) ? "Backup verified" : "Backup verification failed";
  return `${prefix}: checksum ok, ${restored}, ${counts}${checked}.`;
}
