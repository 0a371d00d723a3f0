// `npm start` keeps the platform running: a service killed with SIGKILL is replaced (by its warm
// spare) while the other processes go on, and the gateway answers 503 for it meanwhile, never a
// hang or a 500.
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { addressesVariable, platformServices, portVariable } from "@msp/registry";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase, freePort, withSlowness } from "@msp/testing";

jest.setTimeout(withSlowness(240_000));

const root = join(__dirname, "..", "..", "..");
const password = "Supervised-admin-1";
let database: TestDatabase;
let stack: ChildProcess;
const output: string[] = [];
let baseUrl: string;

/** Resolves with the first line matching `pattern` that `npm start` prints (now or later). */
function lineMatching(pattern: RegExp, timeoutMs = 180_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const found = output.map((line) => pattern.exec(line)).find((m) => m !== null);
    if (found) return resolve(found);
    const timer = setTimeout(
      () => reject(new Error(`no line matched ${pattern} in ${timeoutMs} ms:\n${output.slice(-30).join("\n")}`)),
      timeoutMs,
    );
    const check = (line: string) => {
      const match = pattern.exec(line);
      if (match === null) return;
      clearTimeout(timer);
      waiters.delete(check);
      resolve(match);
    };
    waiters.add(check);
  });
}
const waiters = new Set<(line: string) => void>();

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  database = await createTestDatabase();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MSP_DATA_DIR: database.config.dataDir,
    MSP_BOOTSTRAP_ADMIN_PASSWORD: password,
    LOG_LEVEL: "warn",
    // A spare of the service this test kills only: spares of the others would only cost the suite time.
    MSP_WARM_SPARES: "work-service",
    GATEWAY_PORT: String(await freePort()),
    ...(database.config.databaseUrl ? { DATABASE_URL: database.config.databaseUrl } : {}),
  };
  for (const service of platformServices) {
    const port = await freePort();
    env[portVariable(service)] = String(port);
    env[addressesVariable(service)] = `127.0.0.1:${port}`;
  }
  baseUrl = `http://127.0.0.1:${env["GATEWAY_PORT"]}`;
  stack = spawn(process.execPath, ["--import", "tsx", "tools/stack/start.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [stack.stdout!, stack.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => {
      output.push(line);
      for (const waiter of [...waiters]) waiter(line);
    });
  }
  // npm start says so once every process serves: a JSON line here (stdout is not a terminal).
  await lineMatching(/"msg":"the MSP platform is running"|^The MSP platform is running/);
});

afterAll(async () => {
  if (stack && stack.exitCode === null) {
    const exited = new Promise((resolve) => stack.once("exit", resolve));
    stack.kill("SIGTERM");
    await exited;
  }
  await database?.drop();
});

it("replaces a service killed with SIGKILL while the others keep running, answering 503 meanwhile", async () => {
  // npm start's "running" line (JSON: stdout is not a terminal) names each process's pid.
  const running = JSON.parse((await lineMatching(/^\{.*"msg":"the MSP platform is running"/)).input) as { pids: Record<string, number> };
  const pidOf = (app: string) => Number(running.pids[app]);
  const [work, recall, gateway] = [pidOf("work-service"), pidOf("recall-service"), pidOf("gateway")];
  const login = await fetch(`${baseUrl}/api/v1/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const list = () =>
    fetch(`${baseUrl}/api/v1/clients?pageSize=1`, {
      headers: { authorization: `Bearer ${accessToken}` },
      signal: AbortSignal.timeout(10_000),
    }).then(
      (r) => r.status,
      () => 0,
    );
  expect(await list()).toBe(200);

  process.kill(work, "SIGKILL");
  const killedAt = Date.now();
  const gap: number[] = [];
  let status = 0;
  while (Date.now() - killedAt < 120_000) {
    status = await list();
    if (status === 200) break;
    gap.push(status);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const backAfterMs = Date.now() - killedAt;
  console.log(
    `work-service served again ${backAfterMs} ms after SIGKILL; answers meanwhile: ${JSON.stringify([...new Set(gap)])} x${gap.length}`,
  );
  expect(status).toBe(200);
  expect(gap.filter((s) => s !== 503)).toEqual([]);
  expect([alive(recall), alive(gateway), alive(work)]).toEqual([true, true, false]);
  await lineMatching(/work-service exited unexpectedly \(SIGKILL\)/);
  await lineMatching(/work-service is serving again \(pid \d+\)/);
});
