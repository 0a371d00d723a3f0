// Benchmark (not a test) of the infrastructure service's questions through the gateway over REST, on
// the platform as `npm start` runs it (every service a process), on a fresh database seeded in bulk:
//  - impact: GET /api/v1/services/{id}:impact of random services of a graph of --services services
//    and --relationships relationships (100 clients, each a layered graph: front ends need
//    applications, applications need data and platform services, with backend_for and replicates_to
//    links the other way and a few cycles), p50/p95/p99 over --calls calls (target: p95 <= 20 ms);
//    dependencies the other way, likewise;
//  - firewall analysis: GET /api/v1/assets/{id}/firewallRules:analyze of a firewall with --rules rules
//    (syntheticRuleSet), median of --runs calls (target: <= 200 ms); and the analysis alone, in process;
//  - asset page: GET /api/v1/assets/{id}:page of random assets (parent, children, services, networks,
//    changes; the vault asked for open incidents), p50/p95/p99 over --calls calls (target: p95 <= 15 ms).
// CPU milliseconds per call of each process go to stderr.
//   npm run bench:infra -- [--db both|mariadb|sqlite] [--services 10000] [--relationships 30000] [--rules 2000]
//     [--calls 1000] [--warmup 100] [--runs 30]
//   MariaDB: MSP_BENCH_MARIADB_URL (default mariadb://root@127.0.0.1:3306/msp_infra_bench, recreated and dropped).
import { parseArgs } from "node:util";
import type { Database } from "@msp/db";
import { createDatabase, migrateUp, uuidv7 } from "@msp/db";
import { migrations } from "@msp/migrations";
import type { PlatformStack } from "@msp/testing";
import { startPlatform } from "@msp/testing";
import { analyzeFirewallRules } from "../../apps/infra-service/src/network/firewall-analysis";
import { seededRandom, syntheticRuleSet } from "../../apps/infra-service/src/network/firewall-fixtures";
import { infraModels } from "../../apps/infra-service/src/models";
import { freshBenchDatabase } from "./bench-database";
import { Rest, cpuPer, cpuSeconds, median, percentiles } from "./bench-kit";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "both" },
    services: { type: "string", default: "10000" },
    relationships: { type: "string", default: "30000" },
    rules: { type: "string", default: "2000" },
    calls: { type: "string", default: "1000" },
    warmup: { type: "string", default: "100" },
    runs: { type: "string", default: "30" },
  },
});

const targets = { impactP95Ms: 20, firewallMs: 200, pageP95Ms: 15 };
const infraApps = ["gateway", "infra-service", "vault-service"];
const ms = (n: number) => n.toFixed(2);
const clientsCount = 100;
const random = seededRandom(20261205);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Multi-row INSERTs of `rows` (objects with the same keys) into `table`, 500 rows a statement. */
async function insertRows(db: Database, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500);
    await db.sequelize.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${part.map(() => tuple).join(", ")}`, {
      replacements: part.flatMap((row) => columns.map((c) => row[c])),
    });
  }
}

const entity = () => {
  const now = new Date();
  return { id: uuidv7(), revision: 1, created_at: now, updated_at: now };
};

interface Seed {
  serviceIds: string[];
  assetIds: string[];
  firewallId: string;
}

/**
 * Per client: 3 hypervisors, each with VMs (20 assets in all), services spread over them in layers
 * (10% platform: directory, DNS; 20% data; 40% applications; 30% front ends), and relationships from
 * each upper-layer service to services of lower layers; every 12th link is written the other way
 * (backend_for, replicates_to), and one link in 200 points up (cycles).
 */
async function seed(db: Database, clientIds: readonly string[]): Promise<Seed> {
  const perClient = Math.ceil(Number(args.services) / clientIds.length);
  const linksPerClient = Math.ceil(Number(args.relationships) / clientIds.length);
  const assets: Record<string, unknown>[] = [];
  const services: Record<string, unknown>[] = [];
  const relationships: Record<string, unknown>[] = [];
  const networks: Record<string, unknown>[] = [];
  const changes: Record<string, unknown>[] = [];
  const serviceIds: string[] = [];
  const assetIds: string[] = [];
  clientIds.forEach((clientId, c) => {
    const hosts: string[] = [];
    for (let a = 0; a < 20; a++) {
      const row = {
        ...entity(),
        client_id: clientId,
        parent_host_id: a < 3 ? null : hosts[a % 3],
        asset_type: a < 3 ? "physical_server" : "virtual_machine",
        hostname: `c${c}-host${a}`,
        ip_address: `10.${c}.${Math.floor(a / 10)}.${10 + a}`,
        status: "active",
        os: a % 2 ? "Windows Server" : "Debian",
        limitations: JSON.stringify(a % 5 === 0 ? ["no internet access"] : []),
      };
      hosts.push(row.id);
      assets.push(row);
      assetIds.push(row.id);
      for (let k = 0; k < 10; k++) {
        changes.push({
          ...entity(),
          infrastructure_id: row.id,
          change_type: "service_config",
          target_system: `change ${k}`,
          is_permanent: true,
          verified: false,
        });
      }
    }
    for (let n = 0; n < 10; n++) {
      const third = Math.floor(n / 2);
      const cidr = n % 2 ? `10.${c}.${third}.0/24` : `10.${c}.${third}.0/23`;
      const start = (10 << 24) | (c << 16) | (third << 8);
      const size = n % 2 ? 256 : 512;
      const hex = (v: number) => `4${v.toString(16).padStart(32, "0")}`;
      networks.push({
        ...entity(),
        client_id: clientId,
        name: `net ${n}`,
        network_type: "lan",
        cidr,
        range_start: hex(start),
        range_end: hex(start + size - 1),
        overlap_allowed: true,
      });
    }
    const layers: string[][] = [[], [], [], []];
    const shares = [0.1, 0.2, 0.4, 0.3];
    for (let s = 0; s < perClient; s++) {
      const id = uuidv7();
      const layer = s < perClient * shares[0]! ? 0 : s < perClient * (shares[0]! + shares[1]!) ? 1 : s < perClient * 0.7 ? 2 : 3;
      layers[layer]!.push(id);
      serviceIds.push(id);
      const now = new Date();
      services.push({
        id,
        revision: 1,
        created_at: now,
        updated_at: now,
        infrastructure_id: pick(hosts),
        name: `svc ${s}`,
        status: "running",
      });
    }
    const seen = new Set<string>();
    for (let l = 0; l < linksPerClient; l++) {
      const upper = 1 + Math.floor(random() * 3);
      const from = pick(layers[upper]!);
      const to = pick(layers[Math.floor(random() * upper)]!);
      const reversed = l % 12 === 0;
      const up = l % 200 === 0;
      const [a, b] = up ? [to, from] : reversed ? [to, from] : [from, to];
      const relationship = up
        ? "depends_on"
        : reversed
          ? pick(["backend_for", "replicates_to"])
          : pick(["depends_on", "depends_on", "hosted_on", "authenticates_via", "proxied_by"]);
      const key = `${a}|${b}|${relationship}`;
      if (a === b || seen.has(key)) continue;
      seen.add(key);
      relationships.push({ ...entity(), from_service_id: a, to_service_id: b, relationship });
    }
  });
  await insertRows(
    db,
    "infrastructure",
    assets.filter((a) => a["parent_host_id"] === null),
  );
  await insertRows(
    db,
    "infrastructure",
    assets.filter((a) => a["parent_host_id"] !== null),
  );
  await insertRows(db, "services", services);
  await insertRows(db, "service_relationships", relationships);
  await insertRows(db, "networks", networks);
  await insertRows(db, "infrastructure_changes", changes);
  const firewall = { ...entity(), client_id: clientIds[0], asset_type: "firewall", hostname: "fw-bench", status: "active" };
  await insertRows(db, "infrastructure", [firewall]);
  const rules = syntheticRuleSet(Number(args.rules), 7).map((rule) => ({
    ...entity(),
    infrastructure_id: firewall.id,
    name: rule.name,
    source_cidr: rule.sourceCidr,
    destination_cidr: rule.destinationCidr,
    port_range: rule.portRange,
    protocol: rule.protocol,
    action: rule.action,
    position: rule.position,
    is_enabled: rule.isEnabled,
  }));
  await insertRows(db, "firewall_rules", rules);
  console.error(
    `seeded ${assets.length + 1} assets, ${services.length} services, ${relationships.length} relationships, ${networks.length} networks, ${changes.length} changes, ${rules.length} rules`,
  );
  return { serviceIds, assetIds, firewallId: firewall.id };
}

/** Latencies of `calls` GETs of random paths after a warm-up, with the CPU each process spent per call. */
async function latencies(rest: Rest, label: string, pathOf: () => string, calls: number): Promise<string> {
  for (let i = 0; i < Number(args.warmup); i++) await rest.call("GET", pathOf());
  const samples: number[] = [];
  const cpu = cpuSeconds();
  for (let i = 0; i < calls; i++) {
    const path = pathOf();
    const t = performance.now();
    await rest.call("GET", path);
    samples.push(performance.now() - t);
  }
  const p = percentiles(samples);
  console.error(`${label}: CPU ms per call: ${cpuPer(cpu, cpuSeconds(), calls, infraApps)}`);
  return `p50 ${ms(p.p50)} / p95 ${ms(p.p95)} / p99 ${ms(p.p99)} ms over ${p.n} calls`;
}

async function measure(dialect: string, rest: Rest, seeded: Seed, incidents: number): Promise<string[]> {
  const lines: string[] = [];
  const line = (text: string) => {
    console.error(text);
    lines.push(`${dialect}: ${text}`);
  };
  const calls = Number(args.calls);
  let reached = 0;
  let sampled = 0;
  const impactPath = () => `/api/v1/services/${pick(seeded.serviceIds)}:impact`;
  // How big the answers are: the mean number of services an impact reaches.
  for (let i = 0; i < 200; i++) {
    const answer = await rest.call<{ services?: unknown[] }>("GET", impactPath());
    reached += answer.services?.length ?? 0;
    sampled++;
  }
  line(
    `impact (${(reached / sampled).toFixed(1)} services reached on average): ${await latencies(rest, "impact", impactPath, calls)} (target p95 <= ${targets.impactP95Ms} ms)`,
  );
  line(`dependencies: ${await latencies(rest, "dependencies", () => `/api/v1/services/${pick(seeded.serviceIds)}:dependencies`, calls)}`);

  const runs: number[] = [];
  let findings = 0;
  for (let i = 0; i < Number(args.runs); i++) {
    const t = performance.now();
    const answer = await rest.call<{ findings?: unknown[] }>("GET", `/api/v1/assets/${seeded.firewallId}/firewallRules:analyze`);
    runs.push(performance.now() - t);
    findings = answer.findings?.length ?? 0;
  }
  const rules = syntheticRuleSet(Number(args.rules), 7);
  const alone: number[] = [];
  for (let i = 0; i < Number(args.runs); i++) {
    const t = performance.now();
    analyzeFirewallRules(rules);
    alone.push(performance.now() - t);
  }
  line(
    `firewall analysis of ${args.rules} rules (${findings} findings): median ${ms(median(runs))} ms, p95 ${ms(percentiles(runs).p95)} ms through the gateway over ${runs.length} runs; the analysis alone median ${ms(median(alone))} ms (target <= ${targets.firewallMs} ms)`,
  );
  line(
    `asset page (${incidents} assets with open incidents): ${await latencies(rest, "page", () => `/api/v1/assets/${pick(seeded.assetIds)}:page`, calls)} (target p95 <= ${targets.pageP95Ms} ms)`,
  );
  return lines;
}

async function bench(dialect: "sqlite" | "mariadb"): Promise<string[]> {
  const fresh = await freshBenchDatabase(dialect, "infra");
  const config = fresh.config;
  const db = createDatabase(config, infraModels);
  let platform: PlatformStack | undefined;
  let rest: Rest | undefined;
  try {
    await migrateUp(db, migrations);
    platform = await startPlatform({ database: config, poolMax: 20 });
    rest = new Rest(platform.baseUrl, await platform.login());
    const clientIds: string[] = [];
    for (let c = 0; c < clientsCount; c++)
      clientIds.push((await rest.call<{ id: string }>("POST", "/api/v1/clients", { name: `Bench client ${c}` })).id);
    const seeded = await seed(db, clientIds);
    // Open incidents on some assets, through the vault's API.
    const withIncidents = seeded.assetIds.filter((_, i) => i % 10 === 0);
    for (const id of withIncidents) {
      await rest.call("POST", "/api/v1/securityIncidents", {
        infrastructureId: id,
        incidentType: "INCIDENT_TYPE_MALWARE",
        severity: "INCIDENT_SEVERITY_HIGH",
        description: "bench",
      });
    }
    return await measure(dialect, rest, seeded, withIncidents.length);
  } finally {
    rest?.close();
    await db.close();
    await platform?.stop();
    await fresh.dispose();
  }
}

async function main(): Promise<void> {
  const dialects = args.db === "both" ? (["mariadb", "sqlite"] as const) : ([args.db] as ["mariadb" | "sqlite"]);
  const lines: string[] = [];
  for (const dialect of dialects) lines.push(...(await bench(dialect)));
  console.log(lines.join("\n"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
