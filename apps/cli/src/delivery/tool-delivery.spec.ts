import { tempDir } from "../test-support/temp-dirs";
import { mspPaths } from "../local/msp-home";
import { ApiError } from "../platform/http-json";
import type { PlatformClient } from "../platform/platform-client";
import type { SpoolEvent } from "../spool/spool-event";
import type { DeliveryContext } from "./delivery-context";
import { deliverCommand } from "./tool-delivery";
import { ensureWorkSession } from "./work-session";

/** A fake of the few platform calls these functions make, recording them. */
function fakePlatform(existingCommands: Array<{ commandText: string }> = []) {
  const calls: string[] = [];
  let sessions = 0;
  const platform = {
    // Writes of one event get keys of their own (platform-client eventWriteKeys); the fake needs none.
    forEvent() {
      return this;
    },
    findWorkSessions: (machineId: string, external: string) => {
      calls.push(`find ${machineId} ${external}`);
      return Promise.resolve({ items: sessions > 0 ? [{ id: "ws-1" }] : [], nextPageToken: "" });
    },
    createWorkSession: () => {
      calls.push("create session");
      sessions++;
      if (sessions > 1) return Promise.reject(new ApiError(409, "already_exists", "exists"));
      return Promise.resolve({ id: "ws-1" });
    },
    listRaw: (path: string, _field: string, filter: string) => {
      calls.push(`list ${path} ${filter}`);
      return Promise.resolve(existingCommands);
    },
    createCommandRun: (row: { commandText?: string }) => {
      calls.push(`create command ${row.commandText}`);
      return Promise.resolve({ id: "c-1" });
    },
  };
  return { platform: platform as unknown as PlatformClient, calls };
}

function context(platform: PlatformClient): DeliveryContext {
  const home = tempDir("msp-delivery-");
  return {
    platform,
    config: { server: "http://x", machineId: "m-1", machineName: "LAPTOP", fingerprint: "f", apiKey: "k", setupAt: "" },
    paths: mspPaths(home),
    timeoutMs: () => 1_000,
    redact: (text) => text,
    log: () => undefined,
  };
}

const command = (uncertain: boolean): SpoolEvent => ({
  id: "command-1",
  kind: "command",
  at: "2026-11-25T10:00:00.000Z",
  claudeSessionId: "claude-1",
  ...(uncertain ? { uncertain } : {}),
  data: { scope: { cwd: "/w" }, commandText: "systemctl restart nginx", shellType: "bash", exitCode: 0, success: true },
});

describe("deliverCommand", () => {
  it("opens the work session once, remembers it, and records the command", async () => {
    const { platform, calls } = fakePlatform();
    const ctx = context(platform);
    await deliverCommand(ctx, command(false) as Extract<SpoolEvent, { kind: "command" }>);
    await deliverCommand(ctx, command(false) as Extract<SpoolEvent, { kind: "command" }>);
    expect(calls).toEqual([
      "find m-1 claude-1",
      "create session",
      "create command systemctl restart nginx",
      "create command systemctl restart nginx",
    ]);
  });

  it("after an attempt that may have reached the server, does not record the command again when it is there", async () => {
    const { platform, calls } = fakePlatform([{ commandText: "systemctl restart nginx" }]);
    const ctx = context(platform);
    await deliverCommand(ctx, command(true) as Extract<SpoolEvent, { kind: "command" }>);
    expect(calls.filter((call) => call.startsWith("create command"))).toEqual([]);
    expect(calls.find((call) => call.startsWith("list"))).toContain('created_at >= "2026-11-25T09:58:00.000Z"');
  });

  it("records it when the uncertain attempt had not arrived", async () => {
    const { platform, calls } = fakePlatform([{ commandText: "something else" }]);
    await deliverCommand(context(platform), command(true) as Extract<SpoolEvent, { kind: "command" }>);
    expect(calls.filter((call) => call.startsWith("create command"))).toHaveLength(1);
  });
});

describe("ensureWorkSession", () => {
  it("finds the session another hook created first (ALREADY_EXISTS) instead of failing", async () => {
    const { platform, calls } = fakePlatform();
    const ctx = context(platform);
    await ensureWorkSession({ ...ctx, paths: mspPaths(tempDir("msp-a-")) }, "claude-1", {
      scope: { cwd: "/w" },
      startedAt: "",
      createFirst: true,
    });
    // A second machine state (another process) creating the same session gets 409 and looks it up.
    const id = await ensureWorkSession({ ...ctx, paths: mspPaths(tempDir("msp-b-")) }, "claude-1", {
      scope: { cwd: "/w" },
      startedAt: "",
      createFirst: true,
    });
    expect(id).toBe("ws-1");
    expect(calls).toEqual(["create session", "create session", "find m-1 claude-1"]);
  });
});

describe("a command spooled unredacted while the platform was down", () => {
  it("is redacted before it is sent", async () => {
    const { platform, calls } = fakePlatform();
    const ctx = { ...context(platform), redact: (text: string) => text.replace("hunter2", "[REDACTED:password]") };
    const event = command(false) as Extract<SpoolEvent, { kind: "command" }>;
    await deliverCommand(ctx, {
      ...event,
      unredacted: true,
      data: { ...event.data, commandText: "mysql -phunter2", outputSummary: "as hunter2" },
    });
    expect(calls).toContain("create command mysql -p[REDACTED:password]");
  });
});
