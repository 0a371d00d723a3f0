/** What went wrong, for code that reacts to it; the message says it for people. */
export type BackupErrorCode =
  | "invalid_database_url"
  | "database_not_found"
  | "backup_folder_unusable"
  | "sqlite_backup_failed"
  | "client_tool_missing"
  | "dump_failed"
  | "backup_not_found"
  | "unknown_backup_format"
  | "manifest_unusable"
  | "database_url_required"
  | "scratch_database_failed";

/**
 * The one error this library throws: a backup that could not be taken, or a verification that
 * could not even start (missing file, unusable arguments). A backup that fails verification is
 * not an error: verifyBackup returns `ok: false`. Messages never contain a password.
 */
export class BackupError extends Error {
  override readonly name = "BackupError";

  constructor(
    readonly code: BackupErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The message of any thrown value, for wrapping it in a clearer one. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
