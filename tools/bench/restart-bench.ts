// How long a service is gone when it dies under `npm start`: kills the work service with SIGKILL
// and times the gap until the gateway answers 200 again (polled every 20 ms), with a warm spare
// (the default) and without (MSP_WARM_SPARES=0), alternating, one kill per fresh `npm start`:
// a second kill within a minute would measure the crash-loop backoff (1, 2, 5 s) instead.
//   npx tsx tools/bench/restart-bench.ts [--runs 5] [--pause-ms 3000]
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { addressesVariable, platformServices, portVariable } from "@msp/registry";
import { freePort } from "@msp/testing";

const { values: args } = parseArgs({
  options: { runs: { type: "string", default: "5" }, "pause-ms": { type: "string", default: "3000" } },
});
const runs = Number(args.runs);
const pauseMs = Number(args["pause-ms"]);
const root = join(__dirname, "..", "..");
const password = "Restart-bench-admin-1";

interface Stack {
  child: ChildProcess;
  lines: string[];
  waitFor(pattern: RegExp, after?: number): Promise<RegExpExecArray>;
  baseUrl: string;
  stop(): Promise<void>;
}

async function startStack(spares: boolean): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), "msp-restart-bench-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MSP_DATA_DIR: dataDir,
    MSP_BOOTSTRAP_ADMIN_PASSWORD: password,
    MSP_WARM_SPARES: spares ? "1" : "0",
    LOG_LEVEL: "warn",
    GATEWAY_PORT: String(await freePort()),
  };
  for (const service of platformServices) {
    const port = await freePort();
    env[portVariable(service)] = String(port);
    env[addressesVariable(service)] = `127.0.0.1:${port}`;
  }
  const child = spawn(process.execPath, ["--import", "tsx", "tools/stack/start.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      lines.push(line);
      for (const waiter of [...waiters]) waiter();
    });
  }
  const waitFor = (pattern: RegExp, after = 0) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matched ${pattern}:\n${lines.slice(-20).join("\n")}`)), 180_000);
      const check = () => {
        for (const line of lines.slice(after)) {
          const match = pattern.exec(line);
          if (match) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(match);
            return;
          }
        }
      };
      waiters.add(check);
      check();
    });
  await waitFor(/"msg":"the MSP platform is running"|^The MSP platform is running/);
  return {
    child,
    lines,
    waitFor,
    baseUrl: `http://127.0.0.1:${env["GATEWAY_PORT"]}`,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One kill of the work service under a fresh `npm start`: milliseconds until it serves again. */
async function gap(spares: boolean): Promise<number> {
  const stack = await startStack(spares);
  try {
    const login = await fetch(`${stack.baseUrl}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const status = () =>
      fetch(`${stack.baseUrl}/api/v1/clients?pageSize=1`, { headers: { authorization: `Bearer ${accessToken}` } }).then(
        (r) => r.status,
        () => 0,
      );
    // npm start's "running" line (JSON: stdout is not a terminal) names each process's pid.
    const running = JSON.parse((await stack.waitFor(/^\{.*"msg":"the MSP platform is running"/)).input) as { pids: Record<string, number> };
    const pid = Number(running.pids["work-service"]);
    // Time for the spares to load after start-up.
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const seen = stack.lines.length;
    process.kill(pid, "SIGKILL");
    const killedAt = performance.now();
    while ((await status()) !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    const measured = performance.now() - killedAt;
    await stack.waitFor(/work-service is serving again \(pid \d+\)/, seen);
    return measured;
  } finally {
    await stack.stop();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main(): Promise<void> {
  const measured = new Map<boolean, number[]>([
    [true, []],
    [false, []],
  ]);
  for (let run = 0; run < runs; run++) for (const spares of [true, false]) measured.get(spares)!.push(await gap(spares));
  for (const [spares, gaps] of measured) {
    const ms = gaps.map((m) => Math.round(m));
    console.log(
      `${spares ? "warm spare" : "cold restart"}: SIGKILL -> 200 through the gateway, median ${Math.round(median(gaps))} ms, ` +
        `min ${Math.min(...ms)}, max ${Math.max(...ms)} (${ms.join(", ")} ms)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
