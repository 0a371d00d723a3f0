// Benchmark (not a test) of the audit service on the platform as `npm start` runs it (gateway and
// every service as processes), on a fresh database:
//  - drain: --outbox rows bulk-inserted into audit_outbox (as writeAuditEvent writes them: the
//    columns, JSON summaries, a spread of services, principals and resource ids) while the audit
//    service is stopped; then it is started and the time until the outbox is empty gives events/s
//    (--runs runs, median; target >= 5,000/s on MariaDB). Also the same rows drained in process by
//    the service's own Drainer (batch and checkpoints as the service's defaults), and one run with
//    8 callers creating clients through the gateway meanwhile (rate at steady state with writers);
//  - verify: the chain is first filled up to --events events (appendEvents + signCheckpoint every
//    1,000 with the keys the service is given, bulk INSERTs into audit_events/audit_checkpoints,
//    50,000 distinct resource ids); then VerifyAuditChain over the whole chain through the gateway
//    (POST /api/v1/auditEvents:verify; the gateway's deadline is 10 s), --runs times as the first
//    verify after the audit service (re)started and --runs times one after another; over gRPC; in
//    process (verifyStoredChain); and the same pages read one after the other with ChainVerifier's
//    time kept apart from the reads (target <= 5 s for 1,000,000 events). MariaDB's
//    innodb_buffer_pool_size is printed: a pool smaller than the chain reads it from disk each time;
//    --buffer-pool MiB sets it (SET GLOBAL, put back at the end);
//  - query: GET /api/v1/auditEvents?filter=resource_id = "<random id>" with orderBy=seq and with
//    the default order (newest first), 1 caller, p50/p95/p99 over --queries calls after a warm-up
//    (target p95 <= 20 ms with 1,000,000 events);
//  - mutations: POST /api/v1/clients at 1 and 8 callers, in alternating blocks with the audit
//    service stopped (the outbox grows) and running (draining), p50/p95 of each and their ratio.
// CPU milliseconds of each process (gateway, audit-service, mariadbd, this script) from /proc go to
// stderr with the progress lines.
//   npm run bench:audit -- [--db mariadb|sqlite|both] [--events 1000000] [--outbox 100000] [--runs 3]
//     [--queries 2000] [--warmup 200] [--blocks 3] [--creates 200] [--resources 50000]
//     [--sqlite-events 100000] [--sqlite-outbox 20000] [--sections drain,verify,query,mutation,lag] [--lags 100]
//   MariaDB: MSP_BENCH_MARIADB_URL (default mariadb://root@127.0.0.1:3306/msp_audit_bench, recreated and dropped).
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { Metadata, credentials } from "@grpc/grpc-js";
import * as mariadb from "mariadb";
import type { ChainEvent, Checkpoint } from "@msp/audit-chain";
import { ChainVerifier, appendEvents, canonicalJson, hmacKeyId, publicKeyId, signCheckpoint } from "@msp/audit-chain";
import type { Database } from "@msp/db";
import { createDatabase, migrateUp, uuidv7 } from "@msp/db";
import { createLogger } from "@msp/logging";
import { migrations } from "@msp/migrations";
import type { PlatformStack } from "@msp/testing";
import { startPlatform } from "@msp/testing";
import { AuditServiceClient, VerifyAuditChainRequest } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import type { VerifyAuditChainResponse } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import { auditConfig } from "../../apps/audit-service/src/audit-config";
import type { PendingEvent } from "../../apps/audit-service/src/chain/chain-store";
import { ChainStore } from "../../apps/audit-service/src/chain/chain-store";
import { Drainer } from "../../apps/audit-service/src/chain/drainer";
import type { ChainKeys } from "../../apps/audit-service/src/chain/keys";
import { Lease } from "../../apps/audit-service/src/chain/lease";
import { verifyStoredChain } from "../../apps/audit-service/src/chain/verify-stored";
import { auditModels } from "../../apps/audit-service/src/models";
import { freshBenchDatabase } from "./bench-database";
import { Rest, cpuPer, cpuSeconds, median, percentiles, profiledApps } from "./bench-kit";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "mariadb" },
    events: { type: "string", default: "1000000" },
    outbox: { type: "string", default: "100000" },
    runs: { type: "string", default: "3" },
    queries: { type: "string", default: "2000" },
    warmup: { type: "string", default: "200" },
    blocks: { type: "string", default: "3" },
    creates: { type: "string", default: "200" },
    resources: { type: "string", default: "50000" },
    "sqlite-events": { type: "string", default: "100000" },
    "sqlite-outbox": { type: "string", default: "20000" },
    sections: { type: "string", default: "drain,verify,query,mutation,lag" },
    lags: { type: "string", default: "100" },
    "buffer-pool": { type: "string" },
  },
});

const targets = { drainPerSecond: 5000, verifySeconds: 5, queryP95Ms: 20 };
const sections = new Set(args.sections.split(","));
const ms = (n: number) => n.toFixed(2);
const audit = "audit-service";
/** The processes whose CPU per call is shown. */
const auditApps = ["gateway", audit, "work-service"];

const sleep = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

/** Waits until `app` uses under 5 % of a core over a second (at most a minute): the seconds waited. */
async function untilIdle(app: string): Promise<number> {
  const t = performance.now();
  let before = cpuSeconds().get(app) ?? 0;
  for (let i = 0; i < 60; i++) {
    await sleep(1000);
    const now = cpuSeconds().get(app) ?? 0;
    if (now - before < 0.05) break;
    before = now;
  }
  return (performance.now() - t) / 1000 - 1;
}

// ---- Realistic events -------------------------------------------------------------------------

interface EventShape {
  service: string;
  method: string;
  resourceType: string;
  action: string;
  summary: (i: number) => Record<string, unknown> | null;
}

const shapes: EventShape[] = [
  {
    service: "work-service",
    method: "msp.work.v1.SessionService/UpdateSession",
    resourceType: "session",
    action: "update",
    summary: (i) => ({
      status: "completed",
      summary: `Replaced the failing disk in NAS-${i % 97}, rebuilt the array and checked last night's backups`,
      billable_minutes: 15 + (i % 180),
      ended_at: "2026-11-30T16:45:00.000Z",
    }),
  },
  {
    service: "work-service",
    method: "msp.work.v1.WorkItemService/CreateWorkItem",
    resourceType: "work item",
    action: "create",
    summary: (i) => ({
      item_type: "command",
      title: `Restarted the print spooler on WS-${i % 311}`,
      details: { command: "Restart-Service -Name Spooler -Force", exit_code: 0 },
      billable: true,
    }),
  },
  {
    service: "work-service",
    method: "msp.work.v1.ClientService/UpdateClient",
    resourceType: "client",
    action: "update",
    summary: (i) => ({ name: `Client ${i % 400} Ltd`, default_hourly_rate: "120.00", is_active: true }),
  },
  {
    service: "vault-service",
    method: "msp.vault.v1.CredentialService/RevealCredential",
    resourceType: "credential",
    action: "reveal",
    summary: () => ({ reason: "needed to log in to the firewall for the VPN change", field: "secret" }),
  },
  {
    service: "vault-service",
    method: "msp.vault.v1.CredentialService/CreateCredential",
    resourceType: "credential",
    action: "create",
    summary: (i) => ({
      name: `Domain admin ${i % 500}`,
      credential_type: "password",
      username: "administrator",
      url: `https://host-${i % 500}.example`,
      secret: "[REDACTED]",
    }),
  },
  {
    service: "work-service",
    method: "msp.work.v1.SessionService/DeleteSession",
    resourceType: "session",
    action: "delete",
    summary: () => null,
  },
];

/** The spread of resource ids (--resources distinct) and principals (200 technicians, a few keys). */
class Population {
  readonly resourceIds: string[];
  readonly principals: string[];
  constructor(resources: number) {
    this.resourceIds = Array.from({ length: resources }, () => randomUUID());
    this.principals = [
      ...Array.from({ length: 200 }, (_, i) => `tech-${String(i).padStart(3, "0")}`),
      ...Array.from({ length: 10 }, (_, i) => `api-key:${randomBytes(4).toString("hex")}-${i}`),
    ];
  }

  /** Event number i (any order): an outbox row's fields, the summary as an object. */
  event(i: number, occurredAt: Date): PendingEvent & { summary: Record<string, unknown> | null } {
    const shape = shapes[i % shapes.length]!;
    const summary = shape.summary(i);
    return {
      id: uuidv7(),
      occurredAt,
      service: shape.service,
      method: shape.method,
      principal: this.principals[Math.floor(Math.random() * this.principals.length)]!,
      resourceType: shape.resourceType,
      resourceId: this.resourceIds[Math.floor(Math.random() * this.resourceIds.length)]!,
      action: shape.action,
      outcome: i % 50 === 0 ? "denied" : "ok",
      requestSummary: summary === null ? null : canonicalJson(summary),
      sourceIp: `10.0.${i % 250}.${(i >> 8) % 250}`,
      summary,
    };
  }
}

// ---- Bulk writes ------------------------------------------------------------------------------

/** Rows inserted with multi-row INSERTs: the MariaDB driver straight (one connection), or Sequelize on SQLite. */
class BulkWriter {
  private connection: mariadb.Connection | undefined;
  constructor(
    private readonly db: Database,
    private readonly url: string | undefined,
  ) {}

  /** A DATETIME as both dialects store it in UTC. */
  at(date: Date): string {
    const text = date.toISOString().slice(0, 23).replace("T", " ");
    return this.db.dialect === "sqlite" ? `${text} +00:00` : text;
  }

  async insert(table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    if (rows.length === 0) return;
    const perStatement = this.db.dialect === "sqlite" ? 250 : 1000;
    const row = `(${columns.map(() => "?").join(", ")})`;
    const statements: { sql: string; values: unknown[] }[] = [];
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      statements.push({
        sql: `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => row).join(", ")}`,
        values: chunk.flat(),
      });
    }
    if (this.db.dialect === "sqlite") {
      await this.db.transaction(async (transaction) => {
        for (const s of statements) await this.db.sequelize.query(s.sql, { replacements: s.values, transaction });
      });
      return;
    }
    if (!this.connection) {
      const u = new URL(this.url!);
      this.connection = await mariadb.createConnection({
        host: u.hostname,
        port: Number(u.port || 3306),
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
        database: u.pathname.slice(1),
      });
    }
    await this.connection.beginTransaction();
    for (const s of statements) await this.connection.query(s.sql, s.values);
    await this.connection.commit();
  }

  async close(): Promise<void> {
    await this.connection?.end();
  }
}

const outboxColumns = [
  "id",
  "occurred_at",
  "service",
  "method",
  "principal",
  "resource_type",
  "resource_id",
  "action",
  "outcome",
  "request_summary",
  "source_ip",
];
const eventColumns = [...outboxColumns.slice(0, 10), "source_ip", "seq", "prev_hash", "hash", "chained_at"];
const checkpointColumns = ["seq", "hash", "signed_at", "prev_seq", "signature", "public_key_id"];

/** Fills audit_outbox with `count` rows as writeAuditEvent writes them, oldest first from `from`; returns the last id. */
async function fillOutbox(writer: BulkWriter, people: Population, count: number, from: Date): Promise<string> {
  let last = "";
  for (let start = 0; start < count; start += 10_000) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(count, start + 10_000); i++) {
      const e = people.event(i, new Date(from.getTime() + i));
      rows.push([
        e.id,
        writer.at(e.occurredAt),
        e.service,
        e.method,
        e.principal,
        e.resourceType,
        e.resourceId,
        e.action,
        e.outcome,
        e.summary === null ? null : JSON.stringify(e.summary),
        e.sourceIp,
      ]);
      last = e.id;
    }
    await writer.insert("audit_outbox", outboxColumns, rows);
  }
  return last;
}

/**
 * Appends `count` events to the stored chain straight (the audit service stopped): chained after the
 * head with the service's HMAC key, a checkpoint signed every `every` seqs after the last one, as
 * the drain signs them, inserted in bulk. Hashing the next chunk overlaps the insert of the last.
 */
async function extendChain(db: Database, writer: BulkWriter, keys: ChainKeys, people: Population, count: number, every: number) {
  const store = new ChainStore(db);
  let head = await store.head();
  const last = await store.lastCheckpoint();
  let prevCheckpoint = last?.seq ?? 0;
  const chunk = 10_000;
  const firstAt = Date.now() - 400 * 86_400_000;
  const step = (398 * 86_400_000) / count;
  let inserting: Promise<void> = Promise.resolve();
  let hashMs = 0;
  for (let start = 0; start < count; start += chunk) {
    const t = performance.now();
    const pending: PendingEvent[] = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      const { summary: _summary, ...event } = people.event(i, new Date(Math.floor(firstAt + i * step)));
      pending.push(event);
    }
    const events = appendEvents(keys.hmacKey, head, pending);
    const checkpoints: Checkpoint[] = [];
    for (const e of events) {
      if (e.seq - prevCheckpoint >= every) {
        checkpoints.push(signCheckpoint(keys.privateKey, { seq: e.seq, hash: e.hash, signedAt: new Date(), prevSeq: prevCheckpoint }));
        prevCheckpoint = e.seq;
      }
    }
    head = events[events.length - 1]!;
    hashMs += performance.now() - t;
    const chainedAt = writer.at(new Date());
    const eventRows = events.map((e) => [
      e.id,
      writer.at(e.occurredAt),
      e.service,
      e.method,
      e.principal,
      e.resourceType,
      e.resourceId,
      e.action,
      e.outcome,
      e.requestSummary,
      e.sourceIp,
      e.seq,
      e.prevHash,
      e.hash,
      chainedAt,
    ]);
    const checkpointRows = checkpoints.map((c) => [c.seq, c.hash, writer.at(c.signedAt), c.prevSeq, c.signature, keys.publicKeyId]);
    await inserting;
    inserting = (async () => {
      await writer.insert("audit_events", eventColumns, eventRows);
      await writer.insert("audit_checkpoints", checkpointColumns, checkpointRows);
    })();
    if ((start / chunk) % 20 === 19) console.error(`  chain: ${start + chunk} of ${count} events appended`);
  }
  await inserting;
  return { hashSeconds: hashMs / 1000, head };
}

// ---- Measures ---------------------------------------------------------------------------------

interface Context {
  dialect: "mariadb" | "sqlite";
  db: Database;
  store: ChainStore;
  writer: BulkWriter;
  keys: ChainKeys;
  people: Population;
  platform: PlatformStack;
  rest: Rest;
  line: (text: string) => void;
}

async function maxSeq(db: Database): Promise<number> {
  const [row] = await db.select<{ s: unknown }>("SELECT MAX(seq) AS s FROM audit_events", []);
  return Number(row?.s ?? 0);
}

async function outboxCount(db: Database): Promise<number> {
  const [row] = await db.select<{ n: unknown }>("SELECT COUNT(*) AS n FROM audit_outbox", []);
  return Number(row?.n ?? 0);
}

/**
 * Starts the stopped audit service and polls the chain's head every 50 ms until `done` says so:
 * the rate from the first poll that saw progress to the end (the process's start-up not counted),
 * and the CPU of each process over that span.
 */
async function timedDrain(c: Context, done: (seq: number) => Promise<boolean>) {
  const seq0 = await maxSeq(c.db);
  const restarting = c.platform.restartApp(audit);
  let first: { t: number; seq: number; cpu: Map<string, number> } | undefined;
  const started = performance.now();
  let seq = seq0;
  for (;;) {
    seq = await maxSeq(c.db);
    if (!first && seq > seq0) first = { t: performance.now(), seq, cpu: cpuSeconds() };
    if (first && (await done(seq))) break;
    if (performance.now() - started > 900_000) throw new Error("the drain did not finish in 15 minutes");
    await sleep(50);
  }
  const end = performance.now();
  const cpu = cpuSeconds();
  await restarting;
  const from = first as { t: number; seq: number; cpu: Map<string, number> };
  const seconds = (end - from.t) / 1000;
  const events = seq - from.seq;
  return { seconds, events, perSecond: events / seconds, total: seq - seq0, cpu: cpuPer(from.cpu, cpu, events / 1000, auditApps) };
}

async function drainSection(c: Context, outbox: number): Promise<void> {
  const runs: number[] = [];
  for (let run = 0; run < Number(args.runs); run++) {
    await c.platform.stopApp(audit);
    const t = performance.now();
    await fillOutbox(c.writer, c.people, outbox, new Date(Date.now() - 86_400_000));
    if (c.dialect === "mariadb") await c.db.sequelize.query("ANALYZE TABLE audit_outbox");
    const expected = await outboxCount(c.db);
    console.error(
      `${c.dialect}: drain run ${run + 1}: ${expected} outbox rows inserted in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const seq0 = await maxSeq(c.db);
    const r = await timedDrain(c, (seq) => Promise.resolve(seq >= seq0 + expected));
    const left = await outboxCount(c.db);
    console.error(
      `${c.dialect}: drain run ${run + 1}: ${r.events} events in ${r.seconds.toFixed(2)} s after the first batch: ${Math.round(r.perSecond)}/s ` +
        `(${left} left in the outbox); CPU ms per 1,000 events: ${r.cpu}`,
    );
    runs.push(r.perSecond);
  }
  c.line(
    `| ${c.dialect} | drain, audit service as a process, ${outbox} rows | ${runs.length} | ${Math.round(median(runs))} events/s | ${runs.map(Math.round).join(", ")} | >= ${targets.drainPerSecond}/s |`,
  );

  // The same in process: the service's Drainer with its defaults, batches back to back.
  await c.platform.stopApp(audit);
  const settings = auditConfig.parse({});
  const inProcess: number[] = [];
  for (let run = 0; run < Number(args.runs); run++) {
    await fillOutbox(c.writer, c.people, outbox, new Date(Date.now() - 86_400_000));
    if (c.dialect === "mariadb") await c.db.sequelize.query("ANALYZE TABLE audit_outbox");
    const lease = new Lease(c.db, "drain", `audit-bench-${randomUUID()}`, settings.leaseMs);
    for (let i = 0; !(await lease.acquire()); i++) {
      if (i > 40) throw new Error("the drain lease stayed taken");
      await sleep(500);
    }
    const drainer = new Drainer(c.db, c.store, lease, c.keys, createLogger({ service: "audit-bench", level: "warn" }), {
      batch: settings.drainBatch,
      idleMs: settings.drainIdleMs,
      every: settings.checkpointEvery,
      intervalMs: settings.checkpointIntervalMs,
    });
    const cpu = cpuSeconds();
    const t = performance.now();
    let moved = 0;
    for (let n = await drainer.drainBatch(); n > 0; n = await drainer.drainBatch()) moved += n;
    const seconds = (performance.now() - t) / 1000;
    await lease.release();
    console.error(
      `${c.dialect}: in-process drain run ${run + 1}: ${moved} events in ${seconds.toFixed(2)} s: ${Math.round(moved / seconds)}/s; ` +
        `CPU ms per 1,000 events: ${cpuPer(cpu, cpuSeconds(), moved / 1000, [])}`,
    );
    inProcess.push(moved / seconds);
  }
  c.line(
    `| ${c.dialect} | drain in process (Drainer.drainBatch, batch ${settings.drainBatch}), ${outbox} rows | ${inProcess.length} | ${Math.round(median(inProcess))} events/s | ${inProcess.map(Math.round).join(", ")} | >= ${targets.drainPerSecond}/s |`,
  );

  // With writers: 8 callers creating clients through the gateway while the backlog drains.
  const lastId = await fillOutbox(c.writer, c.people, outbox, new Date(Date.now() - 86_400_000));
  c.rest.token = await c.platform.login();
  let writing = true;
  const latencies: number[] = [];
  let serial = 0;
  const writers = Array.from({ length: 8 }, async () => {
    while (writing) {
      const t = performance.now();
      await c.rest.call("POST", "/api/v1/clients", { name: `Audit bench writer ${serial++} ${randomUUID()}` });
      latencies.push(performance.now() - t);
    }
  });
  const seqBefore = await maxSeq(c.db);
  const r = await timedDrain(c, async () => {
    const rows = await c.db.select<{ id: string }>("SELECT id FROM audit_outbox WHERE id = ?", [lastId]);
    return rows.length === 0;
  });
  writing = false;
  await Promise.all(writers);
  const chained = (await maxSeq(c.db)) - seqBefore;
  const l = percentiles(latencies);
  console.error(
    `${c.dialect}: drain with 8 writers: ${r.events} events in ${r.seconds.toFixed(2)} s: ${Math.round(r.perSecond)}/s (${chained} chained in all); ` +
      `creates meanwhile ${l.n}, p50 ${ms(l.p50)} / p95 ${ms(l.p95)} ms; CPU ms per 1,000 events: ${r.cpu}`,
  );
  c.line(
    `| ${c.dialect} | drain of ${outbox} rows with 8 callers creating clients meanwhile | 1 | ${Math.round(r.perSecond)} events/s | creates meanwhile: ${l.n}, p50 ${ms(l.p50)} / p95 ${ms(l.p95)} ms | >= ${targets.drainPerSecond}/s |`,
  );
}

interface VerifyAnswer {
  ok: boolean;
  checkedEvents?: string;
  checkedCheckpoints?: string;
  failure?: unknown;
}

/** One verify of the whole chain through the gateway: its seconds, or Infinity when it failed. */
async function restVerify(c: Context, head: number, label: string): Promise<number> {
  c.rest.token = await c.platform.login();
  const cpu = cpuSeconds();
  const t = performance.now();
  try {
    const answer = await c.rest.call<VerifyAnswer>("POST", "/api/v1/auditEvents:verify", {});
    const seconds = (performance.now() - t) / 1000;
    if (!answer.ok) throw new Error(`the chain did not verify: ${JSON.stringify(answer.failure)}`);
    console.error(
      `${c.dialect}: ${label}: ${answer.checkedEvents} events, ${answer.checkedCheckpoints} checkpoints in ${seconds.toFixed(2)} s; ` +
        `CPU ms per 1,000 events: ${cpuPer(cpu, cpuSeconds(), head / 1000, auditApps)}`,
    );
    return seconds;
  } catch (error) {
    const seconds = (performance.now() - t) / 1000;
    console.error(`${c.dialect}: ${label}: ${String(error).slice(0, 300)} after ${seconds.toFixed(2)} s`);
    // The service goes on verifying after the gateway gave up: wait until it is idle again.
    const more = await untilIdle(audit);
    console.error(`${c.dialect}: the audit service kept working ${more.toFixed(1)} s more after the 504`);
    return Number.POSITIVE_INFINITY;
  }
}

async function verifySection(c: Context): Promise<void> {
  const head = await maxSeq(c.db);
  const [cps] = await c.db.select<{ n: unknown }>("SELECT COUNT(*) AS n FROM audit_checkpoints", []);
  console.error(`${c.dialect}: verifying a chain of ${head} events and ${Number(cps?.n ?? 0)} checkpoints`);
  const settings = auditConfig.parse({});
  // Through the gateway (its deadline: 10 s): first the first verify after the audit service
  // started (its worker threads start with it, cold: nothing compiled, small heaps), then verifies
  // that follow one another (the same threads, warm).
  for (const cold of [true, false]) {
    const times: number[] = [];
    const notes: string[] = [];
    for (let run = 0; run < Number(args.runs); run++) {
      if (cold) {
        await c.platform.stopApp(audit);
        await c.platform.restartApp(audit);
        await untilIdle(audit);
      }
      const label = `REST verify, ${cold ? "first after a start" : "warm"}, run ${run + 1}`;
      const seconds = await restVerify(c, head, label);
      times.push(seconds);
      notes.push(Number.isFinite(seconds) ? `${seconds.toFixed(2)} s` : "failed");
    }
    c.line(
      `| ${c.dialect} | VerifyAuditChain via gateway (POST /api/v1/auditEvents:verify), ${cold ? "the first after the audit service started" : "warm (one after another)"}, ${head} events | ${times.length} | ${median(times).toFixed(2)} s | ${notes.join(", ")} | <= ${targets.verifySeconds} s |`,
    );
  }

  // Straight to the audit service over gRPC, no deadline: what the service takes.
  const grpc: number[] = [];
  const client = new AuditServiceClient(c.platform.addresses[audit]!, credentials.createInsecure());
  for (let run = 0; run < Number(args.runs); run++) {
    const metadata = new Metadata();
    metadata.set("authorization", `Bearer ${await c.platform.login()}`);
    const cpu = cpuSeconds();
    const t = performance.now();
    const answer = await new Promise<VerifyAuditChainResponse>((resolve, reject) =>
      client.verifyAuditChain(VerifyAuditChainRequest.fromPartial({}), metadata, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
    const seconds = (performance.now() - t) / 1000;
    if (!answer.ok) throw new Error(`the chain did not verify over gRPC: ${JSON.stringify(answer.failure)}`);
    grpc.push(seconds);
    console.error(
      `${c.dialect}: gRPC verify run ${run + 1}: ${answer.checkedEvents} events in ${seconds.toFixed(2)} s; ` +
        `CPU ms per 1,000 events: ${cpuPer(cpu, cpuSeconds(), head / 1000, auditApps)}`,
    );
  }
  client.close();
  c.line(
    `| ${c.dialect} | VerifyAuditChain over gRPC straight to the audit service (no deadline), ${head} events | ${grpc.length} | ${median(grpc).toFixed(2)} s | ${grpc.map((s) => s.toFixed(2)).join(", ")} | <= ${targets.verifySeconds} s |`,
  );

  // In process: the service's verifyStoredChain (the next page read while this one is hashed).
  const inProcess: number[] = [];
  for (let run = 0; run < Number(args.runs); run++) {
    const cpu = cpuSeconds();
    const t = performance.now();
    const result = await verifyStoredChain(c.store, c.keys, { fromSeq: 0, toSeq: 0 }, settings.checkpointEvery);
    const seconds = (performance.now() - t) / 1000;
    if (!result.ok) throw new Error(`the chain did not verify in process: ${JSON.stringify(result.failure)}`);
    inProcess.push(seconds);
    console.error(
      `${c.dialect}: in-process verify run ${run + 1}: ${result.checkedEvents} events in ${seconds.toFixed(2)} s; ` +
        `CPU ms per 1,000 events: ${cpuPer(cpu, cpuSeconds(), head / 1000, [])}`,
    );
  }
  c.line(
    `| ${c.dialect} | verifyStoredChain in process, ${head} events | ${inProcess.length} | ${median(inProcess).toFixed(2)} s | ${inProcess.map((s) => s.toFixed(2)).join(", ")} | <= ${targets.verifySeconds} s |`,
  );

  // The same pages read one after the other, ChainVerifier's own time kept apart.
  const splits: { read: number; verify: number }[] = [];
  for (let run = 0; run < Number(args.runs); run++) {
    const last = await maxSeq(c.db);
    const verifier = new ChainVerifier({
      hmacKey: c.keys.hmacKey,
      publicKey: c.keys.publicKey,
      anchor: null,
      maxEventsBetweenCheckpoints: settings.checkpointEvery,
    });
    let read = 0;
    let verify = 0;
    let t = performance.now();
    const checkpoints = await c.store.checkpoints(0, last, 10_000_000);
    read += performance.now() - t;
    t = performance.now();
    verifier.addCheckpoints(checkpoints);
    verify += performance.now() - t;
    for (let after = 0; after < last; ) {
      t = performance.now();
      const page: ChainEvent[] = await c.store.eventsAfter(after, last, 5000);
      read += performance.now() - t;
      if (page.length === 0) break;
      t = performance.now();
      verifier.addEvents(page);
      verify += performance.now() - t;
      after = page[page.length - 1]!.seq;
    }
    t = performance.now();
    const result = verifier.finish();
    verify += performance.now() - t;
    if (!result.ok) throw new Error(`the chain did not verify: ${JSON.stringify(result.failure)}`);
    splits.push({ read: read / 1000, verify: verify / 1000 });
    console.error(
      `${c.dialect}: sequential run ${run + 1}: reads ${(read / 1000).toFixed(2)} s (pages of 5,000 + the checkpoints), ChainVerifier ${(verify / 1000).toFixed(2)} s`,
    );
  }
  c.line(
    `| ${c.dialect} | the same pages one after the other: reading (ChainStore) / ChainVerifier in memory | ${splits.length} | ${median(splits.map((s) => s.read)).toFixed(2)} s / ${median(splits.map((s) => s.verify)).toFixed(2)} s | ${splits.map((s) => `${s.read.toFixed(2)} / ${s.verify.toFixed(2)}`).join(", ")} | |`,
  );
}

async function querySection(c: Context): Promise<void> {
  const head = await maxSeq(c.db);
  const orders: [string, string][] = [
    ["orderBy=seq", "&orderBy=seq"],
    ["default order (seq desc)", ""],
  ];
  for (const [label, order] of orders) {
    c.rest.token = await c.platform.login();
    let found = 0;
    const call = async () => {
      const id = c.people.resourceIds[Math.floor(Math.random() * c.people.resourceIds.length)]!;
      const path = `/api/v1/auditEvents?filter=${encodeURIComponent(`resource_id = "${id}"`)}${order}`;
      const t = performance.now();
      const page = await c.rest.call<{ auditEvents?: { resourceId: string }[] }>("GET", path);
      const took = performance.now() - t;
      const events = page.auditEvents ?? [];
      if (events.some((e) => e.resourceId !== id)) throw new Error(`${path} answered events of another resource`);
      found += events.length;
      return took;
    };
    for (let i = 0; i < Number(args.warmup); i++) await call();
    found = 0;
    const samples: number[] = [];
    const cpu = cpuSeconds();
    for (let i = 0; i < Number(args.queries); i++) samples.push(await call());
    const p = percentiles(samples);
    console.error(
      `${c.dialect}: query ${label}: ${(found / samples.length).toFixed(1)} events per answer; CPU ms per call: ${cpuPer(cpu, cpuSeconds(), samples.length, auditApps)}`,
    );
    c.line(
      `| ${c.dialect} | GET /api/v1/auditEvents?filter=resource_id = "<random id>", ${label}, 1 caller, ${head} events | ${p.n} calls | p95 ${ms(p.p95)} ms | p50 ${ms(p.p50)} / p95 ${ms(p.p95)} / p99 ${ms(p.p99)} ms, ${(found / samples.length).toFixed(1)} events per answer | p95 <= ${targets.queryP95Ms} ms |`,
    );
  }
}

/**
 * Lag at rest: one client created at a time through the gateway, then the chain polled straight in
 * the database (every 5 ms) until the create's event is chained; the time from the create's answer
 * to the event's chained_at as the service recorded it, and to when the poll saw it.
 */
async function lagSection(c: Context): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < Number(args.lags); i++) {
    const created = await c.rest.call<{ id: string }>("POST", "/api/v1/clients", { name: `lag ${Date.now()} ${i}` });
    const answered = Date.now();
    for (;;) {
      const [row] = await c.db.select<{ seq: unknown }>("SELECT seq FROM audit_events WHERE resource_id = ?", [created.id]);
      if (row) break;
      if (Date.now() - answered > 30_000) throw new Error(`the create of client ${created.id} was not chained in 30 s`);
      await sleep(5);
    }
    samples.push(Date.now() - answered);
    await sleep(300 + Math.random() * 300);
  }
  const p = percentiles(samples);
  c.line(
    `| ${c.dialect} | lag at rest: a create's answer to its event chained (polled every 5 ms) | ${p.n} creates | p95 ${ms(p.p95)} ms | p50 ${ms(p.p50)} / p95 ${ms(p.p95)} / max ${ms(Math.max(...samples))} ms | < 1 s |`,
  );
}

async function mutationSection(c: Context): Promise<void> {
  const perCaller = Number(args.creates);
  let serial = 0;
  const samples = new Map<string, number[]>();
  const blockLines: string[] = [];
  const createBlock = async (callers: number) => {
    const latencies: number[] = [];
    let left = callers === 1 ? perCaller : perCaller * callers;
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (left-- > 0) {
          const t = performance.now();
          await c.rest.call("POST", "/api/v1/clients", { name: `Audit bench client ${serial++} ${randomUUID()}` });
          latencies.push(performance.now() - t);
        }
      }),
    );
    return latencies;
  };
  let running = true;
  const setState = async (want: boolean) => {
    if (want === running) return;
    if (want) {
      await c.platform.restartApp(audit);
      // The backlog of the stopped block first: measure the drain at steady state.
      for (let i = 0; i < 600 && (await outboxCount(c.db)) > 0; i++) await sleep(100);
    } else {
      await c.platform.stopApp(audit);
    }
    running = want;
  };
  c.rest.token = await c.platform.login();
  await createBlock(8); // warm-up
  const blocks = Number(args.blocks);
  for (let pair = 0; pair < blocks; pair++) {
    for (const state of pair % 2 === 0 ? [false, true] : [true, false]) {
      await setState(state);
      c.rest.token = await c.platform.login();
      const name = state ? "running" : "stopped";
      for (const callers of [1, 8]) {
        const cpu = cpuSeconds();
        const latencies = await createBlock(callers);
        const p = percentiles(latencies);
        const key = `${name} ${callers}`;
        samples.set(key, [...(samples.get(key) ?? []), ...latencies]);
        const text = `${c.dialect}: creates, audit service ${name}, ${callers} caller(s): p50 ${ms(p.p50)} / p95 ${ms(p.p95)} ms; CPU ms per create: ${cpuPer(cpu, cpuSeconds(), latencies.length, auditApps)}`;
        console.error(text);
        blockLines.push(text);
      }
    }
  }
  await setState(true);
  for (const callers of [1, 8]) {
    const stopped = percentiles(samples.get(`stopped ${callers}`) ?? []);
    const drained = percentiles(samples.get(`running ${callers}`) ?? []);
    c.line(
      `| ${c.dialect} | POST /api/v1/clients, ${callers} caller${callers > 1 ? "s" : ""}, ${blocks} blocks each: audit stopped / running | ${stopped.n} / ${drained.n} | p50 ${ms(stopped.p50)} / ${ms(drained.p50)} ms, p95 ${ms(stopped.p95)} / ${ms(drained.p95)} ms | ratio running/stopped: p50 ${(drained.p50 / stopped.p50).toFixed(2)}, p95 ${(drained.p95 / stopped.p95).toFixed(2)} | not measurably worse |`,
    );
  }
}

// ---- Driver -----------------------------------------------------------------------------------

async function bench(dialect: "sqlite" | "mariadb"): Promise<string[]> {
  const fresh = await freshBenchDatabase(dialect, "audit");
  const config = fresh.config;
  const totalEvents = Number(dialect === "sqlite" ? args["sqlite-events"] : args.events);
  const outbox = Number(dialect === "sqlite" ? args["sqlite-outbox"] : args.outbox);
  const db = createDatabase(config, auditModels);
  const writer = new BulkWriter(db, config.databaseUrl);
  let platform: PlatformStack | undefined;
  let rest: Rest | undefined;
  const lines: string[] = [];
  const line = (text: string) => {
    console.error(text);
    lines.push(text);
  };
  let restorePool: (() => Promise<void>) | undefined;
  try {
    if (dialect === "mariadb") restorePool = await sizeBufferPool(db);
    await migrateUp(db, migrations);
    // The chain's keys, given to the service by its variables, so that the chain built here is its own.
    const hmacKey = randomBytes(32);
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const keys: ChainKeys = { hmacKey, hmacKeyId: hmacKeyId(hmacKey), privateKey, publicKey, publicKeyId: publicKeyId(publicKey) };
    const auditEnv = {
      MSP_AUDIT_HMAC_KEY: hmacKey.toString("base64"),
      MSP_AUDIT_SIGNING_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    };
    platform = await startPlatform({ database: config, poolMax: 20, envByApp: { [audit]: auditEnv }, nodeArgs: profiledApps() });
    rest = new Rest(platform.baseUrl, await platform.login());
    const people = new Population(Number(args.resources));
    const c: Context = { dialect, db, store: new ChainStore(db), writer, keys, people, platform, rest, line };

    // The chain up to --events, less what the drain runs will add.
    const drained = sections.has("drain") ? outbox * (2 * Number(args.runs) + 1) : 0;
    const direct = Math.max(0, totalEvents - drained);
    await platform.stopApp(audit);
    const t = performance.now();
    const built = await extendChain(db, writer, keys, people, direct, auditConfig.parse({}).checkpointEvery);
    if (dialect === "mariadb") await db.sequelize.query("ANALYZE TABLE audit_events, audit_checkpoints");
    console.error(
      `${dialect}: ${direct} events chained and inserted in ${((performance.now() - t) / 1000).toFixed(1)} s (hashing and signing ${built.hashSeconds.toFixed(1)} s)`,
    );
    if (sections.has("drain")) await drainSection(c, outbox);
    else await platform.restartApp(audit);
    for (let i = 0; i < 600 && (await outboxCount(db)) > 0; i++) await sleep(100);
    if (sections.has("verify")) await verifySection(c);
    if (sections.has("query")) await querySection(c);
    if (sections.has("mutation")) await mutationSection(c);
    if (sections.has("lag")) await lagSection(c);
    return lines;
  } finally {
    rest?.close();
    await restorePool?.();
    await writer.close();
    await db.close();
    await platform?.stop();
    await fresh.dispose();
  }
}

/**
 * Prints MariaDB's buffer pool size and, with --buffer-pool MiB, sets it (it changes online) until
 * the returned function puts the old size back. A pool smaller than audit_events (about 770 MiB
 * with indexes for 1,000,000 events) reads the chain from disk at every verify.
 */
async function sizeBufferPool(db: Database): Promise<(() => Promise<void>) | undefined> {
  const poolBytes = async () => {
    const [row] = await db.select<{ size: unknown }>("SELECT @@GLOBAL.innodb_buffer_pool_size AS size", []);
    return Number(row?.size);
  };
  const setPool = async (bytes: number) => {
    await db.sequelize.query(`SET GLOBAL innodb_buffer_pool_size = ${bytes}`);
    for (let i = 0; i < 600; i++) {
      // The resize runs in the background; its status says "Completed resizing ..." when done.
      const [status] = await db.select<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_resize_status'", []);
      if (!/^(resizing|withdrawing|allocating|buffer pool resize requested)/i.test(status?.Value ?? "")) break;
      await sleep(100);
    }
  };
  const before = await poolBytes();
  const wanted = args["buffer-pool"] === undefined ? undefined : Number(args["buffer-pool"]) * 1024 * 1024;
  if (wanted !== undefined) await setPool(wanted);
  console.error(`mariadb: innodb_buffer_pool_size ${((await poolBytes()) / 1048576).toFixed(0)} MiB (was ${(before / 1048576).toFixed(0)} MiB)`);
  return wanted === undefined ? undefined : () => setPool(before);
}

async function main(): Promise<void> {
  const dialects: ("sqlite" | "mariadb")[] = args.db === "both" ? ["mariadb", "sqlite"] : [args.db as "sqlite" | "mariadb"];
  const lines: string[] = [];
  for (const dialect of dialects) lines.push(...(await bench(dialect)));
  console.log("| database | measure | runs | median | each run | target |");
  console.log("|---|---|---|---|---|---|");
  for (const text of lines) console.log(text);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
