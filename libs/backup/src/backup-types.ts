import type { Database } from "@msp/db";

/** Why a backup was taken: the schedule that took it, an operator, or an upgrade about to change the schema. */
export type BackupType = "daily" | "weekly" | "monthly" | "manual" | "pre_migration";

/** Every backup type, in the order people think of them. */
export const backupTypes: readonly BackupType[] = ["daily", "weekly", "monthly", "manual", "pre_migration"];

/** The database engine a backup was taken from, which decides how it is restored. */
export type BackupDialect = "sqlite" | "mariadb";

/** What takeBackup needs: the platform's database settings and where to put the file. */
export interface TakeBackupOptions {
  /** `mariadb://user:pass@host:3306/db`; unset means the embedded SQLite file in dataDir. */
  databaseUrl?: string | undefined;
  /** The platform's data folder (the SQLite file is `<dataDir>/msp.sqlite`). */
  dataDir: string;
  /** Where backups go; made (mode 0700) when missing. */
  backupDir: string;
  type: BackupType;
  /** The moment the backup starts: it names the file and is its startedAt. The clock by default. */
  now?: Date;
}

/** One finished backup: the file, its fingerprint, and how many rows each table held. */
export interface BackupResult {
  /** Absolute path of the backup file (`.sqlite`, or `.sql.gz` for MariaDB). */
  filePath: string;
  sizeBytes: number;
  /** sha256 of the file's bytes, lowercase hex. */
  checksum: string;
  dialect: BackupDialect;
  startedAt: Date;
  completedAt: Date;
  /** Rows per table in the backup itself (views excluded). */
  tableCounts: Record<string, number>;
}

/** The version of the manifest format this library writes; readers skip other versions. */
export const manifestFormatVersion = 1;

/** What `<backup file>.manifest.json` records: the whole BackupResult, the type and the format version. */
export interface BackupManifest extends BackupResult {
  formatVersion: typeof manifestFormatVersion;
  type: BackupType;
  /** The backup file's name; filePath is resolved against the folder the manifest was read from. */
  fileName: string;
  /** Path of the manifest file itself. */
  manifestPath: string;
}

/** The outcome of a check the caller runs on the restored copy (the audit service checks its hash chain). */
export interface RestoredCheck {
  ok: boolean;
  detail: string;
}

/** What verifyBackup needs: the file, what it should hold, and where a scratch copy may be made. */
export interface VerifyBackupOptions {
  filePath: string;
  /** Expected sha256 (hex); read from the manifest beside the file when not given. */
  checksum?: string | undefined;
  /** Expected rows per table; read from the manifest beside the file when not given. */
  tableCounts?: Record<string, number> | undefined;
  /** The platform's own database URL: a MariaDB backup is restored into a scratch database on that server. */
  databaseUrl?: string | undefined;
  /** Temporary space for the restored copy (SQLite) or the scratch connection's data folder. */
  scratchDir: string;
  /** Runs on the restored copy, opened with createDatabase; its failure fails the verification. */
  checkRestored?: (db: Database) => Promise<RestoredCheck>;
}

/** One table's rows: as the backup recorded them, and as found in the restored copy. */
export interface TableCountCheck {
  name: string;
  expected: number;
  restored: number;
}

/** The outcome of verifyBackup. A failed verification is reported here, never thrown. */
export interface BackupVerification {
  ok: boolean;
  checksumOk: boolean;
  /** SQLite: `PRAGMA integrity_check` said ok. MariaDB: the dump replayed into the scratch database without an error. */
  integrityOk: boolean;
  tables: TableCountCheck[];
  /** One line per table whose rows differ (or that exists on one side only). */
  mismatches: string[];
  restoredCheck?: RestoredCheck;
  durationMs: number;
  /** One sentence for people: what was checked and what failed. */
  detail: string;
}
