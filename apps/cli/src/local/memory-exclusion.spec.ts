import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runHook } from "../hooks/run-hook";
import { fakeGateway } from "../test-support/fake-gateway";
import { tempDir } from "../test-support/temp-dirs";
import { readSpoolFile, activeSpoolFile } from "../spool/spool-file";
import { deliverEvent } from "../delivery/deliver-event";
import type { DeliveryContext } from "../delivery/delivery-context";
import { createPlatformClient } from "../platform/platform-client";
import { readConfig, writeConfig, ConfigError } from "./cli-config";
import { readLog } from "./error-log";
import { globExcludes, globToRegExp, memoryExclusion } from "./memory-exclusion";
import { mspPaths } from "./msp-home";

const home = "/home/tech";

describe("globToRegExp", () => {
  it.each([
    ["secret-*", "secret-acme", true],
    ["secret-*", "secret-acme/app", false],
    ["**/scratch/**", "/a/b/scratch/c/d", true],
    ["**/scratch", "/scratch", true],
    ["build-?", "build-7", true],
    ["build-?", "build-10", false],
    ["v[0-9]", "v3", true],
    ["v[!0-9]", "v3", false],
    ["{scratch,tmp}", "tmp", true],
    ["a.b", "axb", false],
    ["\\*", "*", true],
  ])("%s against %s: %s", (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});

describe("globExcludes", () => {
  it("matches folder patterns against the folder and every folder above it, ~ as the home folder", () => {
    expect(globExcludes("~/clients/secret-*", { folder: "/home/tech/clients/secret-acme" }, home)).toBe(true);
    expect(globExcludes("~/clients/secret-*", { folder: "/home/tech/clients/secret-acme/app/src" }, home)).toBe(true);
    expect(globExcludes("~/clients/secret-*", { folder: "/home/tech/clients/acme" }, home)).toBe(false);
    expect(globExcludes("**/scratch/**", { folder: "/srv/work/scratch" }, home)).toBe(true);
    expect(globExcludes("**/scratch/**", { folder: "/srv/work/scratch/try-1" }, home)).toBe(true);
    expect(globExcludes("scratch/**", { folder: "/srv/work/scratch/try-1" }, home)).toBe(true);
    expect(globExcludes("**/scratch/**", { folder: "/srv/work/scratchpad" }, home)).toBe(false);
    expect(globExcludes("/srv/private", { folder: "/srv/private/x" }, home)).toBe(true);
  });

  it("matches names against each folder name, the project's name and slug, and repositories", () => {
    expect(globExcludes("scratch", { folder: "/srv/scratch/x" }, home)).toBe(true);
    expect(globExcludes("acme-*", { folder: "/srv/portal", projectSlug: "acme-portal" }, home)).toBe(true);
    expect(globExcludes("Patient *", { folder: "/srv/portal", projectName: "patient portal" }, home)).toBe(true);
    expect(globExcludes("github.com/acme/secret-*", { folder: "/srv/x", repository: "github.com/acme/secret-infra" }, home)).toBe(true);
    expect(globExcludes("acme-*", { folder: "/srv/portal", projectSlug: "contoso-portal" }, home)).toBe(false);
    expect(globExcludes("  ", { folder: "/srv/portal" }, home)).toBe(false);
  });

  it("reports the first pattern that matches", () => {
    const config = { memory: { exclude: ["**/tmp/**", "acme-*"] } };
    expect(memoryExclusion(config, { folder: "/srv/portal", projectSlug: "acme-portal" }, home)).toBe("acme-*");
    expect(memoryExclusion({}, { folder: "/srv/portal" }, home)).toBeUndefined();
  });
});

describe("memory.exclude in config.json", () => {
  const base = { server: "http://127.0.0.1:9", machineId: "m1", machineName: "LAPTOP-3", fingerprint: "f", apiKey: "msp_x" };

  it("is read as a list of patterns, and refused in any other shape", () => {
    const path = join(tempDir("msp-config-"), "config.json");
    writeFileSync(path, JSON.stringify({ ...base, setupAt: "x", memory: { exclude: ["~/clients/secret-*"] } }));
    expect(readConfig(path)?.memory?.exclude).toEqual(["~/clients/secret-*"]);
    for (const memory of ["~/x", { exclude: "~/x" }, { exclude: [1] }]) {
      writeFileSync(path, JSON.stringify({ ...base, setupAt: "x", memory }));
      expect(() => readConfig(path)).toThrow(ConfigError);
    }
  });
});

describe("hooks in an excluded folder", () => {
  it("send nothing, spool nothing, print nothing, and succeed", async () => {
    const gateway = await fakeGateway(() => ({ json: {} }));
    try {
      const paths = mspPaths(tempDir("msp-home-"));
      const folder = join(tempDir("msp-work-"), "clients", "secret-acme");
      mkdirSync(folder, { recursive: true });
      writeConfig(paths.config, {
        ...machineConfig(gateway.url),
        memory: { exclude: [join(folder, "..", "secret-*")] },
      });
      const transcript = join(folder, "t.jsonl");
      writeFileSync(transcript, `${JSON.stringify({ type: "user", message: { content: "hello" } })}\n`);
      const input = (extra: Record<string, unknown>) => JSON.stringify({ session_id: "s-excluded", cwd: join(folder, "src"), ...extra });
      for (const [event, extra] of [
        ["session-start", { source: "startup" }],
        ["user-prompt-submit", { prompt: "why does web01 fail with error 500?" }],
        ["post-tool-use", { tool_name: "Bash", tool_use_id: "t1", tool_input: { command: "ls" }, tool_response: { stdout: "" } }],
        ["stop", { transcript_path: transcript }],
        ["session-end", { transcript_path: transcript, reason: "other" }],
      ] as const) {
        expect(await runHook(event, input(extra), paths, folder)).toBe("");
      }
      expect(gateway.seen).toEqual([]);
      expect(readSpoolFile(join(paths.spool, activeSpoolFile)).events).toEqual([]);
      expect(readLog(paths.log, 10, ["info"]).map((entry) => entry.message)).toEqual([expect.stringContaining("memory is off here")]);
      expect(readLog(paths.log)).toEqual([]); // no error, no warning
    } finally {
      await gateway.close();
    }
  });

  it("an event spooled before its folder was excluded is dropped by the sender, not sent", async () => {
    const gateway = await fakeGateway(() => ({ json: {} }));
    try {
      const paths = mspPaths(tempDir("msp-home-"));
      const config = { ...machineConfig(gateway.url), memory: { exclude: ["acme-*"] } };
      const ctx: DeliveryContext = {
        platform: createPlatformClient(gateway.url, "msp_x"),
        config,
        paths,
        timeoutMs: () => 1_000,
        redact: (text) => text,
        log: () => undefined,
      };
      await deliverEvent(ctx, {
        id: "c1",
        kind: "command",
        at: new Date().toISOString(),
        claudeSessionId: "s1",
        data: { scope: { cwd: "/srv/acme-portal" }, commandText: "ls", shellType: "bash" },
      });
      expect(gateway.seen).toEqual([]);
    } finally {
      await gateway.close();
    }
  });

  function machineConfig(server: string) {
    return { server, machineId: "m1", machineName: "LAPTOP-3", fingerprint: "f", apiKey: "msp_x", setupAt: new Date().toISOString() };
  }
});
