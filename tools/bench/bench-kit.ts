// What the benchmarks share: latency percentiles, CPU per call of each process, and a keep-alive
// JSON client for the gateway.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { Agent, request } from "node:http";

export interface Latencies {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(samples: readonly number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

/**
 * CPU seconds so far of this process, the platform's processes (its children) and a local mariadbd,
 * read from /proc (Linux; only this process elsewhere): what each costs per call, whatever else the
 * machine runs.
 */
export function cpuSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  const usage = process.cpuUsage();
  out.set("bench client", (usage.user + usage.system) / 1e6);
  if (!existsSync("/proc/self/stat")) return out;
  const ticksPerSecond = 100; // USER_HZ
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cpu = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
      if (name === "mariadbd") out.set("mariadbd", cpu);
      else if (Number(fields[1]) === process.pid) {
        const app = /apps\/([a-z-]+)\/src\/main\.ts/.exec(readFileSync(`/proc/${entry}/cmdline`, "utf8"))?.[1];
        if (app) out.set(app, cpu);
      }
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

export const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** CPU milliseconds per unit of each named process (and mariadbd, this script) between two cpuSeconds() readings; a process started since counts from 0. */
export function cpuPer(before: Map<string, number>, after: Map<string, number>, units: number, apps: readonly string[]): string {
  return [...apps, "mariadbd", "bench client"]
    .filter((name) => after.has(name))
    .map((name) => `${name} ${(((after.get(name)! - (before.get(name) ?? 0)) * 1000) / units).toFixed(2)}`)
    .join(", ");
}

/** JSON over HTTP/1.1 keep-alive (node:http: less client CPU per call than fetch on two shared cores). */
export class Rest {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly url: URL;
  constructor(
    baseUrl: string,
    public token: string,
  ) {
    this.url = new URL(baseUrl);
  }

  /** The answer's JSON; anything but 200 throws, naming the call. */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { authorization: `Bearer ${this.token}` };
    if (payload !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const outgoing = request(
        { agent: this.agent, host: this.url.hostname, port: this.url.port, method, path, headers, timeout: 60_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode !== 200) reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
            else resolve(JSON.parse(text) as T);
          });
        },
      );
      outgoing.on("timeout", () => outgoing.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
      outgoing.on("error", reject);
      outgoing.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * Node arguments per app from MSP_BENCH_CPU_PROFILE ("vault-service,gateway"): each named process
 * writes a V8 CPU profile (`--cpu-prof`) into MSP_BENCH_CPU_PROFILE_DIR (default ./cpu-profiles)
 * when the platform stops, for finding where a benchmark's CPU goes.
 */
export function profiledApps(env: NodeJS.ProcessEnv = process.env): Record<string, string[]> {
  const apps = (env["MSP_BENCH_CPU_PROFILE"] ?? "").split(",").map((app) => app.trim()).filter((app) => app !== "");
  const dir = env["MSP_BENCH_CPU_PROFILE_DIR"] ?? "cpu-profiles";
  return Object.fromEntries(apps.map((app) => [app, ["--cpu-prof", `--cpu-prof-dir=${dir}`]]));
}
