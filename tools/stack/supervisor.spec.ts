// The supervisor with real child processes (fixtures/flaky-service.ts serves, then crashes).
import { join } from "node:path";
import type { PlatformProcess } from "@msp/registry";
import { Supervisor } from "./supervisor";
import { withSlowness } from "@msp/testing";

jest.setTimeout(withSlowness(60_000));

const flaky: PlatformProcess = {
  app: "flaky-service",
  entry: "tools/stack/fixtures/flaky-service.ts",
  services: [],
  gateway: false,
  nodeArgs: [],
  readyPrefix: "flaky-service listening on",
};

function supervised(spares: "all" | [], lifetimeMs: number) {
  const notices: string[] = [];
  const ready: string[] = [];
  let gaveUp: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (gaveUp = resolve));
  const supervisor = new Supervisor({
    cwd: join(__dirname, "..", ".."),
    env: { ...process.env, FLAKY_LIFETIME_MS: String(lifetimeMs) },
    readyTimeoutMs: 30_000,
    spares,
    policy: { delaysMs: [0, 50], maxCrashes: 2, windowMs: 60_000 },
    onLine: (_app, line) => void (line.startsWith(flaky.readyPrefix) && ready.push(line)),
    onNotice: (message) => {
      notices.push(message);
      if (message.includes("not restarting")) gaveUp();
    },
  });
  return { supervisor, notices, ready, done };
}

it.each([
  // A spare still loading when the first crash comes is waited for: the lifetime only sets the pace.
  ["with a warm spare", "all" as const, 300],
  ["without spares", [] as [], 200],
])("restarts a process that exits after it served, then gives up on repeated crashes (%s)", async (_name, spares, lifetimeMs) => {
  const { supervisor, notices, ready, done } = supervised(spares, lifetimeMs);
  try {
    const pid = await supervisor.start(flaky);
    supervisor.startSpares();
    expect(pid).toBeGreaterThan(0);
    await done;
    // Started once, then replaced once; the second crash within the window is the last.
    expect(ready).toHaveLength(2);
    expect(notices.filter((n) => n.startsWith("flaky-service exited unexpectedly (code 3)"))).toHaveLength(1);
    expect(notices.filter((n) => n.startsWith("flaky-service is serving again"))).toHaveLength(1);
    expect(notices.at(-1)).toMatch(
      /^flaky-service exited \(code 3\) 2 times within 60 s; not restarting it\. The rest of the platform keeps running/,
    );
    expect(notices.some((n) => n.includes("its warm spare takes over"))).toBe(spares === "all");
  } finally {
    await supervisor.stopAll(2000);
  }
});

it("loads the spares one after the other, so that they never take the cores together", async () => {
  const lines: string[] = [];
  const supervisor = new Supervisor({
    cwd: join(__dirname, "..", ".."),
    env: { ...process.env, FLAKY_LIFETIME_MS: "600000", FLAKY_LOAD_MS: "300" },
    readyTimeoutMs: 30_000,
    spares: "all",
    onLine: (app, line) => void (line.startsWith("spare ") && lines.push(`${app} ${line}`)),
    onNotice: () => undefined,
  });
  const apps = ["one", "two", "three"];
  try {
    for (const app of apps) await supervisor.start({ ...flaky, app });
    supervisor.startSpares();
    const deadline = Date.now() + withSlowness(30_000);
    while (lines.length < 2 * apps.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toEqual(apps.flatMap((app) => [`${app} spare loading`, `${app} spare loaded`]));
  } finally {
    await supervisor.stopAll(2000);
  }
});

it("fails start() when a process exits before it serves", async () => {
  const { supervisor } = supervised([], 0);
  try {
    await expect(supervisor.start({ ...flaky, readyPrefix: "never printed" })).rejects.toThrow(
      /flaky-service exited \(code 3\) before it served/,
    );
  } finally {
    await supervisor.stopAll(2000);
  }
});
