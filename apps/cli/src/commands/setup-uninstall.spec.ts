import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeConfig } from "../local/cli-config";
import { writeLog } from "../local/error-log";
import { mspPaths } from "../local/msp-home";
import type { MspPaths } from "../local/msp-home";
import { appendSpoolEvent } from "../spool/spool-file";
import { msp } from "../test-support/fake-gateway";
import { tempDir } from "../test-support/temp-dirs";
import { localDataLines, uninstallLocalData } from "./setup-uninstall";

/** A config folder as msp leaves it after an offline session: config, a spooled event, failed.jsonl, a log. */
function usedHome(): MspPaths {
  const paths = mspPaths(join(tempDir("msp-uninstall-"), ".msp"));
  writeConfig(paths.config, {
    server: "http://127.0.0.1:9",
    machineId: "m1",
    machineName: "LAPTOP-3",
    fingerprint: "f",
    apiKey: "msp_x",
    setupAt: new Date().toISOString(),
  });
  appendSpoolEvent(paths.spool, {
    id: "c1",
    kind: "command",
    at: new Date().toISOString(),
    claudeSessionId: "s1",
    data: { scope: { cwd: "/srv" }, commandText: "systemctl restart portal", shellType: "bash" },
  });
  writeFileSync(join(paths.spool, "failed.jsonl"), "{}\n");
  writeLog(paths.log, "error", "sync", "platform unreachable");
  writeFileSync(`${paths.log}.1`, "{}\n");
  return paths;
}

describe("removing the spool and the logs on uninstall", () => {
  it("removes them with --purge, and the config folder once it is empty", async () => {
    const paths = usedHome();
    rmSync(paths.config); // uninstall removes it first
    const report = await uninstallLocalData(paths, { purge: true }, 1, undefined);
    expect(report).toMatchObject({ decision: "purge", removed: true, pendingEvents: 1, homeRemoved: true });
    expect(existsSync(paths.spool) || existsSync(paths.log) || existsSync(`${paths.log}.1`) || existsSync(paths.home)).toBe(false);
    expect(localDataLines(report)).toEqual(["Removed the spool (with 1 undelivered event) and the logs, and the empty config folder."]);
  });

  it("asks on a terminal, and keeps them when the answer is no", async () => {
    const paths = usedHome();
    const asked: string[] = [];
    const no = await uninstallLocalData(paths, {}, 1, (question) => (asked.push(question), Promise.resolve(false)));
    expect(no).toMatchObject({ decision: "asked-no", removed: false });
    expect(asked[0]).toMatch(/^Remove the spool \(1 event never reached the platform and would be lost\) and the logs in .*\? \[y\/N\] $/);
    expect(existsSync(paths.spool) && existsSync(paths.log)).toBe(true);
    const yes = await uninstallLocalData(paths, {}, 1, () => Promise.resolve(true));
    expect(yes).toMatchObject({ decision: "asked-yes", removed: true, homeRemoved: false }); // config.json is still there
    expect(existsSync(paths.spool) || existsSync(paths.log)).toBe(false);
  });

  it("keeps them without a terminal and without a flag, and says how to remove them", async () => {
    const paths = usedHome();
    const report = await uninstallLocalData(paths, {}, 0, undefined);
    expect(report).toMatchObject({ decision: "kept-no-terminal", removed: false });
    expect(existsSync(join(paths.spool, "failed.jsonl"))).toBe(true);
    expect(localDataLines(report)).toEqual([
      `Kept the spool (${paths.spool}) and the logs (${paths.log}) (no terminal to ask on).`,
      `Remove them with: msp setup --uninstall --purge   (or: rm -rf "${paths.spool}" "${paths.log}" "${paths.log}.1")`,
    ]);
  });

  it("removes the model summarizer's queue with the spool, and names it when kept", async () => {
    const paths = usedHome();
    mkdirSync(join(paths.summarizer, "jobs"), { recursive: true });
    writeFileSync(join(paths.summarizer, "jobs", "transcript-session_end_s1_100.json"), "{}");
    const kept = await uninstallLocalData(paths, {}, 1, undefined);
    expect(localDataLines(kept)[1]).toBe(
      `Remove them with: msp setup --uninstall --purge   (or: rm -rf "${paths.spool}" "${paths.summarizer}" "${paths.log}" "${paths.log}.1")`,
    );
    rmSync(paths.config);
    expect(await uninstallLocalData(paths, { purge: true }, 1, undefined)).toMatchObject({ removed: true, homeRemoved: true });
    expect(existsSync(paths.summarizer)).toBe(false);
  });
});

describe("msp setup --uninstall", () => {
  const savedHome = process.env["HOME"];
  beforeEach(() => {
    // Uninstall edits ~/.claude/settings.json: a temporary HOME, never the real one.
    process.env["HOME"] = tempDir("msp-user-home-");
    mkdirSync(join(process.env["HOME"], ".claude"), { recursive: true });
  });
  afterEach(() => {
    process.env["HOME"] = savedHome;
  });

  it("--purge removes the config, the spool and the logs; nothing of msp is left", async () => {
    const paths = usedHome();
    const result = await msp(["setup", "--uninstall", "--purge", "--home", paths.home, "--json"]);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout) as { localData: { removed: boolean; pendingEvents: number; homeRemoved: boolean } };
    expect(out.localData).toMatchObject({ removed: true, pendingEvents: 1, homeRemoved: true });
    expect(existsSync(paths.home)).toBe(false);
  });

  it("without a terminal keeps the spool and the logs, and prints how to remove them", async () => {
    const paths = usedHome();
    const result = await msp(["setup", "--uninstall", "--home", paths.home]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`Removed ${paths.config}.`);
    expect(result.stdout).toContain(`1 event never reached the platform; they stay in ${paths.spool}. Kept the spool`);
    expect(result.stdout).toContain("msp setup --uninstall --purge");
    expect(existsSync(paths.config)).toBe(false);
    expect(existsSync(join(paths.spool, "failed.jsonl")) && existsSync(paths.log)).toBe(true);
  });
});
