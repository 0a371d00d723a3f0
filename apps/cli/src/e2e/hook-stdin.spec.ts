// A hook process reads Claude's JSON on stdin whole, however it arrives: in pieces, with a pause
// between them, and more of it than a pipe or socket buffer holds at once.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { withSlowness } from "@msp/testing";
import { writeConfig } from "../local/cli-config";
import { mspPaths } from "../local/msp-home";
import { activeSpoolFile, readSpoolFile } from "../spool/spool-file";
import { buildBundles, createMachine, gitClone, launcher, removeMachine } from "./cli-harness";

jest.setTimeout(withSlowness(60_000));

const machine = createMachine("STDIN", "e2e-fingerprint-stdin");
const paths = mspPaths(machine.mspHome);
let repo: string;

/** A port nothing listens on: the platform is down, so the hooks spool what they record. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  buildBundles();
  repo = gitClone(machine.root, "repo", "https://github.com/acme/stdin.git");
  writeConfig(paths.config, {
    server: `http://127.0.0.1:${await closedPort()}`,
    machineId: "machine-stdin",
    machineName: "STDIN",
    fingerprint: "e2e-fingerprint-stdin",
    apiKey: "msp_stdin_key",
    setupAt: new Date().toISOString(),
  });
});
afterAll(() => removeMachine(machine));

/** `msp hook <event>` as a process whose stdin the test writes. */
function hookProcess(event: string) {
  const child = spawn(process.execPath, [launcher, "hook", event], { env: machine.env, cwd: repo, stdio: ["pipe", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", resolve);
  });
  return { child, exited };
}

test("JSON written in pieces, with a pause, and larger than a pipe holds, is read whole", async () => {
  const payload = JSON.stringify({
    hook_event_name: "PostToolUse",
    session_id: "stdin-pieces",
    cwd: repo,
    tool_name: "Bash",
    tool_use_id: "toolu_stdin_pieces",
    tool_input: { command: "journalctl -u nginx --no-pager" },
    // 400 KB: more than a socket's or a pipe's buffer holds, so the hook reads while Claude still writes.
    tool_response: { stdout: "nginx[812]: upstream timed out\n".repeat(13_000), stderr: "" },
  });
  const { child, exited } = hookProcess("post-tool-use");
  child.stdin.write(payload.slice(0, 1_000));
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.stdin.end(payload.slice(1_000));
  expect(await exited).toBe(0);
  const spooled = readSpoolFile(join(paths.spool, activeSpoolFile)).events.filter((event) => event.claudeSessionId === "stdin-pieces");
  expect(spooled).toHaveLength(1);
  expect(spooled[0]).toMatchObject({ kind: "command", data: { commandText: "journalctl -u nginx --no-pager" } });
});
