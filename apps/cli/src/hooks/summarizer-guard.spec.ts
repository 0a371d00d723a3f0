import { tmpdir } from "node:os";
import { writeConfig } from "../local/cli-config";
import { mspPaths } from "../local/msp-home";
import { pendingEvents } from "../spool/spool-flush";
import { summarizerRunEnv } from "../summarizer/summarizer-env";
import { tempDir } from "../test-support/temp-dirs";
import { runHook } from "./run-hook";

describe("the hooks inside the summarizer's own Claude Code", () => {
  const saved = process.env[summarizerRunEnv];
  afterEach(() => {
    if (saved === undefined) delete process.env[summarizerRunEnv];
    else process.env[summarizerRunEnv] = saved;
  });

  it("do nothing, so summarising a session never records, summarises or recalls for the summarizer's session", async () => {
    const paths = mspPaths(tempDir("msp-home-"));
    // A platform that cannot be reached: a hook that ran would spool the event.
    writeConfig(paths.config, {
      server: "http://127.0.0.1:9",
      machineId: "m1",
      machineName: "LAPTOP",
      fingerprint: "f",
      apiKey: "k",
      setupAt: "",
    });
    const stdin = JSON.stringify({ session_id: "summarizer-1", cwd: tmpdir(), source: "startup" });
    process.env[summarizerRunEnv] = "1";
    expect(await runHook("session-start", stdin, paths, tmpdir())).toBe("");
    expect(pendingEvents(paths.spool)).toEqual([]);
    delete process.env[summarizerRunEnv];
    await runHook("session-start", stdin, paths, tmpdir());
    expect(pendingEvents(paths.spool).map((event) => event.kind)).toEqual(["session-open"]);
  });
});
