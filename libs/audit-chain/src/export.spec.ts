import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuditKeyError } from "./audit-key-error";
import type { ChainAnchor, ChainEvent, Checkpoint } from "./event";
import { AuditExportError, checkpointLine, eventLine, exportHeaderLine, parseExportLine, verifyExportFile } from "./export";
import { hmacKeyId, publicKeyId } from "./keys";
import { anchorAt, chainOf, checkpointsOf, hmacKey, otherHmacKey, otherSigningKeys, signingKeys } from "./spec-fixtures";

const events = chainOf(2500);
const checkpoints = checkpointsOf(events, 500);
const keys = { hmacKey, publicKey: signingKeys.publicKey };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "audit-export-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface ExportParts {
  events?: readonly ChainEvent[];
  checkpoints?: readonly Checkpoint[];
  anchor?: ChainAnchor | null;
  fromSeq?: number;
  toSeq?: number;
  where?: "after-event" | "end" | "start";
}

/** Export lines as the audit service writes them (checkpoints after their event, unless told otherwise). */
function exportLines(parts: ExportParts = {}): string[] {
  const chain = parts.events ?? events;
  const cps = parts.checkpoints ?? checkpoints;
  const header = exportHeaderLine({
    exportedAt: new Date(Date.UTC(2025, 5, 1)),
    fromSeq: parts.fromSeq ?? chain[0]?.seq ?? 1,
    toSeq: parts.toSeq ?? chain[chain.length - 1]?.seq ?? 0,
    anchor: parts.anchor ?? null,
    hmacKeyId: hmacKeyId(hmacKey),
    publicKeyId: publicKeyId(signingKeys.publicKey),
  });
  const where = parts.where ?? "after-event";
  const body: string[] = [];
  for (const e of chain) {
    body.push(eventLine(e));
    if (where === "after-event") for (const cp of cps.filter((c) => c.seq === e.seq)) body.push(checkpointLine(cp));
  }
  const cpLines = cps.map(checkpointLine);
  if (where === "start") return [header, ...cpLines, ...body];
  if (where === "end") return [header, ...body, ...cpLines];
  return [header, ...body];
}

let fileCount = 0;
function writeExport(lines: readonly string[], ending = "\n"): string {
  const path = join(dir, `export-${++fileCount}.jsonl`);
  writeFileSync(path, lines.join(ending) + ending);
  return path;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("export lines", () => {
  it("write every field and parse back to the same values", () => {
    const e = events[41]!;
    expect(parseExportLine(eventLine(e), 3)).toEqual({ type: "event", event: e });
    const cp = checkpoints[0]!;
    expect(parseExportLine(checkpointLine(cp), 4)).toEqual({ type: "checkpoint", checkpoint: cp });
    expect(JSON.parse(eventLine(e))).toMatchObject({ type: "event", seq: 42, occurredAt: e.occurredAt.toISOString() });
  });

  it("write the header in the documented shape", () => {
    const line = exportHeaderLine({
      exportedAt: new Date(Date.UTC(2025, 0, 1)),
      fromSeq: 1001,
      toSeq: 2000,
      anchor: { seq: 1000, hash: "a".repeat(64) },
      hmacKeyId: "0123456789abcdef",
      publicKeyId: "fedcba9876543210",
    });
    expect(line).toBe(
      `{"format":"msp-audit-export","version":1,"exportedAt":"2025-01-01T00:00:00.000Z","fromSeq":1001,"toSeq":2000,` +
        `"anchor":{"seq":1000,"hash":"${"a".repeat(64)}"},"hmacKeyId":"0123456789abcdef","publicKeyId":"fedcba9876543210"}`,
    );
    expect(parseExportLine(line, 1)).toMatchObject({ type: "header", header: { fromSeq: 1001, anchor: { seq: 1000 } } });
  });

  it.each([
    ["{not json", /^line 7: not valid JSON/],
    ["[1,2]", /^line 7: expected a JSON object$/],
    ['{"type":"note"}', /^line 7: field "type" must be "event" or "checkpoint"/],
    ['{"seq":1}', /^line 7: field "type" is missing/],
  ])("name the line for %s", (text, message) => {
    expect(() => parseExportLine(text, 7)).toThrow(message);
  });

  it("name the line and the field of a missing, mistyped or unknown field", () => {
    const line = JSON.parse(eventLine(events[0]!)) as Record<string, unknown>;
    const variants: [Record<string, unknown>, string][] = [
      [{ ...line, outcome: undefined }, 'line 9: field "outcome" is missing'],
      [{ ...line, seq: "1" }, 'line 9: field "seq" must be an integer >= 1'],
      [{ ...line, resourceId: 5 }, 'line 9: field "resourceId" must be a string or null'],
      [{ ...line, occurredAt: "yesterday" }, 'line 9: field "occurredAt" must be an ISO 8601 UTC timestamp'],
      [{ ...line, occurredAt: "2025-01-02T03:04:05Z" }, 'line 9: field "occurredAt" must be an ISO 8601 UTC timestamp'],
      [{ ...line, note: "hi" }, 'line 9: field "note" is not a field of an event'],
    ];
    for (const [record, message] of variants) {
      const error = (() => {
        try {
          parseExportLine(JSON.stringify(record), 9);
        } catch (caught) {
          return caught as AuditExportError;
        }
        throw new Error("expected an error");
      })();
      expect(error).toBeInstanceOf(AuditExportError);
      expect(error.code).toBe("malformed_line");
      expect(error.lineNumber).toBe(9);
      expect(error.message).toContain(message);
    }
  });

  it("refuse a header of another version or with an inconsistent anchor", () => {
    const header = JSON.parse(exportLines()[0]!) as Record<string, unknown>;
    expect(() => parseExportLine(JSON.stringify({ ...header, version: 2 }), 1)).toThrow(
      /field "version" is 2; this verifier reads version 1/,
    );
    expect(() => parseExportLine(JSON.stringify({ ...header, fromSeq: 5 }), 1)).toThrow(/field "anchor" is null, but fromSeq is 5/);
    expect(() => parseExportLine(JSON.stringify({ ...header, anchor: { seq: 0, hash: "x" } }), 1)).toThrow(/field "anchor.seq"/);
    expect(() => parseExportLine(JSON.stringify({ ...header, hmacKeyId: "secret" }), 1)).toThrow(/field "hmacKeyId" must be 16/);
  });
});

describe("verifyExportFile", () => {
  it.each(["after-event", "start", "end"] as const)("verifies an intact export with checkpoints at the %s", async (where) => {
    const result = await verifyExportFile(writeExport(exportLines({ where })), keys);
    expect(result).toMatchObject({ ok: true, checkedEvents: 2500, checkedCheckpoints: 5, lastSeq: 2500, failure: null });
    expect(result.header).toMatchObject({ format: "msp-audit-export", fromSeq: 1, toSeq: 2500, anchor: null });
  });

  it("accepts CRLF line endings and blank lines", async () => {
    const lines = exportLines();
    lines.splice(10, 0, "", "  ");
    expect((await verifyExportFile(writeExport(lines, "\r\n"), keys)).ok).toBe(true);
  });

  it("verifies an export of a pruned chain from its anchor and kept checkpoint", async () => {
    const lines = exportLines({ events: events.slice(1000), anchor: anchorAt(events, 1000), where: "after-event" });
    lines.splice(1, 0, checkpointLine(checkpoints[1]!));
    const result = await verifyExportFile(writeExport(lines), { ...keys, maxEventsBetweenCheckpoints: 500 });
    expect(result).toMatchObject({ ok: true, checkedEvents: 1500, firstSeq: 1001, checkedCheckpoints: 4 });
  });

  it("reports a tampered line at its seq", async () => {
    const lines = exportLines();
    const line = JSON.parse(lines[1234]!) as Record<string, unknown>;
    lines[1234] = JSON.stringify({ ...line, principal: "user:nobody" });
    const result = await verifyExportFile(writeExport(lines), keys);
    expect(result).toMatchObject({ ok: false, failure: { seq: line.seq, problem: "hash_mismatch" } });
  });

  it("reports a deleted event line as a gap and a truncated file as missing events", async () => {
    const lines = exportLines({ where: "end" });
    const gap = await verifyExportFile(writeExport(lines.filter((_, i) => i !== 100)), keys);
    expect(gap.failure).toMatchObject({ seq: 100, problem: "seq_gap" });
    const truncated = await verifyExportFile(
      writeExport(exportLines({ toSeq: 2500, events: events.slice(0, 2400), checkpoints: [] })),
      keys,
    );
    expect(truncated.failure).toMatchObject({ seq: 2401, problem: "missing_events" });
    expect(truncated.failure?.detail).toContain("should reach seq 2500");
  });

  it("rejects a malformed line naming its number", async () => {
    const lines = exportLines();
    lines[16] = '{"type":"event","seq":';
    const error = await rejection(verifyExportFile(writeExport(lines), keys));
    expect(error).toBeInstanceOf(AuditExportError);
    expect((error as AuditExportError).lineNumber).toBe(17);
    expect(error.message).toMatch(/^line 17: not valid JSON/);
  });

  it("rejects an event beyond the header's range, a second header and a file without a header", async () => {
    const beyond = exportLines({ toSeq: 2000 });
    expect((await rejection(verifyExportFile(writeExport(beyond), keys))).message).toMatch(/event 2001 is beyond the header's toSeq 2000/);
    const twice = exportLines();
    twice.splice(5, 0, twice[0]!);
    expect((await rejection(verifyExportFile(writeExport(twice), keys))).message).toBe("line 6: a second header");
    const headless = await rejection(verifyExportFile(writeExport(exportLines().slice(1)), keys));
    expect(headless).toMatchObject({ code: "bad_header", lineNumber: 1 });
    expect(headless.message).toBe("line 1: expected the export header, found an event");
    const empty = join(dir, "empty.jsonl");
    writeFileSync(empty, "");
    expect(await rejection(verifyExportFile(empty, keys))).toMatchObject({ code: "bad_header" });
  });

  it("rejects a file that cannot be opened", async () => {
    const error = await rejection(verifyExportFile(join(dir, "missing.jsonl"), keys));
    expect(error).toMatchObject({ code: "unreadable_file" });
    expect(error.message).toContain("ENOENT");
  });

  it("fails early, naming the key, when the keys given are not the export's", async () => {
    const path = writeExport(exportLines());
    const wrongHmac = await rejection(verifyExportFile(path, { ...keys, hmacKey: otherHmacKey }));
    expect(wrongHmac).toBeInstanceOf(AuditKeyError);
    expect(wrongHmac).toMatchObject({ code: "key_mismatch" });
    expect(wrongHmac.message).toContain(`the HMAC key given (id ${hmacKeyId(otherHmacKey)})`);
    expect(wrongHmac.message).not.toContain("public key given");
    const wrongPublic = await rejection(verifyExportFile(path, { ...keys, publicKey: otherSigningKeys.publicKey }));
    expect(wrongPublic.message).toContain("the public key given");
    expect(wrongPublic.message).not.toContain("HMAC key given");
  });
});
