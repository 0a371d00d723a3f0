import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fstatSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { AuditKeyError } from "./audit-key-error";

/** `source: ` before a message, unless the source is the path the message names anyway. */
export function sourcePrefix(source: string, path: string): string {
  return source === path ? "" : `${source}: `;
}

/**
 * Reads a key file as text. On POSIX, refuses a file the group or others may access (any of
 * the mode bits 077), since whoever reads it can forge the audit chain. The mode is checked on
 * the open file, so it is the file that is read. `what` names the kind of key in messages.
 */
export function readPrivateKeyFile(path: string, what: string, source: string): string {
  const prefix = sourcePrefix(source, path);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const mode = fstatSync(fd).mode;
    if (process.platform !== "win32" && (mode & 0o077) !== 0) {
      const octal = (mode & 0o777).toString(8).padStart(3, "0");
      throw new AuditKeyError(
        "insecure_key_file",
        `${prefix}the ${what} file ${path} is accessible to group or others (mode ${octal}); run \`chmod 600 ${path}\``,
      );
    }
    return readFileSync(fd, "utf8");
  } catch (error) {
    if (error instanceof AuditKeyError) throw error;
    throw new AuditKeyError("unreadable_key_file", `${prefix}cannot read the ${what} file ${path} (${describeIoError(error)})`, {
      cause: error,
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Creates `path` holding `content()` with mode 0600 unless it exists, and says whether it did.
 * The content goes to a private temporary file first (written and flushed to disk), which is
 * then hard-linked into place; the link fails if `path` exists, so readers never see a partial
 * file and of two processes racing here the loser keeps the winner's file.
 */
export function createPrivateFileIfMissing(path: string, content: () => string, what: string): boolean {
  if (existsSync(path)) return false;
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    writeDurably(temporary, content());
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw new AuditKeyError("key_file_not_created", `cannot create the ${what} file ${path} (${describeIoError(error)})`, {
      cause: error,
    });
  } finally {
    rmSync(temporary, { force: true });
  }
}

function writeDurably(path: string, content: string): void {
  const fd = openSync(path, "wx", 0o600);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// Duck-typed rather than `instanceof Error`: errors from node's own modules may come from
// another realm (jest runs tests in a vm context), where that check fails.
function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** A short reason for an I/O error: its code (ENOENT, EACCES...) or else its message. */
export function describeIoError(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
}
