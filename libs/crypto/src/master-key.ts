import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { KEY_BYTES } from "./aes-gcm";
import { CryptoError } from "./crypto-error";

const KEY_RULE = "must be 32 random bytes in base64, such as `openssl rand -base64 32`";
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** 32 fresh random bytes: a master key or a data key. */
export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * Decodes a master key given in standard base64 (surrounding whitespace ignored). `source`
 * names where it came from (an environment variable, a file) so the error says what to fix.
 */
export function parseMasterKey(base64: string, source: string): Buffer {
  const text = base64.trim();
  if (!STANDARD_BASE64.test(text)) {
    throw new CryptoError("bad_key", `${source} ${KEY_RULE}; it is not valid base64`);
  }
  const key = Buffer.from(text, "base64");
  if (key.length !== KEY_BYTES) {
    throw new CryptoError("bad_key", `${source} ${KEY_RULE}; got ${key.length} bytes`);
  }
  return key;
}

/**
 * Reads and parses a master key file. On POSIX, refuses a file that the group or others may
 * read or write, since the master key opens every secret in the vault.
 */
export function readMasterKeyFile(path: string, source: string): Buffer {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CryptoError("bad_key", `${source}: cannot read the master key file ${path} (${describeIoError(error)})`, {
      cause: error,
    });
  }
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, "0");
    throw new CryptoError(
      "bad_key",
      `${source}: the master key file ${path} is accessible to group or others (mode ${octal}); run \`chmod 600 ${path}\``,
    );
  }
  return parseMasterKey(text, source);
}

/**
 * Creates a master key file holding a new random key (base64 and a newline, mode 0600) when
 * none exists, and returns the key; when the file exists, reads it instead. The key is
 * written to a private temporary file first and then hard-linked into place, which fails if
 * `path` exists: readers never see a partial file, and of two processes racing here the loser
 * reads the winner's key.
 */
export function createMasterKeyFile(path: string): Buffer {
  const key = generateKey();
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    writeFileSync(temporary, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    linkSync(temporary, path);
    return key;
  } catch (error) {
    if (isAlreadyExists(error)) return readMasterKeyFile(path, path);
    throw new CryptoError("bad_key", `cannot create the master key file ${path} (${describeIoError(error)})`, { cause: error });
  } finally {
    rmSync(temporary, { force: true });
  }
}

// Duck-typed rather than `instanceof Error`: errors from node's own modules may come from
// another realm (jest runs tests in a vm context), where that check fails.
function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

function isAlreadyExists(error: unknown): boolean {
  return errorCode(error) === "EEXIST";
}

function describeIoError(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
}
