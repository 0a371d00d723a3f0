import { isoTimestamp } from "./canonical";
import type { ChainAnchor, ChainEvent, Checkpoint } from "./event";

/** The `format` of an export's header line. */
export const EXPORT_FORMAT = "msp-audit-export";
/** The export format version this library writes and reads. */
export const EXPORT_VERSION = 1;

/**
 * Line 1 of an export: what range of the chain it holds and which keys it was made with (their
 * ids, never the keys). The range is fromSeq..toSeq; `anchor` is what event fromSeq links to
 * (null when fromSeq is 1 and it links to the genesis hash).
 */
export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: Date;
  fromSeq: number;
  toSeq: number;
  anchor: ChainAnchor | null;
  hmacKeyId: string;
  publicKeyId: string;
}

/** One parsed line of an export. */
export type ExportLine =
  | { type: "header"; header: ExportHeader }
  | { type: "event"; event: ChainEvent }
  | { type: "checkpoint"; checkpoint: Checkpoint };

/**
 * The header line (without its newline):
 * `{"format":"msp-audit-export","version":1,"exportedAt":ISO,"fromSeq":n,"toSeq":n,"anchor":{seq,hash}|null,"hmacKeyId":..,"publicKeyId":..}`.
 */
export function exportHeaderLine(header: Omit<ExportHeader, "format" | "version">): string {
  return JSON.stringify({
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: isoTimestamp(header.exportedAt),
    fromSeq: header.fromSeq,
    toSeq: header.toSeq,
    anchor: header.anchor === null ? null : { seq: header.anchor.seq, hash: header.anchor.hash },
    hmacKeyId: header.hmacKeyId,
    publicKeyId: header.publicKeyId,
  });
}

/** An event line (without its newline): `{"type":"event", ...every ChainEvent field, occurredAt in ISO}`. */
export function eventLine(e: ChainEvent): string {
  return JSON.stringify({
    type: "event",
    seq: e.seq,
    id: e.id,
    occurredAt: isoTimestamp(e.occurredAt),
    service: e.service,
    method: e.method,
    principal: e.principal,
    resourceType: e.resourceType,
    resourceId: e.resourceId,
    action: e.action,
    outcome: e.outcome,
    requestSummary: e.requestSummary,
    sourceIp: e.sourceIp,
    prevHash: e.prevHash,
    hash: e.hash,
  });
}

/**
 * A checkpoint line (without its newline): `{"type":"checkpoint",seq,hash,signedAt ISO,prevSeq,signature}`.
 * Written right after the event of the same seq by convention; readers accept it anywhere.
 */
export function checkpointLine(c: Checkpoint): string {
  return JSON.stringify({
    type: "checkpoint",
    seq: c.seq,
    hash: c.hash,
    signedAt: isoTimestamp(c.signedAt),
    prevSeq: c.prevSeq,
    signature: c.signature,
  });
}
