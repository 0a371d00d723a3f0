// `msp audit verify --file`: an export built with @msp/audit-chain in a temporary folder, checked
// by the command line in process, without a platform and without `msp setup`.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  appendEvents,
  checkpointLine,
  eventLine,
  exportHeaderLine,
  genesisHash,
  hmacKeyId,
  publicKeyId,
  publicKeyPem,
  signCheckpoint,
} from "@msp/audit-chain";
import type { ChainEvent, UnchainedEvent } from "@msp/audit-chain";
import { mspPaths } from "../local/msp-home";
import { msp } from "../test-support/fake-gateway";
import { tempDir } from "../test-support/temp-dirs";

interface Export {
  folder: string;
  file: string;
  hmacKeyFile: string;
  publicKeyFile: string;
  events: ChainEvent[];
}

function unchained(n: number): UnchainedEvent {
  return {
    id: `0193${String(n).padStart(4, "0")}-0000-7000-8000-000000000000`,
    occurredAt: new Date(Date.UTC(2026, 11, 1, 10, 0, n)),
    service: "vault-service",
    method: "msp.vault.v1.CredentialService/RevealCredential",
    principal: n === 3 ? "mike" : "anna",
    resourceType: "credential",
    resourceId: "01938a2b-0000-7000-8000-000000000001",
    action: "reveal",
    outcome: "ok",
    requestSummary: '{"reason":"reset the backup job"}',
    sourceIp: "10.0.0.5",
  };
}

/** Writes keys and an export of five events with a checkpoint at seq 4, as the audit service would. */
function writeExport(): Export {
  const folder = tempDir("msp-audit-export-");
  const hmacKey = randomBytes(32);
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const events = appendEvents(hmacKey, { seq: 0, hash: genesisHash }, [1, 2, 3, 4, 5].map(unchained));
  const checkpoint = signCheckpoint(privateKey, {
    seq: 4,
    hash: events[3]!.hash,
    signedAt: new Date(Date.UTC(2026, 11, 1, 10, 1)),
    prevSeq: 0,
  });
  const lines = [
    exportHeaderLine({
      exportedAt: new Date(Date.UTC(2026, 11, 2)),
      fromSeq: 1,
      toSeq: 5,
      anchor: null,
      hmacKeyId: hmacKeyId(hmacKey),
      publicKeyId: publicKeyId(publicKey),
    }),
    ...events.slice(0, 4).map(eventLine),
    checkpointLine(checkpoint),
    eventLine(events[4]!),
  ];
  const file = join(folder, "audit.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  const hmacKeyFile = join(folder, "audit-hmac.key");
  writeFileSync(hmacKeyFile, `${hmacKey.toString("base64")}\n`, { mode: 0o600 });
  chmodSync(hmacKeyFile, 0o600);
  const publicKeyFile = join(folder, "audit.pem");
  writeFileSync(publicKeyFile, publicKeyPem(publicKey));
  return { folder, file, hmacKeyFile, publicKeyFile, events };
}

/** `msp audit verify --file` with a config folder where `msp setup` never ran. */
function verifyFile(exported: Pick<Export, "file" | "hmacKeyFile" | "publicKeyFile">, ...extra: string[]) {
  const home = join(tempDir("msp-no-setup-"), "msp");
  return msp([
    "audit",
    "verify",
    "--file",
    exported.file,
    "--hmac-key-file",
    exported.hmacKeyFile,
    "--public-key-file",
    exported.publicKeyFile,
    "--home",
    home,
    ...extra,
  ]).then((result) => ({ ...result, home }));
}

describe("msp audit verify --file", () => {
  it("says a good export is intact, exit code 0, without a platform or msp setup", async () => {
    const exported = writeExport();
    const result = await verifyFile(exported);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(
      "chain intact: 5 events, 1 checkpoint (seq 1-5)\n" +
        "1 event after the last checkpoint (seq 4) is protected by the HMAC chain only, until the next checkpoint signs it\n",
    );
    expect(existsSync(mspPaths(result.home).config)).toBe(false);
    expect(existsSync(result.home)).toBe(false);

    const json = await verifyFile(exported, "--json");
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      checkedEvents: 5,
      checkedCheckpoints: 1,
      firstSeq: 1,
      lastSeq: 5,
      lastCheckpointSeq: 4,
      unanchoredEvents: 1,
      failure: null,
      header: { format: "msp-audit-export", fromSeq: 1, toSeq: 5 },
    });
  });

  it("finds a tampered event: broken at its seq, exit code 1", async () => {
    const exported = writeExport();
    const text = readFileSync(exported.file, "utf8");
    const tampered = text.replace('"principal":"mike"', '"principal":"eve"');
    expect(tampered).not.toBe(text);
    writeFileSync(exported.file, tampered);
    const result = await verifyFile(exported);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(
      /^chain BROKEN at seq 3: an event does not match its hash \(it was edited, or the HMAC key is not the chain's\): \S.*\n$/,
    );

    const json = await verifyFile(exported, "--json");
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, failure: { seq: 3, problem: "hash_mismatch" } });
  });

  it("finds a deleted event", async () => {
    const exported = writeExport();
    const lines = readFileSync(exported.file, "utf8").split("\n");
    writeFileSync(exported.file, lines.filter((line) => !line.includes('"seq":2,')).join("\n"));
    const result = await verifyFile(exported);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^chain BROKEN at seq 2: /);
  });

  it("refuses keys that are not the ones the export names", async () => {
    const exported = writeExport();
    const other = writeExport();
    const hmac = await verifyFile({ ...exported, hmacKeyFile: other.hmacKeyFile });
    expect(hmac.exitCode).toBe(1);
    expect(hmac.stdout).toBe("");
    expect(hmac.stderr).toMatch(/^msp: the HMAC key given \(id [0-9a-f]{16}\) is not the one the export was made with/);
    expect(hmac.stderr.trim().split("\n")).toHaveLength(1);

    const pem = await verifyFile({ ...exported, publicKeyFile: other.publicKeyFile });
    expect(pem.exitCode).toBe(1);
    expect(pem.stderr).toMatch(/^msp: the public key given \(id [0-9a-f]{16}\) is not the one the export names/);
  });

  it("names the option of a missing file, a key that is not one, or a key file others may read", async () => {
    const exported = writeExport();
    const missing = await verifyFile({ ...exported, file: join(exported.folder, "nope.jsonl") });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^msp: --file: no such file .*nope\.jsonl\n$/);

    const noKey = await verifyFile({ ...exported, hmacKeyFile: join(exported.folder, "nope.key") });
    expect(noKey.stderr).toMatch(/^msp: --hmac-key-file: no such file .*nope\.key\n$/);

    const swapped = await verifyFile({ ...exported, publicKeyFile: exported.hmacKeyFile });
    expect(swapped.exitCode).toBe(1);
    expect(swapped.stderr).toMatch(/^msp: --public-key-file .*public key in PEM.*; it is not PEM text\n$/);

    chmodSync(exported.hmacKeyFile, 0o644);
    const open = await verifyFile(exported);
    expect(open.exitCode).toBe(1);
    expect(open.stderr).toMatch(/accessible to group or others \(mode 644\); run `chmod 600 .*audit-hmac\.key`/);
  });

  it("says which line of a malformed export is wrong", async () => {
    const exported = writeExport();
    writeFileSync(exported.file, `${readFileSync(exported.file, "utf8")}{not json\n`);
    const result = await verifyFile(exported);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^msp: .*line 8: not valid JSON/);
  });
});
