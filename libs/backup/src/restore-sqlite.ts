import { chmod, copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { sqlitePath } from "@msp/db";
import { messageOf } from "./backup-error";
import { backupFileMode } from "./backup-folder";
import type { RestoredCopy } from "./restored-copy";
import type { SqliteFile } from "./sqlite-file";
import { countSqliteRows, openSqliteFile } from "./sqlite-file";

/**
 * Copies a `.sqlite` backup into a fresh folder under scratchDir as its `msp.sqlite`, and runs
 * `PRAGMA integrity_check` on it. The folder is removed by discard().
 */
export async function restoreSqliteCopy(backupFile: string, scratchDir: string): Promise<RestoredCopy> {
  await mkdir(resolve(scratchDir), { recursive: true });
  const folder = await mkdtemp(join(resolve(scratchDir), "msp-verify-"));
  const discard = () => rm(folder, { recursive: true, force: true });
  try {
    const database = sqlitePath(folder);
    await copyFile(backupFile, database);
    await chmod(database, backupFileMode);
    return {
      integrity: await integrityOf(database),
      countRows: () => withFile(database, countSqliteRows),
      config: { dataDir: folder },
      discard,
    };
  } catch (error) {
    await discard();
    throw error;
  }
}

async function integrityOf(database: string): Promise<{ ok: boolean; detail: string }> {
  try {
    const rows = await withFile(database, (file) => file.all<{ integrity_check: string }>("PRAGMA integrity_check"));
    const findings = rows.map((row) => row.integrity_check);
    if (findings.length === 1 && findings[0] === "ok") return { ok: true, detail: "PRAGMA integrity_check: ok" };
    return { ok: false, detail: `PRAGMA integrity_check found ${findings.length} problems: ${findings.slice(0, 3).join("; ")}` };
  } catch (error) {
    return { ok: false, detail: `the copy does not open as a SQLite database: ${messageOf(error)}` };
  }
}

async function withFile<T>(database: string, use: (file: SqliteFile) => Promise<T>): Promise<T> {
  const file = await openSqliteFile(database, "readonly");
  try {
    return await use(file);
  } finally {
    await file.close();
  }
}
