/**
 * What went wrong with an audit key, for callers that map it to an exit code or a status:
 * - `bad_key`: the text is not a key of the right kind (base64, PEM, Ed25519, length);
 * - `unreadable_key_file`: the key file cannot be opened or read;
 * - `insecure_key_file`: the key file may be accessed by the group or others (POSIX);
 * - `key_file_not_created`: a missing key file could not be created;
 * - `key_mismatch`: a key given is not the one an export was made with.
 */
export type AuditKeyErrorCode = "bad_key" | "unreadable_key_file" | "insecure_key_file" | "key_file_not_created" | "key_mismatch";

/**
 * The error the audit chain's key handling throws. Its message names the variable or file at
 * fault and how to fix it, and never contains key material, so it is safe to log and to show.
 */
export class AuditKeyError extends Error {
  override readonly name = "AuditKeyError";

  constructor(
    readonly code: AuditKeyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
