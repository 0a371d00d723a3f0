// Every secret the vault is given, looked for everywhere the service could leave it: every row of
// every table, every byte of the data folder (the SQLite file and its WAL), every log line at level
// trace. None may hold a plaintext (nor its base64), nor the master key.
import { randomBytes, randomInt } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { status } from "@grpc/grpc-js";
import { base32Encode } from "@msp/crypto";
import type { TestDatabase } from "@msp/testing";
import { call, createTestDatabase, expectStatus, testToken, withSlowness } from "@msp/testing";
import { Credential, CredentialType } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { Integration, IntegrationCredential, IntegrationCredentialType } from "@msp/proto/src/gen/ts/msp/vault/v1/integration_credential";
import type { LoggedVault } from "./logged-vault";
import { startLoggedVault } from "./logged-vault";

// Generous budgets for a slow machine: tests wait for work to be done, never for time to pass.
jest.setTimeout(withSlowness(120_000));

const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
/** A recognisable random marker: 28 random letters and digits. */
function marker(): string {
  return Array.from({ length: 28 }, () => alphabet.charAt(randomInt(alphabet.length))).join("");
}

/** A plaintext the vault is given, and the random part that identifies it anywhere. */
interface Secret {
  plaintext: string;
  marker: string;
}

const types = [
  CredentialType.CREDENTIAL_TYPE_PASSWORD,
  CredentialType.CREDENTIAL_TYPE_API_KEY,
  CredentialType.CREDENTIAL_TYPE_OAUTH_CLIENT,
  CredentialType.CREDENTIAL_TYPE_SSH_KEY,
  CredentialType.CREDENTIAL_TYPE_SHARED_SECRET,
  CredentialType.CREDENTIAL_TYPE_TOKEN,
  CredentialType.CREDENTIAL_TYPE_CONNECTION_STRING,
  CredentialType.CREDENTIAL_TYPE_CERTIFICATE,
  CredentialType.CREDENTIAL_TYPE_TOTP_SEED,
] as const;

/** A realistic secret of `type` around a fresh marker (a TOTP seed is its own marker). */
function secretOf(type: CredentialType, n: number): Secret {
  const m = marker();
  const pem = (label: string) =>
    `-----BEGIN ${label}-----\n${m}\n${randomBytes(48).toString("base64")}\n${randomBytes(48).toString("base64")}\n-----END ${label}-----\n`;
  switch (type) {
    case CredentialType.CREDENTIAL_TYPE_PASSWORD:
      return { plaintext: `Pw!${m}#9`, marker: m };
    case CredentialType.CREDENTIAL_TYPE_API_KEY:
      return { plaintext: `ak_live_${m}`, marker: m };
    case CredentialType.CREDENTIAL_TYPE_OAUTH_CLIENT:
      return { plaintext: `ocs~${m}`, marker: m };
    case CredentialType.CREDENTIAL_TYPE_SSH_KEY:
      return { plaintext: pem("OPENSSH PRIVATE KEY"), marker: m };
    case CredentialType.CREDENTIAL_TYPE_SHARED_SECRET:
      return { plaintext: `psk ${m}`, marker: m };
    case CredentialType.CREDENTIAL_TYPE_TOKEN:
      return { plaintext: `ghp_${m}`, marker: m };
    case CredentialType.CREDENTIAL_TYPE_CONNECTION_STRING:
      return { plaintext: `Server=sql01;Database=erp;User Id=sa;Password=${m};`, marker: m };
    case CredentialType.CREDENTIAL_TYPE_CERTIFICATE:
      return { plaintext: pem("PRIVATE KEY"), marker: m };
    case CredentialType.CREDENTIAL_TYPE_TOTP_SEED: {
      const seed = base32Encode(randomBytes(20));
      // Every other seed pasted as the otpauth URI of a QR code.
      return { plaintext: n % 2 === 0 ? seed : `otpauth://totp/Contoso:admin?secret=${seed}&issuer=Contoso`, marker: seed };
    }
    case CredentialType.CREDENTIAL_TYPE_UNSPECIFIED:
    case CredentialType.UNRECOGNIZED:
      throw new Error(`no secret for ${type}`);
  }
}

/** Runs `fn` over `items`, `width` at a time. */
async function inBatches<T>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) {
    await Promise.all(items.slice(i, i + width).map((item, j) => fn(item, i + j)));
  }
}

/** Every row of every table of the test database, as text. */
async function dumpTables(stack: LoggedVault): Promise<{ text: string; tables: string[]; rows: number }> {
  const db = stack.vault.service.db;
  const tables =
    db.dialect === "sqlite"
      ? await db.select<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'", [])
      : await db.select<{ name: string }>(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
          [],
        );
  const parts: string[] = [];
  let rows = 0;
  for (const { name } of tables) {
    const quoted = db.sequelize.getQueryInterface().quoteIdentifier(name);
    for (const row of await db.select<Record<string, unknown>>(`SELECT * FROM ${quoted}`, [])) {
      rows += 1;
      for (const [column, value] of Object.entries(row)) parts.push(`${name}.${column}=${textOf(value)}`);
    }
  }
  return { text: parts.join("\n"), tables: tables.map((t) => t.name), rows };
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Buffer.isBuffer(value)) return value.toString("latin1");
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  return String(value as string | number | bigint | boolean);
}

/** Every file under `dir`, recursively, as bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}

/** What must be nowhere: each plaintext (when on one line), its marker (both ignoring case) and the plaintext's base64. */
function leaksIn(haystack: string, secrets: readonly Secret[]): string[] {
  const lower = haystack.toLowerCase();
  const found: string[] = [];
  for (const { plaintext, marker: m } of secrets) {
    if (lower.includes(m.toLowerCase())) found.push(`marker ${m}`);
    if (lower.includes(plaintext.toLowerCase())) found.push(`plaintext ${JSON.stringify(plaintext)}`);
    const b64 = Buffer.from(plaintext, "utf8").toString("base64");
    if (haystack.includes(b64) || haystack.includes(b64.replace(/=+$/, ""))) found.push(`base64 of ${m}`);
    const hex = Buffer.from(plaintext, "utf8").toString("hex");
    if (lower.includes(hex)) found.push(`hex of ${m}`);
  }
  return found;
}

/** The master key as base64, base64url and hex. */
function masterKeyForms(masterKey: string): string[] {
  const raw = Buffer.from(masterKey, "base64");
  return [masterKey, raw.toString("base64url"), raw.toString("hex")];
}

function masterKeyIn(haystack: string, masterKey: string): string[] {
  const lower = haystack.toLowerCase();
  return masterKeyForms(masterKey).filter((form, i) => (i === 2 ? lower.includes(form) : haystack.includes(form)));
}

let database: TestDatabase;
let stack: LoggedVault;
const secrets: Secret[] = [];
const counts = { credentials: 0, rotated: 0, reveals: 0, versionReveals: 0, totpCodes: 0, integrations: 0, refused: 0 };
/** Put where a finder must find it: a credential name (tables, files) and a refused filter (logs). */
const planted = { name: `planted${marker()}`, logged: `planted${marker()}` };

beforeAll(async () => {
  database = await createTestDatabase();
  stack = await startLoggedVault({ database });

  // 200 credentials over every type, with a username, url and notes like real ones. Ten at a time:
  // as many as the MariaDB test pool has connections (sealing once deadlocked that pool: key-ring.ts).
  const created: { id: string; type: CredentialType }[] = [];
  await inBatches(
    Array.from({ length: 200 }, (_, i) => i),
    10,
    async (i) => {
      const type = types[i % types.length] ?? CredentialType.CREDENTIAL_TYPE_PASSWORD;
      const secret = secretOf(type, i);
      secrets.push(secret);
      const credential = await call(stack.credentials, "createCredential", {
        credential: Credential.fromPartial({
          name: `Contoso credential ${i}`,
          credentialType: type,
          username: `svc-${i}`,
          url: `https://host${i}.contoso.example:${1000 + i}/`,
          accessNotes: "through the jump host",
        }),
        secret: secret.plaintext,
      });
      created.push({ id: credential.id, type });
    },
  );
  counts.credentials = created.length;

  // One in five rotated once (the old secret moves to credential_versions), by rotate or update.
  const rotated = created.filter((_, i) => i % 5 === 0);
  await inBatches(rotated, 10, async ({ id, type }, i) => {
    const secret = secretOf(type, i + 1);
    secrets.push(secret);
    if (i % 2 === 0) await call(stack.credentials, "rotateCredentialSecret", { id, secret: secret.plaintext, reason: "yearly rotation" });
    else
      await call(stack.credentials, "updateCredential", {
        credential: Credential.fromPartial({ id, accessNotes: "rotated" }),
        updateMask: undefined,
        secret: secret.plaintext,
      });
  });
  counts.rotated = rotated.length;

  // Reveals of some current secrets, some earlier ones, and TOTP codes of some seeds.
  await inBatches(
    created.filter((_, i) => i % 3 === 0),
    10,
    async ({ id }) => {
      await call(stack.credentials, "revealCredential", { id, reason: "fix the backup job" });
      counts.reveals += 1;
    },
  );
  await inBatches(rotated.slice(0, 12), 6, async ({ id }) => {
    await call(stack.credentials, "revealCredentialVersion", { credentialId: id, version: 1, reason: "audit of the old one" });
    counts.versionReveals += 1;
  });
  await inBatches(created.filter((c) => c.type === CredentialType.CREDENTIAL_TYPE_TOTP_SEED).slice(0, 8), 4, async ({ id }) => {
    await call(stack.credentials, "getTotpCode", { id, reason: "log in to the portal" });
    counts.totpCodes += 1;
  });

  // Integration credentials with every secret field; some revealed, one updated (resealed).
  const integrationIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const fields = [
      secretOf(CredentialType.CREDENTIAL_TYPE_TOKEN, i),
      secretOf(CredentialType.CREDENTIAL_TYPE_TOKEN, i),
      secretOf(CredentialType.CREDENTIAL_TYPE_API_KEY, i),
    ];
    secrets.push(...fields);
    const made = await call(stack.integrations, "createIntegrationCredential", {
      integrationCredential: IntegrationCredential.fromPartial({
        integration: Integration.INTEGRATION_SYNCRO,
        credentialType: IntegrationCredentialType.INTEGRATION_CREDENTIAL_TYPE_OAUTH_TOKEN,
        name: `Syncro ${i}`,
        apiBaseUrl: "https://contoso.syncromsp.com/api/v1",
      }),
      secrets: { secret: fields[0]?.plaintext, refreshToken: fields[1]?.plaintext, webhookSecret: fields[2]?.plaintext },
    });
    integrationIds.push(made.id);
  }
  for (const id of integrationIds.slice(0, 2))
    await call(stack.integrations, "revealIntegrationCredential", { id, reason: "debug the sync" });
  const renewed = secretOf(CredentialType.CREDENTIAL_TYPE_TOKEN, 0);
  secrets.push(renewed);
  await call(stack.integrations, "updateIntegrationCredential", {
    integrationCredential: IntegrationCredential.fromPartial({ id: integrationIds[3] ?? "" }),
    updateMask: undefined,
    secrets: { secret: renewed.plaintext },
  });
  counts.integrations = integrationIds.length;

  // Refused writes carrying a secret: the secret must not reach a log line or an error either.
  const refused = [secretOf(CredentialType.CREDENTIAL_TYPE_PASSWORD, 0), secretOf(CredentialType.CREDENTIAL_TYPE_PASSWORD, 0)];
  const badSeed = { plaintext: `not base32 ${marker()}!`, marker: "" };
  badSeed.marker = badSeed.plaintext.slice("not base32 ".length, -1);
  secrets.push(...refused, badSeed);
  await expectStatus(
    call(stack.credentials, "createCredential", {
      credential: Credential.fromPartial({ name: "bad seed", credentialType: CredentialType.CREDENTIAL_TYPE_TOTP_SEED }),
      secret: badSeed.plaintext,
    }),
    status.INVALID_ARGUMENT,
    /TOTP seed/,
  );
  const target = created[1]?.id ?? "";
  await expectStatus(
    call(stack.credentials, "updateCredential", {
      credential: Credential.fromPartial({ id: target, port: 70_000 }),
      updateMask: undefined,
      secret: refused[0]?.plaintext,
    }),
    status.INVALID_ARGUMENT,
    /port/,
  );
  const tech = await testToken(stack.vault, { role: "technician", username: "trent" });
  await expectStatus(
    call(stack.credentials, "rotateCredentialSecret", { id: target, secret: refused[1]?.plaintext ?? "", reason: "" }, tech.metadata()),
    status.PERMISSION_DENIED,
  );
  counts.refused = 3;

  // The planted markers: one stored in clear (a name), one in a refused request's message.
  const plantedSecret = secretOf(CredentialType.CREDENTIAL_TYPE_PASSWORD, 0);
  secrets.push(plantedSecret);
  await call(stack.credentials, "createCredential", {
    credential: Credential.fromPartial({ name: planted.name, credentialType: CredentialType.CREDENTIAL_TYPE_PASSWORD }),
    secret: plantedSecret.plaintext,
  });
  await expectStatus(
    call(stack.credentials, "listCredentials", { pageSize: 10, pageToken: "", filter: `${planted.logged} = "x"`, orderBy: "" }),
    status.INVALID_ARGUMENT,
  );
}, 600_000);

let stopped = false;
afterAll(async () => {
  if (!stopped) await stack?.stop();
  await database?.drop();
}, 120_000);

describe("the workload", () => {
  it("covers every credential type, rotations, reveals, TOTP codes and integration secrets", async () => {
    expect(counts).toEqual({ credentials: 200, rotated: 40, reveals: 67, versionReveals: 12, totpCodes: 8, integrations: 4, refused: 3 });
    expect(secrets.length).toBe(200 + 40 + 12 + 1 + 3 + 1);
    expect(new Set(secrets.map((s) => s.marker)).size).toBe(secrets.length);
    const [versions] = await stack.vault.service.db.select<{ n: number | bigint }>("SELECT COUNT(*) AS n FROM credential_versions", []);
    expect(Number(versions?.n)).toBe(40);
    const kinds = await stack.vault.service.db.select<{ credential_type: string }>("SELECT DISTINCT credential_type FROM credentials", []);
    expect(kinds.map((k) => k.credential_type).sort()).toEqual(
      ["api_key", "certificate", "connection_string", "oauth_client", "password", "shared_secret", "ssh_key", "token", "totp_seed"].sort(),
    );
  });
});

describe("the search can fail", () => {
  it("finds a marker planted in a credential name in the tables, and one in a refused request in the logs", async () => {
    const plantedSecret = { plaintext: planted.name, marker: planted.name };
    const { text } = await dumpTables(stack);
    expect(leaksIn(text, [plantedSecret])).toContain(`marker ${planted.name}`);
    expect(leaksIn(stack.logs.join("\n"), [{ plaintext: planted.logged, marker: planted.logged }])).toContain(`marker ${planted.logged}`);
    // Base64 and the master-key finder find what they look for.
    const encoded = `x${Buffer.from(planted.name).toString("base64")}x`;
    expect(leaksIn(encoded, [plantedSecret])).toEqual([`base64 of ${planted.name}`]);
    expect(masterKeyIn(`k=${Buffer.from(stack.masterKey, "base64").toString("hex").toUpperCase()}`, stack.masterKey)).toHaveLength(1);
  });

  // On MariaDB the data folder holds no table (the server's files are not ours to read).
  const onSqlite = process.env["MSP_TEST_DATABASE_URL"] ? it.skip : it;
  onSqlite("finds the planted name in the data folder's files on SQLite", () => {
    const files = filesUnder(database.config.dataDir);
    expect(files.map((f) => f.path).some((p) => p.endsWith("msp.sqlite"))).toBe(true);
    const bytes = files.map((f) => f.bytes.toString("latin1")).join("\n");
    expect(bytes).toContain(planted.name);
  });
});

describe("no plaintext anywhere", () => {
  it("in any row of any table", async () => {
    const { text, tables, rows } = await dumpTables(stack);
    expect(tables).toEqual(expect.arrayContaining(["credentials", "credential_versions", "integration_credentials", "audit_outbox"]));
    expect(rows).toBeGreaterThan(700);
    expect(leaksIn(text, secrets)).toEqual([]);
    expect(masterKeyIn(text, stack.masterKey)).toEqual([]);
  });

  it("in any file of the data folder (the SQLite file and its WAL), as bytes", () => {
    const files = filesUnder(database.config.dataDir);
    const text = files.map((f) => f.bytes.toString("latin1")).join("\n");
    expect(leaksIn(text, secrets)).toEqual([]);
    expect(masterKeyIn(text, stack.masterKey)).toEqual([]);
    const raw = Buffer.from(stack.masterKey, "base64");
    expect(files.filter((f) => f.bytes.includes(raw)).map((f) => f.path)).toEqual([]);
  });

  it("in any log line, at level trace", () => {
    expect(stack.logs.length).toBeGreaterThan(3);
    const text = stack.logs.join("\n");
    expect(leaksIn(text, secrets)).toEqual([]);
    expect(masterKeyIn(text, stack.masterKey)).toEqual([]);
  });

  it("in the data folder after the service stopped (the WAL checkpointed), nor in its last log lines", async () => {
    stopped = true;
    await stack.stop();
    const files = filesUnder(database.config.dataDir);
    const text = files.map((f) => f.bytes.toString("latin1")).join("\n");
    expect(leaksIn(text, secrets)).toEqual([]);
    expect(masterKeyIn(text, stack.masterKey)).toEqual([]);
    if (database.dialect === "sqlite") expect(text).toContain(planted.name);
    expect(leaksIn(stack.logs.join("\n"), secrets)).toEqual([]);
  }, 120_000);
});
