// The vault's data keys rotate online, on the platform as `npm start` runs it (the vault its own
// process), through the gateway's REST API:
//  - 8 callers create credentials, rotate their secrets and reveal them while RotateDataKey is
//    called three times and the rewrap job re-encrypts everything behind them: no call fails, every
//    reveal gives the secret last written, and afterwards every secret (current and kept versions)
//    is under the one active key and reveals to its value, and every older key is retired;
//  - the vault killed with SIGKILL in the middle of a rewrap and started again (same database, same
//    master key): the job resumes where it was cut, completes, and no credential or secret is lost.
// The load is a fixed amount of work (E2E_VAULT_OPS operations per caller, 250 by default: 24 s on
// SQLite and 9 s on MariaDB on an idle 2-core machine, 40-50 s on SQLite with other jobs on it), not
// a time window, and rotations come at fixed points of that work, so a slower machine does the same
// test, only longer. Waits fail on a lack of progress, not on time.
// E2E_SEED=<seed> replays the same operations.
import { Metadata, credentials as grpcCredentials } from "@grpc/grpc-js";
import { call, withSlowness } from "@msp/testing";
import { Credential, CredentialServiceClient, CredentialType } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { Random, closeConnections, jsonOf, mapConcurrently, rawRequest } from "./e2e-support";
import type { Json, PlatformStack } from "./platform-stack";
import { startPlatform } from "./platform-stack";

// Minutes on a slow machine: thousands of writes, each audited.
jest.setTimeout(withSlowness(1_800_000));

const seed = process.env["E2E_SEED"] ? Number(process.env["E2E_SEED"]) : Date.now() % 2 ** 31;
const callers = 8;
const opsPerCaller = Number(process.env["E2E_VAULT_OPS"] ?? 250);
/** RotateDataKey when this share of the load is done. */
const rotateAt = [0.2, 0.5, 0.8];
/** Credentials made straight over gRPC before the rewrap that is cut by SIGKILL. */
const killTestCredentials = 1_500;
/** Secrets per rewrap transaction: small, so a rewrap takes many transactions to cut into and interleave with. */
const rewrapBatch = "10";
/** A wait fails when what it waits on has not moved for this long. */
const stallMs = 120_000;

let platform: PlatformStack;
let token: string;
let tokenAt = 0;
let renewing: Promise<string> | undefined;

/** The admin's access token, renewed before its 15 minutes are up (once, whoever asks). */
async function bearer(): Promise<string> {
  if (Date.now() - tokenAt < 10 * 60_000) return token;
  renewing ??= platform.login().then((fresh) => {
    token = fresh;
    tokenAt = Date.now();
    renewing = undefined;
    return fresh;
  });
  return renewing;
}

/** One REST call through the gateway with the admin's token. */
async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json; error?: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${await bearer()}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await rawRequest(
    platform.baseUrl,
    { method, path, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) },
    120_000,
  );
  return { status: response.status, json: jsonOf(response), ...(response.error ? { error: response.error } : {}) };
}

interface Tracked {
  id: string;
  /** The secret of each version: [1] is the first. */
  secrets: string[];
}

const current = (c: Tracked) => c.secrets[c.secrets.length - 1]!;

interface Failure {
  op: string;
  id?: string;
  status: number;
  detail: string;
}

async function createCredential(name: string, secret: string): Promise<{ id?: string; failure?: Failure }> {
  const r = await rest("POST", "/api/v1/credentials", {
    credential: { name, credentialType: "CREDENTIAL_TYPE_PASSWORD", username: "administrator", url: "https://dc01.rewrap.example" },
    secret,
  });
  if (r.status !== 200 || typeof r.json?.id !== "string") {
    return { failure: { op: "create", status: r.status, detail: r.error ?? JSON.stringify(r.json) } };
  }
  return { id: r.json.id };
}

/** Reveals the current secret and every kept version of each credential; returns what did not match. */
async function revealAll(all: readonly Tracked[]): Promise<Failure[]> {
  const failures: Failure[] = [];
  const jobs = all.flatMap((c) => c.secrets.map((secret, i) => ({ c, secret, version: i + 1 })));
  await mapConcurrently(jobs, callers, async ({ c, secret, version }) => {
    const latest = version === c.secrets.length;
    const r = latest
      ? await rest("POST", `/api/v1/credentials/${c.id}:reveal`, { reason: "rewrap check" })
      : await rest("POST", `/api/v1/credentials/${c.id}/versions:reveal`, { version, reason: "rewrap check" });
    if (r.status !== 200 || r.json?.secret !== secret || r.json?.version !== version) {
      failures.push({
        op: latest ? "reveal" : "reveal version",
        id: `${c.id} v${version}`,
        status: r.status,
        detail: r.error ?? JSON.stringify(r.json),
      });
    }
  });
  return failures;
}

interface RewrapStatus {
  activeKeyId: string;
  rewrapped: number;
  remaining: number;
  inProgress: boolean;
}

/**
 * GetRewrapStatus; undefined while the vault does not answer (503 while it restarts), or not in
 * time (504: on SQLite under this load on a busy machine its counts can take longer than the
 * gateway's deadline; it is the progress poll, not one of the calls under test, so it is asked again).
 */
async function rewrapStatus(): Promise<RewrapStatus | undefined> {
  const r = await rest("GET", "/api/v1/encryptionKeys:rewrapStatus");
  if (r.status === 503 || r.status === 504 || r.status === 0) return undefined;
  if (r.status !== 200) throw new Error(`GetRewrapStatus: ${r.status} ${JSON.stringify(r.json)}`);
  return {
    activeKeyId: r.json.activeKeyId,
    rewrapped: Number(r.json.rewrapped),
    remaining: Number(r.json.remaining),
    inProgress: r.json.inProgress === true,
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` says so; fails when the value `progress` reads has not changed for stallMs. */
async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  progress: (value: T) => unknown,
  everyMs = 250,
): Promise<T> {
  let last: unknown = Symbol("none");
  let movedAt = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    const now = progress(value);
    if (JSON.stringify(now) !== JSON.stringify(last)) {
      last = now;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > stallMs) {
      throw new Error(`${what}: no progress in ${stallMs / 1000} s; last ${JSON.stringify(value)}`);
    }
    await pause(everyMs);
  }
}

/** Waits until no secret is left under an older key. */
function rewrapDone(): Promise<RewrapStatus | undefined> {
  return waitFor(
    "rewrap",
    rewrapStatus,
    (s) => s !== undefined && !s.inProgress,
    (s) => s?.remaining,
  );
}

interface Key {
  id: string;
  status: string;
  secretCount: number;
}

/** ListEncryptionKeys once no key is still `rewrapping` (the pass that moves the last secret retires it). */
async function keysSettled(): Promise<Key[]> {
  const read = async () => {
    const r = await rest("GET", "/api/v1/encryptionKeys");
    if (r.status !== 200) throw new Error(`ListEncryptionKeys: ${r.status} ${JSON.stringify(r.json)}`);
    return (r.json.keys as Json[]).map((k) => ({ id: k.id as string, status: k.status as string, secretCount: Number(k.secretCount) }));
  };
  return waitFor(
    "key retirement",
    read,
    (keys) => keys.every((k) => k.status !== "KEY_STATUS_REWRAPPING"),
    (keys) => keys.map((k) => k.status),
  );
}

/** Every credential id, page by page. */
async function allCredentialIds(): Promise<string[]> {
  const ids: string[] = [];
  let pageToken = "";
  do {
    const r = await rest(
      "GET",
      `/api/v1/credentials?pageSize=500&orderBy=created_at${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ""}`,
    );
    if (r.status !== 200) throw new Error(`ListCredentials: ${r.status} ${JSON.stringify(r.json)}`);
    ids.push(...(r.json.credentials as Json[]).map((c) => c.id as string));
    pageToken = r.json.nextPageToken ?? "";
  } while (pageToken !== "");
  return ids;
}

/** Every credential the tests made, with the secrets written to it. */
const tracked: Tracked[] = [];

beforeAll(async () => {
  console.log(`vault rewrap e2e: seed ${seed}, ${callers} callers x ${opsPerCaller} operations`);
  platform = await startPlatform({ envByApp: { "vault-service": { VAULT_REWRAP_BATCH: rewrapBatch } } });
  token = await platform.login();
  tokenAt = Date.now();
});

afterAll(async () => {
  closeConnections();
  await platform?.stop();
});

it("rotates data keys under load from 8 callers: no failed call, every secret readable, old keys retired", async () => {
  const rnd = new Random(seed);
  const failures: Failure[] = [];
  // Each caller works on credentials of its own, so it knows what each must reveal.
  const owned: Tracked[][] = Array.from({ length: callers }, () => []);
  await mapConcurrently(
    Array.from({ length: callers * 10 }, (_, i) => i),
    callers,
    async (i) => {
      const secret = `first-${i}-${rnd.bytes(6).toString("hex")}`;
      const made = await createCredential(`rewrap seed ${i}`, secret);
      if (made.failure) failures.push(made.failure);
      else owned[i % callers]!.push({ id: made.id!, secrets: [secret] });
    },
  );
  expect(failures).toEqual([]);
  const keysBefore = await keysSettled();

  const total = callers * opsPerCaller;
  let done = 0;
  const rotations: RewrapStatus[] = [];
  const rotationFailures: Failure[] = [];
  /** Statuses read while the load ran, to show the rewrap ran alongside it. */
  const during: RewrapStatus[] = [];
  let loadOver = false;

  const rotator = async () => {
    for (const share of rotateAt) {
      while (done < total * share) {
        const status = await rewrapStatus();
        if (status && !loadOver) during.push(status);
        await pause(100);
      }
      const r = await rest("POST", "/api/v1/encryptionKeys:rotate", { reason: `e2e rotation at ${share * 100}% of the load` });
      if (r.status !== 200) rotationFailures.push({ op: "rotate key", status: r.status, detail: r.error ?? JSON.stringify(r.json) });
      else rotations.push({ ...r.json, rewrapped: Number(r.json.rewrapped), remaining: Number(r.json.remaining) } as RewrapStatus);
    }
  };

  const worker = async (caller: number) => {
    const mine = owned[caller]!;
    const random = new Random(seed + caller + 1);
    for (let op = 0; op < opsPerCaller; op++, done++) {
      const roll = random.next();
      if (roll < 0.25) {
        const secret = `new-${caller}-${op}-${random.bytes(6).toString("hex")}`;
        const made = await createCredential(`rewrap ${caller}-${op}`, secret);
        if (made.failure) failures.push(made.failure);
        else mine.push({ id: made.id!, secrets: [secret] });
      } else if (roll < 0.5) {
        const target = random.pick(mine);
        const secret = `rotated-${caller}-${op}-${random.bytes(6).toString("hex")}`;
        const r = await rest("POST", `/api/v1/credentials/${target.id}:rotate`, { secret, reason: "e2e rotation" });
        if (r.status !== 200 || r.json?.secretVersion !== target.secrets.length + 1) {
          failures.push({ op: "rotate secret", id: target.id, status: r.status, detail: r.error ?? JSON.stringify(r.json) });
        } else target.secrets.push(secret);
      } else {
        const target = random.pick(mine);
        const r = await rest("POST", `/api/v1/credentials/${target.id}:reveal`, { reason: "e2e reveal under rotation" });
        if (r.status !== 200 || r.json?.secret !== current(target) || r.json?.version !== target.secrets.length) {
          failures.push({ op: "reveal", id: target.id, status: r.status, detail: r.error ?? JSON.stringify(r.json) });
        }
      }
    }
  };

  const started = Date.now();
  await Promise.all([rotator(), ...Array.from({ length: callers }, (_, caller) => worker(caller))]);
  loadOver = true;
  const all = owned.flat();
  tracked.push(...all);
  const versions = all.reduce((n, c) => n + c.secrets.length, 0);
  console.log(
    `load: ${total} operations in ${((Date.now() - started) / 1000).toFixed(1)} s; ${all.length} credentials, ${versions} secrets; ` +
      `rotations at ${rotations.map((r) => `${r.remaining} remaining`).join(", ")}; ` +
      `${during.filter((s) => s.inProgress).length} of ${during.length} statuses read during the load showed a rewrap in progress`,
  );
  expect(failures).toEqual([]);
  expect(rotationFailures).toEqual([]);
  expect(rotations).toHaveLength(rotateAt.length);
  // Each rotation left every existing secret under an older key, with a fifth of the load or more
  // still to come: the rewrap ran under the load.
  for (const rotation of rotations) expect(rotation.remaining).toBeGreaterThan(0);

  const finished = await rewrapDone();
  expect(finished?.activeKeyId).toBe(rotations[rotations.length - 1]!.activeKeyId);
  expect(finished?.remaining).toBe(0);
  // Every secret is under the active key: the credentials' current secrets and every kept version.
  expect(finished?.rewrapped).toBe(versions);
  expect(await revealAll(all)).toEqual([]);

  const keys = await keysSettled();
  expect(keys).toHaveLength(keysBefore.length + rotateAt.length);
  expect(keys.filter((k) => k.status === "KEY_STATUS_ACTIVE").map((k) => k.id)).toEqual([finished?.activeKeyId]);
  const older = keys.filter((k) => k.id !== finished?.activeKeyId);
  expect(older.map((k) => k.status)).toEqual(older.map(() => "KEY_STATUS_RETIRED"));
  expect(older.map((k) => k.secretCount)).toEqual(older.map(() => 0));
  expect(keys.find((k) => k.id === finished?.activeKeyId)?.secretCount).toBe(versions);
});

it("resumes a rewrap cut by SIGKILL of the vault and completes it, losing nothing", async () => {
  // Thousands of credentials, straight to the vault over gRPC (faster than through the gateway).
  const client = new CredentialServiceClient(platform.addresses["vault-service"]!, grpcCredentials.createInsecure());
  const metadata = new Metadata();
  metadata.set("authorization", `Bearer ${await bearer()}`);
  const rnd = new Random(seed ^ 0x5eed);
  let phase = Date.now();
  const made = await mapConcurrently(
    Array.from({ length: killTestCredentials }, (_, i) => i),
    16,
    async (i) => {
      const secret = `kill-${i}-${rnd.bytes(6).toString("hex")}`;
      const created = await call(
        client,
        "createCredential",
        {
          credential: Credential.fromPartial({ name: `rewrap kill ${i}`, credentialType: CredentialType.CREDENTIAL_TYPE_PASSWORD }),
          secret,
        },
        metadata,
      );
      return { id: created.id, secrets: [secret] };
    },
  );
  client.close();
  tracked.push(...made);
  console.log(`made ${made.length} credentials in ${((Date.now() - phase) / 1000).toFixed(1)} s`);
  // Whatever the test before left (all of it under the active key once its rewrap is done).
  const before = await rewrapDone();
  const secrets = (before?.rewrapped ?? 0) + (before?.remaining ?? 0);
  const idsBefore = (await allCredentialIds()).sort();
  expect(idsBefore).toEqual(expect.arrayContaining(made.map((c) => c.id)));
  const keysBefore = await keysSettled();

  const rotated = await rest("POST", "/api/v1/encryptionKeys:rotate", { reason: "e2e rotation cut by SIGKILL" });
  expect(rotated.status).toBe(200);
  const newKey = rotated.json.activeKeyId as string;
  // SIGKILL once the job has committed a few batches and has most of its work left (a batch in
  // hand is cut): the restarted vault has a real part of the job to resume.
  const cut = await waitFor(
    "rewrap start",
    async () => {
      const status = await rewrapStatus();
      if (status && !status.inProgress)
        throw new Error("the rewrap ended before it could be cut: make more credentials or a smaller batch");
      return status;
    },
    (s) => s !== undefined && s.rewrapped >= 5 * Number(rewrapBatch) && s.remaining >= secrets / 4,
    (s) => s?.rewrapped,
    10,
  );
  await platform.killApp("vault-service");
  console.log(`vault killed with SIGKILL at ${cut?.rewrapped} secrets rewrapped, ${cut?.remaining} remaining`);
  expect(cut?.remaining).toBeGreaterThan(0);
  expect(cut?.activeKeyId).toBe(newKey);

  phase = Date.now();
  await platform.restartApp("vault-service");
  console.log(`vault restarted in ${((Date.now() - phase) / 1000).toFixed(1)} s`);
  const finished = await rewrapDone();
  console.log(`rewrap completed ${((Date.now() - phase) / 1000).toFixed(1)} s after the restart began`);
  expect(finished?.activeKeyId).toBe(newKey);
  expect(finished?.remaining).toBe(0);
  expect(finished?.rewrapped).toBe(secrets);

  expect((await allCredentialIds()).sort()).toEqual(idsBefore);
  phase = Date.now();
  expect(await revealAll(tracked)).toEqual([]);
  console.log(`revealed ${tracked.reduce((n, c) => n + c.secrets.length, 0)} secrets in ${((Date.now() - phase) / 1000).toFixed(1)} s`);
  const keys = await keysSettled();
  expect(keys).toHaveLength(keysBefore.length + 1);
  expect(keys.filter((k) => k.status === "KEY_STATUS_ACTIVE").map((k) => k.id)).toEqual([newKey]);
  expect(keys.filter((k) => k.id !== newKey).map((k) => k.status)).toEqual(
    keys.filter((k) => k.id !== newKey).map(() => "KEY_STATUS_RETIRED"),
  );
  expect(keys.find((k) => k.id === newKey)?.secretCount).toBe(secrets);
});
