import { existsSync } from "node:fs";
import { open } from "node:fs/promises";
import * as sqlite3 from "sqlite3";
import { sqlitePath } from "@msp/db";
import { BackupError, messageOf } from "./backup-error";
import { backupFileMode, removePartialFile } from "./backup-folder";
import type { SqliteFile } from "./sqlite-file";
import { countSqliteRows, openSqliteFile } from "./sqlite-file";

/** The step/finish API of node-sqlite3's Backup class (its type definitions leave it out). */
interface SqliteBackupHandle {
  step(pages: number, callback: (error: (Error & { errno?: number }) | null, done?: boolean) => void): void;
  finish(callback: () => void): void;
}

type BackupCapable = { backup(destination: string, callback: (error: Error | null) => void): SqliteBackupHandle };

/** A busy or locked step is tried again for this long before the backup gives up. */
const busyRetryLimitMs = 120_000;
const busyRetryPauseMs = 50;

/**
 * Copies the platform's SQLite file into `destination` with SQLite's online backup API, while
 * other processes keep writing. All pages are copied in one step (-1): in WAL mode that step is
 * one read transaction, so it sees one consistent moment and writers are never blocked; smaller
 * steps would start over every time another connection writes. A busy or locked step (a
 * checkpoint, a writer recovering the WAL) is retried. The copy is then switched to the rollback
 * journal, so it is one self-contained file, and its rows are counted.
 */
export async function backUpSqlite(dataDir: string, destination: string): Promise<Record<string, number>> {
  const source = sqlitePath(dataDir);
  if (!existsSync(source)) {
    throw new BackupError("database_not_found", `no SQLite database at ${source}: check MSP_DATA_DIR (or set DATABASE_URL for MariaDB)`);
  }
  // The copy is made 0600 before SQLite writes into it; SQLite keeps an existing file's mode.
  try {
    await (await open(destination, "wx", backupFileMode)).close();
  } catch (error) {
    throw new BackupError("backup_folder_unusable", `cannot create the backup file ${destination}: ${messageOf(error)}`, { cause: error });
  }
  try {
    const from = await openSqliteFile(source, "readonly");
    try {
      await copyAllPages(from, destination);
    } finally {
      await from.close();
    }
    const copy = await openSqliteFile(destination, "readwrite");
    try {
      await copy.all("PRAGMA journal_mode = DELETE");
      return await countSqliteRows(copy);
    } finally {
      await copy.close();
    }
  } catch (error) {
    await removePartialFile(destination);
    if (error instanceof BackupError) throw error;
    throw new BackupError("sqlite_backup_failed", `the SQLite online backup of ${source} failed: ${messageOf(error)}`, { cause: error });
  }
}

async function copyAllPages(from: SqliteFile, destination: string): Promise<void> {
  const backup = await new Promise<SqliteBackupHandle>((resolve, reject) => {
    const handle = (from.raw as unknown as BackupCapable).backup(destination, (error) => (error ? reject(error) : resolve(handle)));
  });
  const deadline = Date.now() + busyRetryLimitMs;
  try {
    for (;;) {
      const outcome = await stepAll(backup);
      if (outcome === "done") return;
      if (outcome === "retry") {
        if (Date.now() > deadline) throw new Error(`the database stayed busy or locked for ${busyRetryLimitMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, busyRetryPauseMs));
      }
    }
  } finally {
    // Closes the copy's connection whether the backup completed or not.
    await new Promise<void>((resolve) => backup.finish(resolve));
  }
}

/** One step over every page: done, busy/locked (worth retrying), or a fatal error (thrown). */
function stepAll(backup: SqliteBackupHandle): Promise<"done" | "retry" | "more"> {
  return new Promise((resolve, reject) => {
    backup.step(-1, (error, done) => {
      if (!error) resolve(done ? "done" : "more");
      else if (error.errno === sqlite3.BUSY || error.errno === sqlite3.LOCKED) resolve("retry");
      else reject(error);
    });
  });
}
