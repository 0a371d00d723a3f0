import type { KeyObject } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";
import { createInterface } from "node:readline";
import { AuditKeyError } from "./audit-key-error";
import type { ChainEvent } from "./event";
import { AuditExportError } from "./export-error";
import type { ExportHeader } from "./export-lines";
import { parseExportLine } from "./export-parse";
import { describeIoError } from "./key-file";
import { hmacKeyId, publicKeyId } from "./keys";
import { ChainVerifier } from "./verify";
import type { VerifyResult } from "./verify-result";

export * from "./export-error";
export * from "./export-lines";
export * from "./export-parse";

/** The keys an operator trusts to verify an export with, and the rules to apply. */
export interface ExportVerifyOptions {
  hmacKey: Buffer;
  publicKey: KeyObject;
  /** As for ChainVerifier: the most events allowed between checkpoints; undefined disables the rule. */
  maxEventsBetweenCheckpoints?: number | undefined;
}

/** The verdict on an export file, with its header. */
export type ExportVerifyResult = VerifyResult & { header: ExportHeader };

/** Bytes read at a time: large reads keep the verifier busy rather than waiting on the disk. */
const READ_CHUNK_BYTES = 1 << 20;

/** Events handed to the verifier at a time: its look-ahead, which tells swapped events from missing ones. */
const EVENTS_PER_PAGE = 1000;

/**
 * Verifies an export file offline, streaming it line by line (memory stays small whatever its
 * size, besides 32 bytes per event for matching checkpoints). The keys given are the ones
 * trusted: when the header names other key ids, it fails at once saying which key does not
 * match (an AuditKeyError, `key_mismatch`). A file that cannot be read or holds a malformed line
 * rejects with an AuditExportError naming the line; a well-formed file whose chain is broken
 * resolves with `ok: false` and the first failure. Events must be in seq order; checkpoint lines
 * may be anywhere. Events short of the header's toSeq are `missing_events`.
 */
export async function verifyExportFile(path: string, options: ExportVerifyOptions): Promise<ExportVerifyResult> {
  const file = await openExport(path);
  const input = file.createReadStream({ autoClose: false, highWaterMark: READ_CHUNK_BYTES });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let header: ExportHeader | null = null;
  let verifier: ChainVerifier | null = null;
  let page: ChainEvent[] = [];
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber += 1;
      if (header === null || verifier === null) {
        header = parseHeaderLine(text, lineNumber);
        requireMatchingKeys(header, options);
        verifier = new ChainVerifier({
          hmacKey: options.hmacKey,
          publicKey: options.publicKey,
          anchor: header.anchor,
          maxEventsBetweenCheckpoints: options.maxEventsBetweenCheckpoints,
          expectedLastSeq: header.toSeq,
        });
        continue;
      }
      if (text.trim() === "") continue;
      const line = parseExportLine(text, lineNumber);
      if (line.type === "header") throw new AuditExportError("malformed_line", lineNumber, `line ${lineNumber}: a second header`);
      if (line.type === "checkpoint") {
        verifier.addCheckpoints([line.checkpoint]);
        continue;
      }
      if (line.event.seq > header.toSeq) {
        throw new AuditExportError(
          "malformed_line",
          lineNumber,
          `line ${lineNumber}: event ${line.event.seq} is beyond the header's toSeq ${header.toSeq}`,
        );
      }
      page.push(line.event);
      if (page.length === EVENTS_PER_PAGE) {
        verifier.addEvents(page);
        page = [];
      }
    }
  } catch (error) {
    if (error instanceof AuditExportError || error instanceof AuditKeyError || !isIoError(error)) throw error;
    throw new AuditExportError("unreadable_file", null, `cannot read the export ${path} (${describeIoError(error)})`, { cause: error });
  } finally {
    lines.close();
    input.destroy();
    await file.close();
  }
  if (header === null || verifier === null) {
    throw new AuditExportError("bad_header", 1, `the export ${path} is empty: line 1 must be the export header`);
  }
  verifier.addEvents(page);
  return { ...verifier.finish(), header };
}

function isIoError(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string";
}

async function openExport(path: string): Promise<FileHandle> {
  try {
    return await open(path, "r");
  } catch (error) {
    throw new AuditExportError("unreadable_file", null, `cannot open the export ${path} (${describeIoError(error)})`, { cause: error });
  }
}

function parseHeaderLine(text: string, lineNumber: number): ExportHeader {
  let line;
  try {
    line = parseExportLine(text, lineNumber);
  } catch (error) {
    if (!(error instanceof AuditExportError)) throw error;
    throw new AuditExportError("bad_header", lineNumber, `${error.message} (line 1 must be the export header)`, { cause: error });
  }
  if (line.type !== "header") {
    throw new AuditExportError(
      "bad_header",
      lineNumber,
      `line ${lineNumber}: expected the export header, found ${line.type === "event" ? "an event" : "a checkpoint"}`,
    );
  }
  return line.header;
}

/** Throws `key_mismatch` naming each key given that is not the one the export was made with. */
function requireMatchingKeys(header: ExportHeader, options: ExportVerifyOptions): void {
  const problems: string[] = [];
  const givenHmac = hmacKeyId(options.hmacKey);
  if (givenHmac !== header.hmacKeyId) {
    problems.push(`the HMAC key given (id ${givenHmac}) is not the one the export was made with (id ${header.hmacKeyId})`);
  }
  const givenPublic = publicKeyId(options.publicKey);
  if (givenPublic !== header.publicKeyId) {
    problems.push(`the public key given (id ${givenPublic}) is not the one the export names (id ${header.publicKeyId})`);
  }
  if (problems.length > 0) {
    throw new AuditKeyError(
      "key_mismatch",
      `${problems.join("; ")}: pass the audit service's own key files (an export made with another key cannot be trusted with these)`,
    );
  }
}
