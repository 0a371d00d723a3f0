import { isoTimestamp } from "./canonical";
import { isChainHash } from "./chain";
import type { ChainAnchor, ChainEvent, Checkpoint } from "./event";
import { AuditExportError } from "./export-error";
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportHeader, type ExportLine } from "./export-lines";

const KEY_ID = /^[0-9a-f]{16}$/;
const HEADER_FIELDS = new Set(["format", "version", "exportedAt", "fromSeq", "toSeq", "anchor", "hmacKeyId", "publicKeyId"]);
const EVENT_FIELDS = new Set([
  "type",
  "seq",
  "id",
  "occurredAt",
  "service",
  "method",
  "principal",
  "resourceType",
  "resourceId",
  "action",
  "outcome",
  "requestSummary",
  "sourceIp",
  "prevHash",
  "hash",
]);
const CHECKPOINT_FIELDS = new Set(["type", "seq", "hash", "signedAt", "prevSeq", "signature"]);

/**
 * Parses one line of an export: the header (recognised by its `format` field), an event or a
 * checkpoint. Throws an AuditExportError naming the line number and the field for anything
 * malformed (not JSON, a missing, unknown or mistyped field, a timestamp not in ISO form); it
 * does not judge hashes or signatures, which is the verifier's job.
 */
export function parseExportLine(text: string, lineNumber: number): ExportLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AuditExportError("malformed_line", lineNumber, `line ${lineNumber}: not valid JSON (${describe(error)})`, { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AuditExportError("malformed_line", lineNumber, `line ${lineNumber}: expected a JSON object`);
  }
  const fields = new LineFields(value as Record<string, unknown>, lineNumber);
  if ("format" in value) return { type: "header", header: parseHeader(fields) };
  const type = fields.get("type");
  if (type === "event") return { type: "event", event: parseEvent(fields) };
  if (type === "checkpoint") return { type: "checkpoint", checkpoint: parseCheckpoint(fields) };
  return fields.fail("type", 'must be "event" or "checkpoint" (or the line must be the header)');
}

function parseEvent(fields: LineFields): ChainEvent {
  fields.onlyKnown(EVENT_FIELDS, "an event");
  return {
    seq: fields.integer("seq", 1),
    id: fields.string("id"),
    occurredAt: fields.timestamp("occurredAt"),
    service: fields.string("service"),
    method: fields.string("method"),
    principal: fields.string("principal"),
    resourceType: fields.string("resourceType"),
    resourceId: fields.stringOrNull("resourceId"),
    action: fields.string("action"),
    outcome: fields.string("outcome"),
    requestSummary: fields.stringOrNull("requestSummary"),
    sourceIp: fields.stringOrNull("sourceIp"),
    prevHash: fields.string("prevHash"),
    hash: fields.string("hash"),
  };
}

function parseCheckpoint(fields: LineFields): Checkpoint {
  fields.onlyKnown(CHECKPOINT_FIELDS, "a checkpoint");
  return {
    seq: fields.integer("seq", 1),
    hash: fields.string("hash"),
    signedAt: fields.timestamp("signedAt"),
    prevSeq: fields.integer("prevSeq", 0),
    signature: fields.string("signature"),
  };
}

function parseHeader(fields: LineFields): ExportHeader {
  if (fields.get("format") !== EXPORT_FORMAT) fields.fail("format", `must be "${EXPORT_FORMAT}"`);
  const version = fields.get("version");
  if (version !== EXPORT_VERSION) {
    fields.fail("version", `is ${JSON.stringify(version)}; this verifier reads version ${EXPORT_VERSION} exports`);
  }
  fields.onlyKnown(HEADER_FIELDS, "the header");
  const fromSeq = fields.integer("fromSeq", 1);
  const toSeq = fields.integer("toSeq", fromSeq - 1);
  const anchor = parseAnchor(fields);
  if (anchor === null && fromSeq !== 1)
    fields.fail("anchor", `is null, but fromSeq is ${fromSeq}: only an export from seq 1 starts at genesis`);
  if (anchor !== null && anchor.seq !== fromSeq - 1)
    fields.fail("anchor", `has seq ${anchor.seq}; it must be fromSeq - 1 (${fromSeq - 1})`);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: fields.timestamp("exportedAt"),
    fromSeq,
    toSeq,
    anchor,
    hmacKeyId: fields.matching("hmacKeyId", KEY_ID, "16 lower-case hex digits"),
    publicKeyId: fields.matching("publicKeyId", KEY_ID, "16 lower-case hex digits"),
  };
}

function parseAnchor(fields: LineFields): ChainAnchor | null {
  const anchor = fields.get("anchor");
  if (anchor === null) return null;
  if (typeof anchor !== "object" || Array.isArray(anchor)) {
    return fields.fail("anchor", "must be null or an object {seq, hash}");
  }
  const { seq, hash, ...rest } = anchor as Record<string, unknown>;
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) fields.fail("anchor.seq", "must be an integer >= 1");
  if (!isChainHash(hash)) fields.fail("anchor.hash", "must be 64 lower-case hex digits");
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) fields.fail(`anchor.${extra}`, "is not a field of the anchor");
  return { seq: seq as number, hash };
}

/** Reads the fields of one line, throwing errors that name the line and the field. */
class LineFields {
  constructor(
    private readonly record: Record<string, unknown>,
    private readonly lineNumber: number,
  ) {}

  get(name: string): unknown {
    return this.record[name];
  }

  fail(field: string, rule: string): never {
    const problem = field in this.record || field.includes(".") ? rule : "is missing";
    throw new AuditExportError("malformed_line", this.lineNumber, `line ${this.lineNumber}: field "${field}" ${problem}`);
  }

  onlyKnown(known: ReadonlySet<string>, what: string): void {
    for (const name of Object.keys(this.record)) {
      if (!known.has(name)) {
        throw new AuditExportError("malformed_line", this.lineNumber, `line ${this.lineNumber}: field "${name}" is not a field of ${what}`);
      }
    }
  }

  string(name: string): string {
    const value = this.record[name];
    return typeof value === "string" ? value : this.fail(name, "must be a string");
  }

  stringOrNull(name: string): string | null {
    const value = this.record[name];
    return typeof value === "string" || value === null ? value : this.fail(name, "must be a string or null");
  }

  integer(name: string, min: number): number {
    const value = this.record[name];
    return Number.isSafeInteger(value) && (value as number) >= min ? (value as number) : this.fail(name, `must be an integer >= ${min}`);
  }

  matching(name: string, pattern: RegExp, rule: string): string {
    const value = this.record[name];
    return typeof value === "string" && pattern.test(value) ? value : this.fail(name, `must be ${rule}`);
  }

  /** A timestamp written as `Date.toISOString()` writes it (2024-01-02T03:04:05.678Z). */
  timestamp(name: string): Date {
    const value = this.record[name];
    if (typeof value === "string") {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime()) && isoTimestamp(date) === value) return date;
    }
    return this.fail(name, "must be an ISO 8601 UTC timestamp such as 2024-01-02T03:04:05.678Z");
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
