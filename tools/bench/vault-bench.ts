// Benchmark (not a test) of the vault through the gateway over REST, on the platform as `npm start`
// runs it (gateway, vault and the other services as processes), on a fresh database:
//  - reveal (POST /api/v1/credentials/{id}:reveal with a reason) from 1 caller: p50/p95/p99 over
//    --reveals calls after a warm-up (target: p95 <= 10 ms on MariaDB);
//  - credential creates (POST /api/v1/credentials) from --callers callers: creates/s over --creates
//    creates, the median of --runs runs (target: >= 500/s); then the same straight to the vault over gRPC;
//  - the online rewrap of --secrets secrets: the credentials made above plus bulk-inserted ones,
//    sealed by the vault's own KeyRing and Sealer (same database, same master key), then
//    POST /api/v1/encryptionKeys:rotate and the time until GET /api/v1/encryptionKeys:rewrapStatus
//    says remaining 0 (target: <= 60 s), with one caller revealing meanwhile (its p95 says how
//    online the rewrap is) and every old key retired afterwards.
// Every reveal is checked against its secret. CPU milliseconds per call of each process (gateway,
// vault, mariadbd, this script), from /proc, go to stderr with the progress lines.
//   npm run bench:vault -- [--db both|mariadb|sqlite] [--reveals 2000] [--warmup 200] [--creates 5000]
//     [--runs 3] [--callers 16] [--secrets 100000] [--batch N (VAULT_REWRAP_BATCH; the service's default when unset)]
//   MariaDB: MSP_BENCH_MARIADB_URL (default mariadb://root@127.0.0.1:3306/msp_vault_bench, recreated and dropped).
import { randomBytes } from "node:crypto";
import { Metadata, credentials } from "@grpc/grpc-js";
import { parseArgs } from "node:util";
import type { Database } from "@msp/db";
import { createDatabase, migrateUp, uuidv7 } from "@msp/db";
import { createLogger } from "@msp/logging";
import { migrations } from "@msp/migrations";
import type { PlatformStack } from "@msp/testing";
import { startPlatform } from "@msp/testing";
import { KeyRing } from "../../apps/vault-service/src/keys/key-ring";
import { Sealer } from "../../apps/vault-service/src/keys/sealer";
import { vaultModels } from "../../apps/vault-service/src/models";
import type { CreateCredentialRequest } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { Credential, CredentialServiceClient, CredentialType } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { freshBenchDatabase } from "./bench-database";
import { Rest, cpuPer, cpuSeconds, median, percentiles, profiledApps } from "./bench-kit";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "both" },
    reveals: { type: "string", default: "2000" },
    warmup: { type: "string", default: "200" },
    creates: { type: "string", default: "5000" },
    runs: { type: "string", default: "3" },
    callers: { type: "string", default: "16" },
    secrets: { type: "string", default: "100000" },
    batch: { type: "string" },
  },
});

const targets = { revealP95Ms: 10, createsPerSecond: 500, rewrapSeconds: 60 };
const ms = (n: number) => n.toFixed(2);
/** The processes whose CPU per call is shown. */
const vaultApps = ["gateway", "vault-service"];

interface RewrapStatus {
  activeKeyId: string;
  rewrapped?: string;
  remaining?: string;
  inProgress?: boolean;
}

interface EncryptionKey {
  id: string;
  status: string;
  secretCount?: string;
}

const secretOf = (i: number) => `bench-secret-${i}-${randomBytes(6).toString("base64url")}`;

/** Creates from `callers` loops until `count` are made; returns creates/s and the ids with their secrets. */
async function createMany(rest: Rest, count: number, callers: number, serial: { next: number }) {
  const made: { id: string; secret: string }[] = [];
  let left = count;
  let errors = 0;
  const started = performance.now();
  const loop = async () => {
    while (left > 0) {
      left--;
      const i = serial.next++;
      const secret = secretOf(i);
      try {
        const created = await rest.call<{ id: string }>("POST", "/api/v1/credentials", {
          credential: {
            name: `bench ${i}`,
            credentialType: "CREDENTIAL_TYPE_PASSWORD",
            username: "administrator",
            url: `https://host-${i}.bench.example`,
          },
          secret,
        });
        made.push({ id: created.id, secret });
      } catch (error) {
        if (errors++ < 3) console.error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: callers }, loop));
  const seconds = (performance.now() - started) / 1000;
  return { made, errors, seconds, perSecond: made.length / seconds };
}

/**
 * The same creates straight to the vault over gRPC (as internal tools call it), from `callers`
 * loops on one channel: what the service takes without the gateway's JSON and forwarding.
 */
async function createManyGrpc(address: string, token: string, count: number, callers: number, serial: { next: number }) {
  const client = new CredentialServiceClient(address, credentials.createInsecure());
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  const create = (request: CreateCredentialRequest) =>
    new Promise<{ id: string }>((resolve, reject) =>
      client.createCredential(request, metadata, (error, answer) => (error ? reject(error) : resolve(answer))),
    );
  let left = count;
  let errors = 0;
  let made = 0;
  const started = performance.now();
  const loop = async () => {
    while (left > 0) {
      left--;
      const i = serial.next++;
      try {
        await create({
          credential: Credential.fromPartial({
            name: `bench ${i}`,
            credentialType: CredentialType.CREDENTIAL_TYPE_PASSWORD,
            username: "administrator",
            url: `https://host-${i}.bench.example`,
          }),
          secret: secretOf(i),
        });
        made++;
      } catch (error) {
        if (errors++ < 3) console.error(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: callers }, loop));
  client.close();
  const seconds = (performance.now() - started) / 1000;
  return { made, errors, seconds, perSecond: made / seconds };
}

/**
 * Inserts `count` credentials with bulk INSERTs, each secret sealed by the vault's own Sealer under
 * the ring's active key and bound to its row, table and column exactly as a create seals it (no
 * permission, access-log or audit rows: the admin reveals them, and the rewrap reads only the row).
 */
async function bulkCredentials(db: Database, masterKey: Buffer, count: number, first: number): Promise<{ id: string; secret: string }[]> {
  const ring = new KeyRing(db, masterKey, createLogger({ service: "vault-bench", level: "warn" }));
  await ring.load(undefined);
  const sealer = new Sealer(ring);
  const at = (date: Date) => {
    const text = date.toISOString().slice(0, 23).replace("T", " ");
    return db.dialect === "sqlite" ? `${text} +00:00` : text;
  };
  const columns = [
    "id",
    "revision",
    "created_at",
    "updated_at",
    "credential_type",
    "name",
    "username",
    "url",
    "host",
    "requires_vpn",
    "requires_2fa",
    "rotated_at",
    "rotated_by",
    "is_active",
    "has_secret",
    "secret_version",
    "secret",
    "secret_nonce",
    "key_id",
  ];
  const made: { id: string; secret: string }[] = [];
  const perStatement = 500;
  for (let start = 0; start < count; start += perStatement) {
    const values: unknown[] = [];
    const n = Math.min(perStatement, count - start);
    for (let k = 0; k < n; k++) {
      const i = first + start + k;
      const id = uuidv7();
      const secret = secretOf(i);
      const sealed = await sealer.seal({ table: "credentials", rowId: id, field: "secret" }, secret);
      const now = at(new Date());
      const host = `host-${i}.bench.example`;
      values.push(id, 1, now, now, "password", `bench ${i}`, "administrator", `https://${host}`, host, 0, 0, now, "admin");
      values.push(1, 1, 1, sealed.ciphertext, sealed.nonce, sealed.keyId);
      made.push({ id, secret });
    }
    const row = `(${columns.map(() => "?").join(", ")})`;
    await db.sequelize.query(`INSERT INTO credentials (${columns.join(", ")}) VALUES ${Array.from({ length: n }, () => row).join(", ")}`, {
      replacements: values,
    });
  }
  return made;
}

async function bench(dialect: "sqlite" | "mariadb"): Promise<string[]> {
  const fresh = await freshBenchDatabase(dialect, "vault");
  const config = fresh.config;
  const db = createDatabase(config, vaultModels);
  let platform: PlatformStack | undefined;
  let rest: Rest | undefined;
  try {
    await migrateUp(db, migrations);
    const masterKey = randomBytes(32);
    const vaultEnv: Record<string, string> = { MSP_VAULT_MASTER_KEY: masterKey.toString("base64") };
    if (args.batch !== undefined) vaultEnv["VAULT_REWRAP_BATCH"] = args.batch;
    platform = await startPlatform({ database: config, poolMax: 20, envByApp: { "vault-service": vaultEnv }, nodeArgs: profiledApps() });
    rest = new Rest(platform.baseUrl, await platform.login());
    return await measure(dialect, db, masterKey, platform, rest);
  } finally {
    rest?.close();
    await db.close();
    await platform?.stop();
    await fresh.dispose();
  }
}

/** The three measures on a running platform; returns the table's lines. */
async function measure(dialect: string, db: Database, masterKey: Buffer, platform: PlatformStack, rest: Rest): Promise<string[]> {
  const lines: string[] = [];
  const line = (text: string) => {
    console.error(text);
    lines.push(text);
  };
  const serial = { next: 0 };
  // Creates, 16 callers: a short warm-up, then --runs runs of --creates.
  const callers = Number(args.callers);
  await createMany(rest, 200, callers, serial);
  const runs: number[] = [];
  const all: { id: string; secret: string }[] = [];
  for (let run = 0; run < Number(args.runs); run++) {
    rest.token = await platform.login();
    const cpuBefore = cpuSeconds();
    const result = await createMany(rest, Number(args.creates), callers, serial);
    if (result.errors > 0) throw new Error(`${result.errors} creates failed`);
    console.error(
      `${dialect}: run ${run + 1}: ${result.made.length} creates in ${result.seconds.toFixed(1)} s, ${Math.round(result.perSecond)}/s; ` +
        `CPU ms per create: ${cpuPer(cpuBefore, cpuSeconds(), result.made.length, vaultApps)}`,
    );
    runs.push(result.perSecond);
    all.push(...result.made);
  }
  line(
    `| ${dialect} | create through the gateway, ${callers} callers | ${Number(args.creates)} x ${runs.length} | ${Math.round(median(runs))}/s (runs ${runs.map(Math.round).join(", ")}) | >= ${targets.createsPerSecond}/s |`,
  );
  // The same over gRPC straight to the vault, in the same run.
  const grpcRuns: number[] = [];
  for (let run = 0; run < Number(args.runs); run++) {
    const cpuBefore = cpuSeconds();
    const result = await createManyGrpc(
      platform.addresses["vault-service"]!,
      await platform.login(),
      Number(args.creates),
      callers,
      serial,
    );
    if (result.errors > 0) throw new Error(`${result.errors} gRPC creates failed`);
    console.error(
      `${dialect}: gRPC run ${run + 1}: ${result.made} creates in ${result.seconds.toFixed(1)} s, ${Math.round(result.perSecond)}/s; ` +
        `CPU ms per create: ${cpuPer(cpuBefore, cpuSeconds(), result.made, vaultApps)}`,
    );
    grpcRuns.push(result.perSecond);
  }
  line(
    `| ${dialect} | create over gRPC to the vault, ${callers} callers | ${Number(args.creates)} x ${grpcRuns.length} | ${Math.round(median(grpcRuns))}/s (runs ${grpcRuns.map(Math.round).join(", ")}) | >= ${targets.createsPerSecond}/s |`,
  );

  // Reveals, 1 caller, random credentials.
  const pick = () => all[Math.floor(Math.random() * all.length)]!;
  const reveal = async () => {
    const credential = pick();
    const started = performance.now();
    const answer = await rest.call<{ secret: string }>("POST", `/api/v1/credentials/${credential.id}:reveal`, {
      reason: "vault benchmark",
    });
    const took = performance.now() - started;
    if (answer.secret !== credential.secret) throw new Error(`credential ${credential.id} revealed the wrong secret`);
    return took;
  };
  rest.token = await platform.login();
  for (let i = 0; i < Number(args.warmup); i++) await reveal();
  const samples: number[] = [];
  const cpuBefore = cpuSeconds();
  for (let i = 0; i < Number(args.reveals); i++) samples.push(await reveal());
  console.error(`${dialect}: CPU ms per reveal: ${cpuPer(cpuBefore, cpuSeconds(), samples.length, vaultApps)}`);
  const r = percentiles(samples);
  line(
    `| ${dialect} | reveal, 1 caller | ${r.n} | p50 ${ms(r.p50)} / p95 ${ms(r.p95)} / p99 ${ms(r.p99)} ms | p95 <= ${targets.revealP95Ms} ms |`,
  );

  // Rewrap: fill up to --secrets with credentials sealed as the vault seals them, then rotate.
  const [counted] = await db.select<{ n: number | string }>("SELECT COUNT(*) AS n FROM credentials WHERE key_id IS NOT NULL", []);
  const missing = Math.max(0, Number(args.secrets) - Number(counted?.n ?? 0));
  const seedStart = performance.now();
  const bulk = await bulkCredentials(db, masterKey, missing, serial.next);
  console.error(`${dialect}: bulk-inserted ${bulk.length} sealed credentials in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  if (dialect === "mariadb") await db.sequelize.query("ANALYZE TABLE credentials");
  all.push(...bulk);
  rest.token = await platform.login();
  const before = await rest.call<RewrapStatus>("GET", "/api/v1/encryptionKeys:rewrapStatus");
  const total = Number(before.rewrapped ?? 0) + Number(before.remaining ?? 0);
  const during: number[] = [];
  let done = false;
  const revealing = (async () => {
    while (!done) during.push(await reveal());
  })();
  const cpuBeforeRewrap = cpuSeconds();
  const rotateStart = performance.now();
  await rest.call("POST", "/api/v1/encryptionKeys:rotate", { reason: "vault benchmark" });
  let status: RewrapStatus;
  let polls = 0;
  for (;;) {
    status = await rest.call<RewrapStatus>("GET", "/api/v1/encryptionKeys:rewrapStatus");
    polls++;
    if (Number(status.remaining ?? 0) === 0) break;
    if (polls % 20 === 0) console.error(`${dialect}: rewrap: ${status.rewrapped ?? 0} rewrapped, ${status.remaining ?? 0} remaining`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const seconds = (performance.now() - rotateStart) / 1000;
  done = true;
  await revealing;
  console.error(
    `${dialect}: CPU ms per 1,000 secrets rewrapped (with the reveals and polls meanwhile): ${cpuPer(cpuBeforeRewrap, cpuSeconds(), total / 1000, vaultApps)}`,
  );
  // The old key is retired by the pass that moved its last secret (a moment after remaining 0).
  let keys: EncryptionKey[] = [];
  for (let i = 0; i < 100; i++) {
    keys = (await rest.call<{ keys: EncryptionKey[] }>("GET", "/api/v1/encryptionKeys")).keys;
    if (keys.every((k) => k.status !== "KEY_STATUS_REWRAPPING")) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const d = percentiles(during);
  line(
    `| ${dialect} | rewrap of ${total} secrets after RotateDataKey | 1 | ${seconds.toFixed(1)} s (${Math.round(total / seconds)} secrets/s); keys ${keys.map((k) => k.status.replace("KEY_STATUS_", "").toLowerCase()).join(", ")} | <= ${targets.rewrapSeconds} s |`,
  );
  line(
    `| ${dialect} | reveal during the rewrap, 1 caller | ${d.n} | p50 ${ms(d.p50)} / p95 ${ms(d.p95)} / p99 ${ms(d.p99)} ms (max ${ms(d.max)}) | |`,
  );
  return lines;
}

async function main(): Promise<void> {
  const dialects: ("sqlite" | "mariadb")[] = args.db === "both" ? ["mariadb", "sqlite"] : [args.db as "sqlite" | "mariadb"];
  const lines: string[] = [];
  for (const dialect of dialects) lines.push(...(await bench(dialect)));
  console.log("| database | measure | calls | result | target |");
  console.log("|---|---|---|---|---|");
  for (const text of lines) console.log(text);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
