import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { chmod, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { BackupType } from "./backup-types";
import { BackupError, messageOf } from "./backup-error";

/** Mode of the backup folder: only the platform's own user may list or enter it. */
export const backupFolderMode = 0o700;
/** Mode of backup files and manifests: only the platform's own user may read them. */
export const backupFileMode = 0o600;

/** Makes the backup folder (mode 0700) when missing and tightens it to 0700 when it is ours. */
export async function ensureBackupFolder(backupDir: string): Promise<string> {
  const folder = resolve(backupDir);
  try {
    await mkdir(folder, { recursive: true, mode: backupFolderMode });
  } catch (error) {
    throw new BackupError(
      "backup_folder_unusable",
      `cannot create the backup folder ${folder}: ${messageOf(error)}; choose a writable folder`,
      {
        cause: error,
      },
    );
  }
  // A folder made earlier (or by someone else) may be looser; a folder we may not chmod stays as
  // it is, since the files in it are 0600 anyway.
  await chmod(folder, backupFolderMode).catch(() => undefined);
  return folder;
}

/** `20261205T011938Z`: the UTC moment, to the second, sortable as text. */
export function utcStamp(moment: Date): string {
  return moment
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

/** `msp-<type>-<UTC stamp>-<4 random hex>.<extension>`: sorts by time, never collides in practice. */
export function backupFileName(type: BackupType, moment: Date, extension: "sqlite" | "sql.gz"): string {
  return `msp-${type}-${utcStamp(moment)}-${randomBytes(2).toString("hex")}.${extension}`;
}

/** Path of the manifest written beside a backup file. */
export function manifestPathOf(backupFile: string): string {
  return `${backupFile}.manifest.json`;
}

/** sha256 (lowercase hex) of a file, read as a stream. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Writes a file (mode 0600) under a temporary name, then renames it: readers never see half of it. */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const partial = `${path}.${randomBytes(4).toString("hex")}.partial`;
  try {
    await writeFile(partial, content, { mode: backupFileMode, flag: "wx" });
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Removes what a failed backup left behind; a file already gone is fine. */
export async function removePartialFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
