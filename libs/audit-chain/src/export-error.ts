/**
 * What is wrong with an export file, as opposed to the chain it holds (a VerifyResult says that):
 * - `unreadable_file`: it cannot be opened or read;
 * - `bad_header`: line 1 is not an export header this verifier understands;
 * - `malformed_line`: a line is not valid JSON or misses a field, or has one of the wrong type.
 */
export type AuditExportErrorCode = "unreadable_file" | "bad_header" | "malformed_line";

/** An export file that cannot be verified at all. The message names the line and the field. */
export class AuditExportError extends Error {
  override readonly name = "AuditExportError";

  constructor(
    readonly code: AuditExportErrorCode,
    /** The 1-based line at fault, or null for the file as a whole. */
    readonly lineNumber: number | null,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
