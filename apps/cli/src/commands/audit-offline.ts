// `msp audit verify --file EXPORT --hmac-key-file K --public-key-file P`: an export checked on
// this machine with @msp/audit-chain, the code the audit service verifies with. No platform, no
// config: it works where `msp setup` never ran (an auditor's laptop, an offline vault).
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { ExportHeader, ExportVerifyResult } from "@msp/audit-chain";
import { AuditExportError, AuditKeyError, parsePublicKey, readHmacKeyFile, verifyExportFile } from "@msp/audit-chain";
import { CommandError } from "./command-support";
import type { ChainVerdict } from "./audit-format";

/** The verdict on an export file, and its header (what the export says about itself). */
export type OfflineVerdict = ChainVerdict & { header: ExportHeader };

/** Checks an export file with the chain's HMAC key and checkpoint public key. */
export async function verifyExportOffline(
  file: string,
  hmacKeyFile: string | undefined,
  publicKeyFile: string | undefined,
): Promise<OfflineVerdict> {
  if (hmacKeyFile === undefined || publicKeyFile === undefined)
    throw new CommandError(
      "--file needs the chain's keys: --hmac-key-file FILE (the audit HMAC key) and --public-key-file FILE (the PEM msp audit public-key prints)",
    );
  const exportPath = readableFile(file, "--file", "the export");
  const hmacPath = readableFile(hmacKeyFile, "--hmac-key-file", "the HMAC key");
  const pemPath = readableFile(publicKeyFile, "--public-key-file", "the public key");
  let result: ExportVerifyResult;
  try {
    const hmacKey = readHmacKeyFile(hmacPath, "--hmac-key-file");
    const publicKey = parsePublicKey(readFileSync(pemPath, "utf8"), "--public-key-file");
    result = await verifyExportFile(exportPath, { hmacKey, publicKey });
  } catch (error) {
    throw offlineError(error, exportPath);
  }
  return {
    ok: result.ok,
    checkedEvents: result.checkedEvents,
    checkedCheckpoints: result.checkedCheckpoints,
    firstSeq: result.firstSeq ?? 0,
    lastSeq: result.lastSeq ?? 0,
    lastCheckpointSeq: result.lastCheckpointSeq ?? 0,
    unanchoredEvents: result.unanchoredEvents,
    failure: result.failure ? { seq: result.failure.seq, problem: result.failure.problem, detail: result.failure.detail } : null,
    header: result.header,
  };
}

/** The absolute path of a file that exists and can be read, or a CommandError naming the option. */
function readableFile(path: string, option: string, what: string): string {
  if (path.trim() === "") throw new CommandError(`${option}: give the path of ${what}`);
  const absolute = resolve(path.trim());
  let isFile: boolean;
  try {
    isFile = statSync(absolute).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CommandError(
      code === "ENOENT" ? `${option}: no such file ${absolute}` : `${option}: cannot read ${absolute} (${code ?? String(error)})`,
      "not_found",
    );
  }
  if (!isFile) throw new CommandError(`${option}: ${absolute} is not a file`);
  return absolute;
}

/**
 * A key that does not fit or does not match the export's header, a key file that cannot be read
 * (or that others may read), an export that cannot be read or holds a malformed line: one line
 * saying so (a CommandError); anything else unchanged.
 */
function offlineError(error: unknown, exportPath: string): unknown {
  if (error instanceof CommandError) return error;
  if (error instanceof AuditKeyError) return new CommandError(error.message, error.code);
  if (error instanceof AuditExportError)
    return new CommandError(error.message.includes(exportPath) ? error.message : `${exportPath}: ${error.message}`, error.code);
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  if (error instanceof Error && typeof code === "string" && /^E[A-Z]+$/.test(code))
    return new CommandError(`cannot read ${exportPath}: ${error.message}`, "unreadable");
  return error;
}
