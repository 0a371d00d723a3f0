import { mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { tempDir } from "../test-support/temp-dirs";
import { createServer } from "node:net";
import type { AddressInfo, Server, Socket } from "node:net";
import { join } from "node:path";
import { writeConfig } from "../local/cli-config";
import { mspPaths } from "../local/msp-home";
import { readLog } from "../local/error-log";
import { redactLazily } from "../local/lazy-redact";
import { markUnreachable, sessionStartWindowMs } from "../local/reachability";
import { readSpoolFile, activeSpoolFile } from "../spool/spool-file";
import { scaled } from "@msp/testing/src/slowness";
import { runHook } from "./run-hook";

/** A server that accepts connections and never answers: the slowest platform there is. */
async function blackHole(): Promise<{ server: Server; url: string; close: () => void }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** A port nothing listens on: the platform is down. */
async function closedPort(): Promise<string> {
  const { server, url } = await blackHole();
  await new Promise((resolve) => server.close(resolve));
  return url;
}

function machine(server: string) {
  const home = tempDir("msp-home-");
  const paths = mspPaths(home);
  writeConfig(paths.config, {
    server,
    machineId: "m1",
    machineName: "LAPTOP-3",
    fingerprint: "f",
    apiKey: "msp_x_y",
    setupAt: new Date().toISOString(),
  });
  return paths;
}

/**
 * What a hook run may take beyond its budget, or in all where it must not wait for the platform: its
 * own work, on a machine five times slower than usual (times MSP_TEST_SLOWNESS). A hook that
 * ignored its budget, or waited for a platform known to be down (a budget's 1 or 2 s), still fails.
 */
const overheadMs = scaled(100);

const input = (event: Record<string, unknown>) => JSON.stringify({ session_id: "claude-1", cwd: tmpdir(), ...event });

describe("hook budgets", () => {
  // The hooks redact what they log and spool. Under jest the redactor's first load also compiles its
  // TypeScript; the bundled hook does not, so that cost is paid here, before anything is timed.
  beforeAll(() => {
    redactLazily("warm-up: mysql -pS3cret");
  });

  it("SessionStart against a platform that never answers gives up within its 2 s budget, prints nothing, spools the session", async () => {
    const hole = await blackHole();
    try {
      const paths = machine(hole.url);
      const started = Date.now();
      const output = await runHook("session-start", input({ hook_event_name: "SessionStart", source: "startup" }), paths, tmpdir());
      const took = Date.now() - started;
      expect(output).toBe("");
      expect(took).toBeLessThan(2_000 + overheadMs);
      expect(took).toBeGreaterThan(1_000); // it did wait for the platform, up to its budget
      const spooled = readSpoolFile(join(paths.spool, activeSpoolFile)).events;
      expect(spooled).toMatchObject([{ kind: "session-open", claudeSessionId: "claude-1", uncertain: true }]);
      expect(
        readLog(paths.log)
          .map((entry) => entry.message)
          .join("\n"),
      ).toMatch(/recall failed: .*no answer within/);
    } finally {
      hole.close();
    }
  });

  it("UserPromptSubmit with an error in the prompt gives up within its 1 s budget", async () => {
    const hole = await blackHole();
    try {
      const paths = machine(hole.url);
      const started = Date.now();
      const output = await runHook("user-prompt-submit", input({ prompt: "why do I get ECONNREFUSED on web01?" }), paths, tmpdir());
      expect(output).toBe("");
      expect(Date.now() - started).toBeLessThan(1_000 + overheadMs);
      expect(readLog(paths.log)[0]?.message).toMatch(/no answer within/);
    } finally {
      hole.close();
    }
  });

  it("with the platform down every hook returns at once and spools what it must", async () => {
    const paths = machine(await closedPort());
    const transcript = join(paths.home, "t.jsonl");
    writeFileSync(transcript, '{"type":"user"}\n');
    const events: Array<[Parameters<typeof runHook>[0], Record<string, unknown>]> = [
      ["session-start", { source: "startup" }],
      ["user-prompt-submit", { prompt: "deploy failed with error 500" }],
      [
        "post-tool-use",
        {
          tool_name: "Bash",
          tool_use_id: "toolu_1",
          tool_input: { command: "mysql -u root -pDown-S3cret crm" },
          tool_response: { stdout: "password: Down-S3cret", stderr: "" },
        },
      ],
      [
        "post-tool-use",
        {
          tool_name: "Write",
          tool_use_id: "toolu_2",
          tool_input: { file_path: transcript, content: "x" },
          tool_response: { type: "create" },
        },
      ],
      ["stop", { transcript_path: transcript }],
    ];
    for (const [event, extra] of events) {
      const started = Date.now();
      expect(await runHook(event, input(extra), paths, tmpdir())).toBe("");
      expect(Date.now() - started).toBeLessThan(overheadMs);
    }
    const spooled = readSpoolFile(join(paths.spool, activeSpoolFile)).events;
    expect(spooled.map((event) => event.kind)).toEqual(["session-open", "command", "file-change", "transcript"]);
    // Found down by SessionStart: the tool events were spooled without a try, redacted before they reached the disk.
    expect(spooled[1]).toMatchObject({ kind: "command", data: { commandText: "mysql -u root -p[REDACTED:password] crm" } });
    expect(spooled[1]).not.toHaveProperty("unredacted");
    expect(readFileSync(join(paths.spool, activeSpoolFile), "utf8")).not.toContain("Down-S3cret");
  });

  it("a prompt's <private> text is kept out of the commands the session spools, and out of the config folder", async () => {
    const paths = machine(await closedPort());
    const prompt = "log in to the NAS <private>as admin with Nas!2025x at 10.9.8.7</private> and check the disks";
    expect(await runHook("user-prompt-submit", input({ prompt }), paths, tmpdir())).toBe("");
    const command = {
      tool_name: "Bash",
      tool_use_id: "toolu_private",
      tool_input: { command: "echo Nas!2025x | ssh admin@10.9.8.7 sudo -S df -h" },
      tool_response: { stdout: "Filesystem on 10.9.8.7", stderr: "" },
    };
    expect(await runHook("post-tool-use", input(command), paths, tmpdir())).toBe("");
    const [spooled] = readSpoolFile(join(paths.spool, activeSpoolFile)).events;
    expect(spooled).toMatchObject({
      kind: "command",
      data: { commandText: "echo [private] | ssh admin@[private] sudo -S df -h" },
    });
    expect(spooled).toMatchObject({ data: { outputSummary: "Filesystem on [private]" } });
    const everything = [paths.spool, paths.sessions].flatMap((dir) =>
      readdirSync(dir).map((file) => readFileSync(join(dir, file), "utf8")),
    );
    expect(everything.join("\n")).not.toMatch(/Nas!2025x|10\.9\.8\.7/);
  });

  it("SessionStart seconds after the platform was found unreachable spools at once instead of waiting on it again", async () => {
    const hole = await blackHole();
    try {
      const paths = machine(hole.url);
      markUnreachable(paths.cache);
      const started = Date.now();
      expect(await runHook("session-start", input({ source: "startup" }), paths, tmpdir())).toBe("");
      expect(Date.now() - started).toBeLessThan(overheadMs);
      expect(readSpoolFile(join(paths.spool, activeSpoolFile)).events).toMatchObject([{ kind: "session-open" }]);
    } finally {
      hole.close();
    }
  });

  it("SessionStart past its retry window probes the platform found down: still refused, it spools with one connect and logs nothing", async () => {
    const paths = machine(await closedPort());
    markUnreachable(paths.cache);
    const marker = join(paths.cache, "platform-unreachable");
    const foundDownAt = new Date(Date.now() - sessionStartWindowMs - 5_000);
    utimesSync(marker, foundDownAt, foundDownAt);
    expect(await runHook("session-start", input({ source: "startup" }), paths, tmpdir())).toBe("");
    expect(readSpoolFile(join(paths.spool, activeSpoolFile)).events).toMatchObject([{ kind: "session-open" }]);
    expect(readLog(paths.log, 10, ["error", "warn", "info"])).toEqual([]);
    // The breaker was renewed: the next SessionStart within the window does not even probe.
    expect(statSync(marker).mtimeMs).toBeGreaterThan(foundDownAt.getTime() + 1_000);
  });

  it("SessionStart past its retry window tries the platform again once it accepts connections", async () => {
    const hole = await blackHole();
    try {
      const paths = machine(hole.url);
      markUnreachable(paths.cache);
      const foundDownAt = new Date(Date.now() - sessionStartWindowMs - 5_000);
      utimesSync(join(paths.cache, "platform-unreachable"), foundDownAt, foundDownAt);
      const started = Date.now();
      expect(await runHook("session-start", input({ source: "startup" }), paths, tmpdir())).toBe("");
      // It waited for the recall (a platform that accepts and never answers), as it does when nothing was found down.
      expect(Date.now() - started).toBeGreaterThan(1_000);
      expect(
        readLog(paths.log, 10)
          .map((entry) => entry.message)
          .join("\n"),
      ).toMatch(/recall failed: .*no answer within/);
    } finally {
      hole.close();
    }
  });

  it("a hook without setup, or with input that is not Claude's, prints nothing and fails quietly", async () => {
    const home = tempDir("msp-home-");
    mkdirSync(home, { recursive: true });
    expect(await runHook("session-start", input({}), mspPaths(home), tmpdir())).toBe("");
    const paths = machine(await closedPort());
    expect(await runHook("stop", "not json", paths, tmpdir())).toBe("");
    expect(readFileSync(paths.log, "utf8")).toContain("hook input is not JSON");
  });
});
