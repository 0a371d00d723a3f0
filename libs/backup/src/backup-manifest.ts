import { readFile, readdir, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import type { BackupManifest, BackupResult, BackupType } from "./backup-types";
import { backupTypes, manifestFormatVersion } from "./backup-types";
import { BackupError, messageOf } from "./backup-error";
import { manifestPathOf, writeFileAtomically } from "./backup-folder";

const manifestSuffix = ".manifest.json";
/** Backup files this library writes, by name. */
const backupFilePattern = /^msp-[a-z_]+-\d{8}T\d{6}Z-[0-9a-f]+\.(?:sqlite|sql\.gz)$/;

/** A file of the backup folder that listBackupManifests left out, and why. */
export interface SkippedManifest {
  path: string;
  reason: string;
}

/**
 * The manifests of a backup folder, oldest first, and what was left out: manifests that cannot
 * be read or lack a field, manifests whose backup file is gone or has another size, and backup
 * files without a manifest (a backup cut off before it finished).
 */
export interface BackupManifestListing {
  manifests: BackupManifest[];
  skipped: SkippedManifest[];
}

/** Writes `<file>.manifest.json` (mode 0600, atomically) beside a finished backup. */
export async function writeManifest(result: BackupResult, type: BackupType): Promise<string> {
  const path = manifestPathOf(result.filePath);
  const record = {
    formatVersion: manifestFormatVersion,
    type,
    fileName: basename(result.filePath),
    filePath: result.filePath,
    sizeBytes: result.sizeBytes,
    checksum: result.checksum,
    dialect: result.dialect,
    startedAt: result.startedAt.toISOString(),
    completedAt: result.completedAt.toISOString(),
    tableCounts: result.tableCounts,
  };
  await writeFileAtomically(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}

/** The manifest beside a backup file; a BackupError says what is missing or wrong with it. */
export async function readManifestOf(backupFile: string): Promise<BackupManifest> {
  const path = manifestPathOf(resolve(backupFile));
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new BackupError("manifest_unusable", `cannot read the manifest ${path}: ${messageOf(error)}`, { cause: error });
  }
  const parsed = parseManifest(text, path);
  if (typeof parsed === "string") throw new BackupError("manifest_unusable", `the manifest ${path} is unusable: ${parsed}`);
  return parsed;
}

/**
 * Every backup manifest in `backupDir`, oldest first, for adopting backups not yet recorded (the
 * audit service's backup_log). Never throws for a bad file: it goes to `skipped`, with the
 * reason. A folder that does not exist holds no backups.
 */
export async function listBackupManifests(backupDir: string): Promise<BackupManifestListing> {
  const folder = resolve(backupDir);
  const manifests: BackupManifest[] = [];
  const skipped: SkippedManifest[] = [];
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return { manifests, skipped };
    throw new BackupError("backup_folder_unusable", `cannot list the backup folder ${folder}: ${messageOf(error)}`, { cause: error });
  }
  const present = new Set(names);
  for (const name of names) {
    const path = join(folder, name);
    if (backupFilePattern.test(name) && !present.has(`${name}${manifestSuffix}`)) {
      skipped.push({ path, reason: "backup file without a manifest: the backup did not finish" });
    }
    if (!name.endsWith(manifestSuffix)) continue;
    const manifest = await readListedManifest(folder, path);
    if (typeof manifest === "string") skipped.push({ path, reason: manifest });
    else manifests.push(manifest);
  }
  manifests.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.fileName.localeCompare(b.fileName));
  return { manifests, skipped };
}

/** A manifest of the folder with its file checked to be there, whole; or why not. */
async function readListedManifest(folder: string, path: string): Promise<BackupManifest | string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    return `unreadable: ${messageOf(error)}`;
  }
  const manifest = parseManifest(text, path);
  if (typeof manifest === "string") return manifest;
  // The folder may have moved since the manifest was written: the file is looked for beside it.
  const filePath = join(folder, manifest.fileName);
  try {
    const { size } = await stat(filePath);
    if (size !== manifest.sizeBytes)
      return `its backup file has ${size} bytes, the manifest says ${manifest.sizeBytes}: changed or cut off`;
  } catch (error) {
    return `its backup file ${manifest.fileName} is not readable: ${messageOf(error)}`;
  }
  return { ...manifest, filePath };
}

/** Checks a manifest's JSON field by field; the reason names the first wrong field. */
function parseManifest(text: string, manifestPath: string): BackupManifest | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return "not valid JSON (written partially?)";
  }
  if (typeof data !== "object" || data === null) return "not a JSON object";
  const record = data as Record<string, unknown>;
  if (record["formatVersion"] !== manifestFormatVersion)
    return `format version ${String(record["formatVersion"])}; this reader knows ${manifestFormatVersion}`;
  const type = record["type"];
  if (!backupTypes.includes(type as BackupType)) return `type ${String(type)} is not a backup type`;
  const fileName = record["fileName"];
  if (typeof fileName !== "string" || fileName === "" || fileName.includes("/")) return "fileName is missing";
  const sizeBytes = record["sizeBytes"];
  if (typeof sizeBytes !== "number" || !Number.isInteger(sizeBytes) || sizeBytes < 0) return "sizeBytes is missing";
  const checksum = record["checksum"];
  if (typeof checksum !== "string" || !/^[0-9a-f]{64}$/.test(checksum)) return "checksum is not a sha256 in hex";
  const dialect = record["dialect"];
  if (dialect !== "sqlite" && dialect !== "mariadb") return "dialect is neither sqlite nor mariadb";
  const startedAt = dateOf(record["startedAt"]);
  const completedAt = dateOf(record["completedAt"]);
  if (!startedAt || !completedAt) return "startedAt or completedAt is not a date";
  const tableCounts = countsOf(record["tableCounts"]);
  if (!tableCounts) return "tableCounts is not a table of row counts";
  return {
    formatVersion: manifestFormatVersion,
    type: type as BackupType,
    fileName,
    filePath: join(resolve(manifestPath, ".."), fileName),
    manifestPath,
    sizeBytes,
    checksum,
    dialect,
    startedAt,
    completedAt,
    tableCounts,
  };
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function countsOf(value: unknown): Record<string, number> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  const isCount = (rows: unknown): rows is number => typeof rows === "number" && Number.isInteger(rows) && rows >= 0;
  if (!entries.every(([, rows]) => isCount(rows))) return undefined;
  return Object.fromEntries(entries) as Record<string, number>;
}
