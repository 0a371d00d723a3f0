// How long a service is gone when it dies under `npm start`: kills the work service with SIGKILL
// a few times and times each gap until the gateway answers 200 again (polled every 20 ms), with
// the warm spares (the default) and without them (MSP_WARM_SPARES=0), in one run.
//   npx tsx tools/bench/restart-bench.ts [--kills 4] [--pause-ms 3000]
// (At most four kills per run: `npm start` gives a service up after five crashes in a minute.)
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { addressesVariable, platformServices, portVariable } from "@msp/registry";
import { freePort } from "@msp/testing";

const { values: args } = parseArgs({ options: { kills: { type: "string", default: "4" }, "pause-ms": { type: "string", default: "3000" } } });
const kills = Math.min(4, Number(args.kills));
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
  for (const stream of [child.stdout!, child.stderr!]) {
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
  await waitFor(/^Press Ctrl-C to stop\./);
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

async function gaps(spares: boolean): Promise<number[]> {
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
    let pid = Number((await stack.waitFor(/^ {2}work-service .* pid (\d+)$/))[1]);
    const measured: number[] = [];
    for (let i = 0; i < kills; i++) {
      // Time for the spare to load again (and for the first one after start-up).
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const seen = stack.lines.length;
      process.kill(pid, "SIGKILL");
      const killedAt = performance.now();
      while ((await status()) !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
      measured.push(performance.now() - killedAt);
      pid = Number((await stack.waitFor(/work-service is serving again \(pid (\d+)\)/, seen))[1]);
    }
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
  for (const spares of [true, false]) {
    const measured = await gaps(spares);
    const ms = measured.map((m) => Math.round(m));
    console.log(
      `${spares ? "warm spares" : "cold restart"}: SIGKILL -> 200 through the gateway, median ${Math.round(median(measured))} ms, ` +
        `min ${Math.min(...ms)}, max ${Math.max(...ms)} (${ms.join(", ")} ms)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
