// Stored ciphertexts altered with SQL, as someone with write access to the database could: moved to
// another row, table or field, a bit flipped, relabelled with another key. Each reveal must fail
// closed (FAILED_PRECONDITION, nothing revealed, the failure in the access log and the audit log),
// and the rewrap job must leave such rows as they are while it moves the others.
import { randomBytes } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { call, expectStatus, withSlowness } from "@msp/testing";
import { Credential, CredentialType } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { Integration, IntegrationCredential, IntegrationCredentialType } from "@msp/proto/src/gen/ts/msp/vault/v1/integration_credential";
import { KeyStatus } from "@msp/proto/src/gen/ts/msp/vault/v1/key";
import type { LoggedVault } from "./logged-vault";
import { eventually, startLoggedVault } from "./logged-vault";

// Generous budgets for a slow machine: tests wait for work to be done, never for time to pass.
jest.setTimeout(withSlowness(120_000));

let stack: LoggedVault;
beforeAll(async () => {
  stack = await startLoggedVault();
}, 300_000);
afterAll(() => stack?.stop(), 120_000);

/** Every plaintext given to the vault in this file: none may show in an error. */
const plaintexts: string[] = [];
const secretOf = (label: string) => {
  const secret = `${label}-${randomBytes(18).toString("base64url")}`;
  plaintexts.push(secret);
  return secret;
};

type Row = Record<string, string | null>;
const sealedColumns = {
  credentials: ["secret", "secret_nonce", "key_id"],
  credential_versions: ["secret", "secret_nonce", "key_id"],
  integration_credentials: [
    "secret",
    "secret_nonce",
    "refresh_token",
    "refresh_token_nonce",
    "webhook_secret",
    "webhook_secret_nonce",
    "key_id",
  ],
} as const;
type SealedTable = keyof typeof sealedColumns;

async function sealed(table: SealedTable, id: string): Promise<Row> {
  const [row] = await stack.vault.service.db.select<Row>(`SELECT ${sealedColumns[table].join(", ")} FROM ${table} WHERE id = ?`, [id]);
  if (!row) throw new Error(`no ${table} row ${id}`);
  return { ...row };
}

/** The tampering: an UPDATE straight on the database, behind the service's back. */
async function tamper(table: SealedTable, id: string, values: Row): Promise<void> {
  const names = Object.keys(values);
  await stack.vault.service.db.sequelize.query(`UPDATE ${table} SET ${names.map((n) => `${n} = ?`).join(", ")} WHERE id = ?`, {
    replacements: [...names.map((n) => values[n] ?? null), id],
  });
}

/** The base64 value with one bit flipped. */
function flipBit(base64: string | null, bit: number): string {
  const bytes = Buffer.from(base64 ?? "", "base64");
  bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return bytes.toString("base64");
}

async function count(table: string, where: string, params: unknown[]): Promise<number> {
  const rows = await stack.vault.service.db.select<{ n: number | bigint }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, params);
  return Number(rows[0]?.n);
}

async function createCredential(label: string): Promise<{ id: string; secret: string }> {
  const secret = secretOf(label);
  const made = await call(stack.credentials, "createCredential", {
    credential: Credential.fromPartial({
      name: `tamper ${label}`,
      credentialType: CredentialType.CREDENTIAL_TYPE_PASSWORD,
      username: label,
    }),
    secret,
  });
  return { id: made.id, secret };
}

async function rotate(id: string, label: string): Promise<string> {
  const secret = secretOf(label);
  await call(stack.credentials, "rotateCredentialSecret", { id, secret, reason: "tamper test" });
  return secret;
}

/**
 * Expects `reveal` to fail closed for `credentialId`: FAILED_PRECONDITION saying the stored secret
 * cannot be decrypted, no plaintext in the error, one more failed audit event and (for
 * credentials) one more failed access-log row, themselves free of plaintext.
 */
async function expectFailsClosed(reveal: () => Promise<unknown>, credentialId: string, accessLog = true): Promise<void> {
  const where = "resource_id = ? AND action = 'reveal' AND outcome = 'failed'";
  const auditBefore = await count("audit_outbox", where, [credentialId]);
  const logBefore = await count("credential_access_log", "credential_id = ? AND outcome = 'failed'", [credentialId]);
  const error = await expectStatus(reveal(), status.FAILED_PRECONDITION, /cannot be decrypted/);
  expect(error.details).toMatch(/altered, moved or its key is missing; nothing was revealed/);
  const text = `${error.message} ${error.details} ${JSON.stringify(error.metadata.getMap())}`;
  expect(plaintexts.filter((p) => text.includes(p))).toEqual([]);
  expect(await count("audit_outbox", where, [credentialId])).toBe(auditBefore + 1);
  expect(await count("credential_access_log", "credential_id = ? AND outcome = 'failed'", [credentialId])).toBe(
    logBefore + (accessLog ? 1 : 0),
  );
  const records = [
    ...(await stack.vault.service.db.select("SELECT * FROM audit_outbox WHERE resource_id = ?", [credentialId])),
    ...(await stack.vault.service.db.select("SELECT * FROM credential_access_log WHERE credential_id = ?", [credentialId])),
  ];
  const stored = JSON.stringify(records);
  expect(plaintexts.filter((p) => stored.includes(p))).toEqual([]);
}

const reveal = (id: string) => () => call(stack.credentials, "revealCredential", { id, reason: "tamper check" });

/** Rows tampered with, by table: the rewrap must leave them exactly as they are. */
const tampered: { table: SealedTable; id: string; label: string }[] = [];
/** Rows left alone, with their secrets: the rewrap must move them and they must still reveal. */
const intact: { id: string; secret: string }[] = [];
let versionOfIntact: { credentialId: string; secret: string } | undefined;

describe("a tampered ciphertext never reveals", () => {
  it("(a) credential A's secret, nonce and key copied onto credential B: B fails, A still reveals", async () => {
    const a = await createCredential("alpha");
    const b = await createCredential("bravo");
    const fromA = await sealed("credentials", a.id);
    await tamper("credentials", b.id, fromA);
    await expectFailsClosed(reveal(b.id), b.id);
    const [failure] = await stack.vault.service.db.select<{ detail: string; action: string; version: number }>(
      "SELECT detail, action, version FROM credential_access_log WHERE credential_id = ? AND outcome = 'failed'",
      [b.id],
    );
    expect(failure).toMatchObject({ action: "reveal", version: 1 });
    expect(failure?.detail).toMatch(/cannot decrypt credentials\.secret/);
    const revealedA = await call(stack.credentials, "revealCredential", { id: a.id, reason: "still fine" });
    expect(revealedA.secret).toBe(a.secret);
    tampered.push({ table: "credentials", id: b.id, label: "B with A's secret" });
    intact.push(a);
  });

  it("(b) a credential's ciphertext copied into a credential_versions row: revealing that version fails", async () => {
    const c = await createCredential("charlie");
    const currentC = await rotate(c.id, "charlie2");
    const d = await createCredential("delta");
    const [version] = await stack.vault.service.db.select<{ id: string }>(
      "SELECT id FROM credential_versions WHERE credential_id = ? AND version = 1",
      [c.id],
    );
    const versionId = version?.id ?? "";
    await tamper("credential_versions", versionId, await sealed("credentials", d.id));
    await expectFailsClosed(
      () => call(stack.credentials, "revealCredentialVersion", { credentialId: c.id, version: 1, reason: "audit" }),
      c.id,
    );
    // The current secret of C and D are untouched.
    expect((await call(stack.credentials, "revealCredential", { id: c.id, reason: "still fine" })).secret).toBe(currentC);
    tampered.push({ table: "credential_versions", id: versionId, label: "C's version 1 holding D's secret" });
    intact.push({ id: c.id, secret: currentC }, d);
  });

  it("(b') a version's ciphertext copied back onto its credential's row (another table): fails", async () => {
    const e = await createCredential("echo");
    const first = e.secret;
    await rotate(e.id, "echo2");
    const [version] = await stack.vault.service.db.select<Row>(
      "SELECT secret, secret_nonce, key_id FROM credential_versions WHERE credential_id = ? AND version = 1",
      [e.id],
    );
    await tamper("credentials", e.id, { ...version });
    await expectFailsClosed(reveal(e.id), e.id);
    // The version itself still opens where it belongs.
    const old = await call(stack.credentials, "revealCredentialVersion", { credentialId: e.id, version: 1, reason: "audit" });
    expect(old.secret).toBe(first);
    tampered.push({ table: "credentials", id: e.id, label: "E holding its version's ciphertext" });
    versionOfIntact = { credentialId: e.id, secret: first };
  });

  it("(c) one bit of the ciphertext flipped: fails", async () => {
    const f = await createCredential("foxtrot");
    const row = await sealed("credentials", f.id);
    await tamper("credentials", f.id, { secret: flipBit(row["secret"] ?? null, 3) });
    await expectFailsClosed(reveal(f.id), f.id);
    tampered.push({ table: "credentials", id: f.id, label: "F with a flipped ciphertext bit" });
  });

  it("(d) one bit of the nonce flipped: fails", async () => {
    const g = await createCredential("golf");
    const row = await sealed("credentials", g.id);
    await tamper("credentials", g.id, { secret_nonce: flipBit(row["secret_nonce"] ?? null, 70) });
    await expectFailsClosed(reveal(g.id), g.id);
    tampered.push({ table: "credentials", id: g.id, label: "G with a flipped nonce bit" });
  });

  it("an integration credential's refresh token moved into its secret field: fails, audited as failed", async () => {
    const secrets = { secret: secretOf("india-secret"), refreshToken: secretOf("india-refresh"), webhookSecret: secretOf("india-hook") };
    const made = await call(stack.integrations, "createIntegrationCredential", {
      integrationCredential: IntegrationCredential.fromPartial({
        integration: Integration.INTEGRATION_SYNCRO,
        credentialType: IntegrationCredentialType.INTEGRATION_CREDENTIAL_TYPE_OAUTH_TOKEN,
        name: "Syncro tamper",
      }),
      secrets,
    });
    const row = await sealed("integration_credentials", made.id);
    await tamper("integration_credentials", made.id, {
      secret: row["refresh_token"] ?? null,
      secret_nonce: row["refresh_token_nonce"] ?? null,
    });
    // Integration secrets have no access log: the audit event is their record.
    await expectFailsClosed(
      () => call(stack.integrations, "revealIntegrationCredential", { id: made.id, reason: "tamper check" }),
      made.id,
      false,
    );
    const got = await call(stack.integrations, "getIntegrationCredential", { id: made.id });
    expect(got).toMatchObject({ hasSecret: true, hasRefreshToken: true });
    tampered.push({ table: "integration_credentials", id: made.id, label: "integration with its refresh token as secret" });
  });
});

describe("the rewrap job and tampered rows", () => {
  let oldKey = "";
  let newKey = "";
  const before = new Map<string, Row>();

  it("leaves every tampered row exactly as it is, logs each, keeps their key, and moves every other secret", async () => {
    const integration = await call(stack.integrations, "createIntegrationCredential", {
      integrationCredential: IntegrationCredential.fromPartial({
        integration: Integration.INTEGRATION_ZAPIER,
        credentialType: IntegrationCredentialType.INTEGRATION_CREDENTIAL_TYPE_API_KEY,
      }),
      secrets: { secret: secretOf("intact-integration") },
    });
    for (const row of tampered) before.set(row.id, await sealed(row.table, row.id));
    oldKey = (await call(stack.keys, "getRewrapStatus", {})).activeKeyId;
    const logged = stack.logs.length;

    const rotated = await call(stack.keys, "rotateDataKey", { reason: "tamper test" });
    newKey = rotated.activeKeyId;
    expect(newKey).not.toBe(oldKey);
    await eventually(() => stack.logs.slice(logged).some((line) => line.includes("rewrap pass done")), "the rewrap pass");

    // Each tampered row: as it was, under the old key, and named in an error log line.
    // Up to the end of that pass: a later pass (every few seconds) logs the same rows again.
    const all = stack.logs.slice(logged).map((line) => JSON.parse(line) as Record<string, unknown>);
    const lines = all.slice(0, all.findIndex((line) => line["msg"] === "rewrap pass done") + 1);
    const failures = lines.filter((line) => String(line["msg"]).startsWith("a secret did not decrypt during rewrap"));
    for (const row of tampered) {
      expect({ row: row.label, columns: await sealed(row.table, row.id) }).toEqual({ row: row.label, columns: before.get(row.id) });
      expect(failures.filter((line) => line["id"] === row.id && line["table"] === row.table)).toHaveLength(1);
    }
    expect(failures).toHaveLength(tampered.length);
    expect(failures.every((line) => line["level"] === 50 && line["code"] === "decrypt_failed")).toBe(true);
    const done = lines.find((line) => line["msg"] === "rewrap pass done");
    expect(done).toMatchObject({ failed: tampered.length, retired: [] });
    expect(Number(done?.["moved"])).toBeGreaterThanOrEqual(intact.length + 1);

    // Every other secret moved under the new key and still reveals.
    for (const { id, secret } of intact) {
      expect((await sealed("credentials", id))["key_id"]).toBe(newKey);
      expect((await call(stack.credentials, "revealCredential", { id, reason: "after rewrap" })).secret).toBe(secret);
    }
    expect((await sealed("integration_credentials", integration.id))["key_id"]).toBe(newKey);
    expect(await count("credential_versions", "key_id = ?", [oldKey])).toBe(1);
    const version = versionOfIntact;
    if (!version) throw new Error("test (b') did not run");
    const old = await call(stack.credentials, "revealCredentialVersion", {
      credentialId: version.credentialId,
      version: 1,
      reason: "after",
    });
    expect(old.secret).toBe(version.secret);

    // The old key is not retired while tampered rows still name it; the status says what is left.
    const progress = await call(stack.keys, "getRewrapStatus", {});
    expect(progress).toMatchObject({ activeKeyId: newKey, remaining: BigInt(tampered.length), inProgress: true, drainingKeyIds: [oldKey] });
    const keys = await call(stack.keys, "listEncryptionKeys", {});
    expect(keys.keys.find((k) => k.id === oldKey)).toMatchObject({
      status: KeyStatus.KEY_STATUS_REWRAPPING,
      secretCount: BigInt(tampered.length),
    });

    // The service still works: a new secret goes under the new key.
    const fresh = await createCredential("after-rewrap");
    expect((await sealed("credentials", fresh.id))["key_id"]).toBe(newKey);
    expect((await call(stack.credentials, "revealCredential", { id: fresh.id, reason: "works" })).secret).toBe(fresh.secret);
  }, 300_000);

  it("(e) a row relabelled with the other existing key id (after the rewrap): fails", async () => {
    const h = intact[0];
    if (!h || !oldKey || !newKey) throw new Error("the rewrap test did not run");
    expect((await sealed("credentials", h.id))["key_id"]).toBe(newKey);
    await tamper("credentials", h.id, { key_id: oldKey });
    await expectFailsClosed(reveal(h.id), h.id);
    // Put back, it opens again: the key id alone made the difference.
    await tamper("credentials", h.id, { key_id: newKey });
    expect((await call(stack.credentials, "revealCredential", { id: h.id, reason: "restored" })).secret).toBe(h.secret);
  });
});

describe("recovering a tampered credential", () => {
  it("rotating it replaces the secret that no longer decrypts, and the access log says the old one was not kept", async () => {
    const victim = await createCredential("recover-victim");
    const row = await sealed("credentials", victim.id);
    await tamper("credentials", victim.id, { secret: flipBit(row["secret"] as string | null, 5) });
    await expectFailsClosed(reveal(victim.id), victim.id);
    const fresh = await rotate(victim.id, "recover-fresh");
    expect((await call(stack.credentials, "revealCredential", { id: victim.id, reason: "after recovery" })).secret).toBe(fresh);
    const versions = await call(stack.credentials, "listCredentialVersions", { credentialId: victim.id });
    expect(versions.versions).toEqual([]);
    const [rotation] = await stack.vault.service.db.select<{ detail: string | null }>(
      "SELECT detail FROM credential_access_log WHERE credential_id = ? AND action = 'rotate'",
      [victim.id],
    );
    expect(rotation?.detail).toMatch(/version 1 did not decrypt .* not kept/);
  });
});
