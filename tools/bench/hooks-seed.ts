// Seeds the memory the hooks benchmark recalls from: clients, projects with repository URLs, and
// 100,000 conversation contexts spread over the projects, with bulk INSERTs into a migrated
// database (the recall service's full-text index follows through its own triggers or FULLTEXT).
import { createHash } from "node:crypto";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";

export interface HookBenchSeed {
  clientIds: string[];
  projectIds: string[];
  /** Repository URL of project i is repoUrl(i). */
  repoUrl: (index: number) => string;
  /** Host names the contexts mention, for prompts that name something known. */
  hosts: string[];
}

const words = [
  "nginx",
  "docker",
  "backup",
  "restore",
  "certificate",
  "renewal",
  "firewall",
  "vpn",
  "dns",
  "mailbox",
  "exchange",
  "sharepoint",
  "postgres",
  "mariadb",
  "replication",
  "kubernetes",
  "ingress",
  "letsencrypt",
  "ssh",
  "rsync",
  "cron",
  "powershell",
  "intune",
  "bitlocker",
  "printer",
  "switch",
  "vlan",
  "wireguard",
  "grafana",
  "prometheus",
  "alertmanager",
  "zfs",
  "snapshot",
  "raid",
];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

/** Fills the database; `contexts` rows over `projects` projects of `clients` clients. */
export async function seedHookBench(
  db: Database,
  options: { clients: number; projects: number; contexts: number },
): Promise<HookBenchSeed> {
  const now = new Date();
  const stamp = (date: Date) => date.toISOString().slice(0, 23).replace("T", " ");
  const clientIds = Array.from({ length: options.clients }, () => uuidv7());
  const projectIds = Array.from({ length: options.projects }, () => uuidv7());
  const repoUrl = (index: number) => `https://github.com/bench-msp/repo-${index}.git`;
  const hosts = Array.from(
    { length: 50 },
    (_, i) => `srv-${pick(["dc", "web", "db", "mail", "fs"], i)}${String(i).padStart(2, "0")}.bench.local`,
  );
  await db.transaction(async (transaction) => {
    await db.sequelize.query(
      `INSERT INTO clients (id, revision, created_at, updated_at, name, client_type, is_active) VALUES ${clientIds.map(() => "(?, 1, ?, ?, ?, 'msp_client', 1)").join(", ")}`,
      { replacements: clientIds.flatMap((id, i) => [id, stamp(now), stamp(now), `Bench client ${i}`]), transaction },
    );
    await db.sequelize.query(
      `INSERT INTO projects (id, revision, created_at, updated_at, client_id, name, slug, category, status, priority, repo_url) VALUES ${projectIds
        .map(() => "(?, 1, ?, ?, ?, ?, ?, 'client_project', 'working', 'medium', ?)")
        .join(", ")}`,
      {
        replacements: projectIds.flatMap((id, i) => [
          id,
          stamp(now),
          stamp(now),
          pick(clientIds, i),
          `Bench project ${i}`,
          `bench-project-${i}`,
          repoUrl(i),
        ]),
        transaction,
      },
    );
  });
  const batch = 500;
  for (let start = 0; start < options.contexts; start += batch) {
    const rows = Array.from({ length: Math.min(batch, options.contexts - start) }, (_, j) => {
      const n = start + j;
      const project = n % options.projects;
      const created = new Date(now.getTime() - (n % 365) * 86_400_000 - (n % 1440) * 60_000);
      const topic = [pick(words, n), pick(words, n * 7 + 3), pick(words, n * 13 + 5)];
      const host = pick(hosts, n * 3);
      const title = `${topic[0]} ${topic[1]} on ${host} (${n})`;
      const summary = `# ${title}\n## Goals\n- fix ${topic[0]} ${topic[1]} for bench client ${project % options.clients}\n## Problems\n- ${topic[2]} failed on ${host}: error ${1000 + (n % 9000)} -> cause: ${topic[1]} misconfigured -> fix: restarted ${topic[0]} -> verified with curl\n## State\n- next: watch ${topic[2]} for a week`;
      return { n, project, created, title, summary, tags: [...new Set(topic)], hash: createHash("sha256").update(summary).digest("hex") };
    });
    await db.transaction((transaction) =>
      db.sequelize.query(
        `INSERT INTO conversation_contexts (id, revision, created_at, updated_at, project_id, client_id, machine_name, claude_session_id, idempotency_key, repository, context_type, title, dense_summary, tags, importance, source_tokens, summary_tokens, content_hash, pinned, recall_count, useful_count) VALUES ${rows
          .map(() => "(?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 'session_summary', ?, ?, ?, ?, ?, ?, ?, 0, 0, 0)")
          .join(", ")}`,
        {
          replacements: rows.flatMap((row) => [
            uuidv7(),
            stamp(row.created),
            stamp(row.created),
            projectIds[row.project]!,
            pick(clientIds, row.project),
            `BENCH-${row.n % 7}`,
            `bench-session-${row.n}`,
            `bench-key-${row.n}`,
            `github.com/bench-msp/repo-${row.project}`,
            row.title,
            row.summary,
            JSON.stringify(row.tags),
            3 + (row.n % 6),
            4000 + (row.n % 20_000),
            300 + (row.n % 500),
            row.hash,
          ]),
          transaction,
        },
      ),
    );
  }
  return { clientIds, projectIds, repoUrl, hosts };
}
