// `msp hook <event>` typed by hand: stdin is a terminal, and the hook says what it reads instead of
// waiting for input. `script` gives the process a pseudo-terminal, as an interactive shell would.
import { spawnSync } from "node:child_process";
import { buildBundles, createMachine, launcher, removeMachine } from "./cli-harness";

const machine = createMachine("TERMINAL", "e2e-fingerprint-terminal");
const haveScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;

beforeAll(() => buildBundles());
afterAll(() => removeMachine(machine));

(haveScript ? test : test.skip)("run at a terminal, it explains what it expects and exits at once", () => {
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(launcher)} hook session-start`;
  // -e: the child's exit status; the output (the pseudo-terminal's) comes on script's stdout.
  const result = spawnSync("script", ["-qec", command, "/dev/null"], {
    env: machine.env,
    cwd: machine.home,
    encoding: "utf8",
    timeout: 60_000,
    stdio: ["ignore", "pipe", "pipe"],
  });
  expect(result.error).toBeUndefined(); // a hook that waited for input would hit the timeout
  expect(result.status).toBe(0);
  expect(result.stdout).toContain("msp hook session-start: reads the JSON Claude Code sends on stdin");
  expect(result.stdout).toContain("| msp hook session-start");
});
