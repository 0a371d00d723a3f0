import { createHash } from "node:crypto";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";

/**
 * Words of an MSP's notes, then a long tail of names (hosts, tickets, error codes), drawn with
 * Zipf-like weights: the first words are in most items, the tail's in a few.
 */
const commonWords = (
  "server backup nginx docker restart dns firewall powershell vpn certificate renew ssl user password policy group " +
  "exchange mailbox outlook sharepoint onedrive teams license tenant azure intune autopilot laptop printer driver " +
  "update patch windows linux ubuntu debian kernel disk raid volume snapshot replication veeam restore job schedule " +
  "cron log rotate monitor alert zabbix prometheus grafana switch vlan router gateway subnet dhcp lease static route " +
  "proxy reverse upstream timeout latency bandwidth wifi access point radius ldap active directory domain controller " +
  "gpo share permission ntfs folder quota antivirus defender malware phishing mfa conditional access token api " +
  "webhook integration syncro autotask ticket invoice billing migration cutover rollback deploy container compose " +
  "kubernetes helm registry image build pipeline git branch merge release version postgres mysql mariadb index query " +
  "slow vacuum cache redis memcached memory cpu load balancer health check uptime outage incident root cause fix " +
  "verify workaround script automation scheduled task service account rotation secret vault encryption key tls " +
  "cipher hsts header cookie session browser chrome edge firefox extension plugin wordpress php apache iis site " +
  "binding port listen socket connection refused reset handshake error warning failed succeeded installed removed"
).split(" ");
const tailWords = ["srv", "host", "ticket", "err", "vm", "ws", "db", "app", "site", "acct"].flatMap((prefix) =>
  Array.from({ length: 400 }, (_, n) => `${prefix}${n}`),
);
export const benchVocabulary = [...commonWords, ...tailWords];

/** A seeded random generator (mulberry32): the same database on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(20261126);
const cumulative = (() => {
  let sum = 0;
  return benchVocabulary.map((_, rank) => (sum += 1 / (rank + 1)));
})();

/** A word drawn with weight 1/rank. */
export function benchWord(): string {
  const target = random() * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return benchVocabulary[low]!;
}

const words = (n: number) => Array.from({ length: n }, benchWord).join(" ");
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
const sqlTime = (time: Date) => time.toISOString().slice(0, 23).replace("T", " ");
const daysAgo = (days: number) => sqlTime(new Date(Date.now() - days * 86_400_000));
const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/** What the benchmark seeded: its projects (with their client) and clients. */
export interface RecallSeed {
  projects: { id: string; clientId: string; repository: string }[];
  clientIds: string[];
  counts: Record<string, number>;
}

async function insertBatches(db: Database, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const batch = Math.max(1, Math.floor(4000 / columns.length));
  for (let i = 0; i < rows.length; i += batch) {
    const slice = rows.slice(i, i + batch);
    await db.transaction((transaction) =>
      db.sequelize.query(
        `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${slice.map(() => `(${columns.map(() => "?").join(", ")})`).join(", ")}`,
        { replacements: slice.flatMap((row) => columns.map((c) => row[c])), transaction },
      ),
    );
  }
}

/**
 * Fills a migrated database with Claude's memory for `projects` projects of `clients` clients:
 * `contexts` conversation contexts (half as many snippets, a fifth as many decisions, some on the
 * same subject), a state per project, and the clients' insights and failure patterns.
 */
export async function seedRecall(
  db: Database,
  options: { contexts: number; snippets?: number; projects: number; clients: number },
): Promise<RecallSeed> {
  const clientIds = Array.from({ length: options.clients }, () => uuidv7());
  const projects = Array.from({ length: options.projects }, (_, i) => ({
    id: uuidv7(),
    clientId: clientIds[i % clientIds.length]!,
    repository: `github.com/bench/project-${i}`,
  }));
  const machines = ["LAPTOP-3", "DESKTOP-9", "WS-ANNA", "MBP-TOM", "JUMPHOST"];
  const entity = (created: string) => ({ id: uuidv7(), revision: 1, created_at: created, updated_at: created });
  const scopeOf = (i: number) => {
    const project = projects[i % projects.length]!;
    return { project_id: project.id, client_id: project.clientId, repository: project.repository, machine_name: pick(machines) };
  };

  const contexts = Array.from({ length: options.contexts }, (_, i) => {
    const created = daysAgo(random() * 365);
    const summary = words(80);
    return {
      ...entity(created),
      ...scopeOf(i),
      context_type: "session_summary",
      title: words(6),
      dense_summary: summary,
      tags: JSON.stringify([benchWord(), benchWord(), benchWord()]),
      importance: 3 + Math.floor(random() * 6),
      content_hash: hash(summary),
      ended_at: created,
      pinned: random() < 0.0005 ? 1 : 0,
    };
  });
  await insertBatches(db, "conversation_contexts", contexts);

  const snippets = Array.from({ length: options.snippets ?? Math.floor(options.contexts / 2) }, (_, i) => {
    const created = daysAgo(random() * 365);
    const content = words(30);
    return {
      ...entity(created),
      ...scopeOf(i),
      category: pick(["configuration", "pattern", "lesson_learned", "command"]),
      title: words(5),
      dense_content: content,
      tags: JSON.stringify([benchWord(), benchWord()]),
      importance: 3 + Math.floor(random() * 6),
      content_hash: hash(content),
    };
  });
  await insertBatches(db, "context_snippets", snippets);

  const decisions = Array.from({ length: Math.floor(options.contexts / 5) }, (_, i) => {
    const subject = `${commonWords[i % 30]} choice`;
    return {
      ...entity(daysAgo(random() * 365)),
      ...scopeOf(i),
      decision: `Use ${words(4)}`,
      rationale: words(20),
      subject,
      subject_key: subject,
      impact: pick(["low", "medium", "high", "critical"]),
      tags: JSON.stringify([benchWord()]),
    };
  });
  await insertBatches(db, "decision_logs", decisions);

  const states = projects.map((project) => ({
    ...entity(daysAgo(random() * 10)),
    project_id: project.id,
    client_id: project.clientId,
    repository: project.repository,
    scope_key: `project:${project.id}`,
    current_phase: pick(["planning", "building", "testing", "deploying", "maintenance"]),
    progress_percent: Math.floor(random() * 100),
    summary: words(40),
    next_actions: JSON.stringify([words(6), words(6), words(6)]),
    blockers: JSON.stringify(random() < 0.3 ? [words(5)] : []),
    machine_name: pick(machines),
  }));
  await insertBatches(db, "project_states", states);

  const insights = clientIds.flatMap((clientId) =>
    Array.from({ length: 10 }, () => ({
      ...entity(daysAgo(random() * 200)),
      client_id: clientId,
      host: `srv-${Math.floor(random() * 20)}`,
      category: "command_constraints",
      title: words(6),
      description: words(25),
      priority: Math.floor(random() * 11),
    })),
  );
  await insertBatches(db, "environmental_insights", insights);

  const patterns = clientIds.flatMap((clientId) =>
    Array.from({ length: 6 }, (_, i) => {
      const seen = daysAgo(random() * 100);
      return {
        ...entity(seen),
        client_id: clientId,
        host: `srv-${i}`,
        scope_key: `${clientId}:-`,
        pattern_type: "command_compatibility",
        signature: hash(`${clientId}${i}`),
        error_pattern: `${words(5)} failed`,
        recommended_solution: i % 2 === 0 ? words(8) : null,
        occurrence_count: 1 + Math.floor(random() * 6),
        first_seen_at: seen,
        last_seen_at: seen,
      };
    }),
  );
  await insertBatches(db, "failure_patterns", patterns);

  return {
    projects,
    clientIds,
    counts: {
      conversation_contexts: contexts.length,
      context_snippets: snippets.length,
      decision_logs: decisions.length,
      project_states: states.length,
      environmental_insights: insights.length,
      failure_patterns: patterns.length,
    },
  };
}
