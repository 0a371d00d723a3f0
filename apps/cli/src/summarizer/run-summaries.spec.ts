import { existsSync, readdirSync } from "node:fs";
import { redact } from "@msp/redaction";
import type { DeliveryContext } from "../delivery/delivery-context";
import type { CliConfig, SummarizerSettings } from "../local/cli-config";
import { mspPaths } from "../local/msp-home";
import type { PlatformClient } from "../platform/platform-client";
import type { SpoolEvent } from "../spool/spool-event";
import { standInCalls, writeStandInClaude } from "../test-support/stand-in-claude";
import { tempDir } from "../test-support/temp-dirs";
import { runClaudeHeadless } from "./claude-headless";
import { queueModelSummary } from "./queue-summary";
import type { SummarizerContext } from "./run-summaries";
import { runSummaryJobs } from "./run-summaries";
import { claimNextJob, jobsDir, queueSummaryJob, waitingJobs } from "./summary-jobs";
import { addUsage, usageToday } from "./token-budget";

const scope = { cwd: "/home/tech/portal", repository: "github.com/acme/portal" };

/** A session's transcript (JSONL), already redacted as the sender redacts it before anything else reads it. */
function transcript(sessionId: string, turns = 12): string {
  const lines: string[] = [];
  const record = (type: string, message: unknown, i: number) =>
    JSON.stringify({
      type,
      sessionId,
      cwd: scope.cwd,
      gitBranch: "main",
      timestamp: new Date(Date.UTC(2026, 10, 3, 9, i)).toISOString(),
      message,
    });
  for (let i = 0; i < turns; i++) {
    lines.push(
      record(
        "user",
        { role: "user", content: `Step ${i}: put the portal behind nginx on web01, port 8443, and keep the old vhost.` },
        i * 2,
      ),
    );
    lines.push(
      record(
        "assistant",
        {
          role: "assistant",
          content: [
            { type: "text", text: `Done step ${i}: nginx proxies 8443 to the portal container; the old vhost stays in sites-available.` },
          ],
        },
        i * 2 + 1,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}

function setUp(summarizer: SummarizerSettings | undefined) {
  const home = tempDir("msp-summarizer-");
  const paths = mspPaths(home);
  const config: CliConfig = {
    server: "http://127.0.0.1:9",
    machineId: "m-1",
    machineName: "LAPTOP-3",
    fingerprint: "f",
    apiKey: "k",
    setupAt: "",
    ...(summarizer ? { summarizer } : {}),
  };
  const spooled: SpoolEvent[] = [];
  const logged: string[] = [];
  const ctx: SummarizerContext = {
    config,
    paths,
    runClaude: runClaudeHeadless,
    redact,
    spool: (event) => spooled.push(event),
    log: (level, message) => logged.push(`${level}: ${message}`),
    env: process.env,
    now: () => new Date(2026, 10, 3, 18, 0),
  };
  const delivery: DeliveryContext = {
    platform: {} as PlatformClient,
    config,
    paths,
    timeoutMs: () => 1_000,
    redact,
    log: (message) => logged.push(`error: ${message}`),
  };
  return { paths, ctx, delivery, spooled, logged };
}

const sessionEnd = (claudeSessionId: string, trigger: "session_end" | "stop" = "session_end") =>
  ({
    id: `transcript-${trigger}:${claudeSessionId}:100`,
    kind: "transcript",
    at: "2026-11-03T10:00:00.000Z",
    claudeSessionId,
    data: { scope, transcriptPath: "/nowhere.jsonl", endOffset: 100, trigger },
  }) as const;

function standIn(behaviour: Parameters<typeof writeStandInClaude>[1] = {}) {
  const dir = tempDir("msp-claude-");
  return { dir, settings: { tool: "claude", model: "haiku", dailyTokenCap: 50_000, command: writeStandInClaude(dir, behaviour) } as const };
}

describe("model summaries", () => {
  it("queue a session at its end, have Claude Code summarise it, count its tokens and spool the summary, redacted", async () => {
    const claude = standIn({
      result: "Goal: portal behind nginx on web01:8443.\nSettled values: mysql -u portal -pPortalS3cret!x on db01.",
    });
    const { paths, ctx, delivery, spooled, logged } = setUp(claude.settings);
    const text = transcript("session-1");
    expect(queueModelSummary(delivery, sessionEnd("session-1"), { text, offset: text.length })).toBe(true);
    expect(waitingJobs(paths.summarizer)).toBe(1);

    const report = await runSummaryJobs(ctx);
    expect(report).toEqual({ written: 1, skipped: 0, failed: 0, tokens: 1234 });
    const [call] = standInCalls(claude.dir);
    // The model reads the conversation made readable, with its dates and folder, inside the request.
    expect(call!.stdin).toContain("Session from 2026-11-03T09:00:00.000Z to 2026-11-03T09:23:00.000Z");
    expect(call!.stdin).toContain("Folder: /home/tech/portal");
    expect(call!.stdin).toContain("USER: Step 0: put the portal behind nginx on web01, port 8443");
    expect(call!.stdin).toContain("ASSISTANT: Done step 11: nginx proxies 8443");
    expect(call!.stdin).toMatch(/Settled values: ports, URLs/);
    expect(call!.cwd).toBe(`${paths.summarizer}/work`);

    expect(spooled).toHaveLength(1);
    const event = spooled[0]!;
    expect(event).toMatchObject({
      kind: "session-summary",
      claudeSessionId: "session-1",
      data: { scope, model: "claude-haiku-4-5-20251001", tokens: 1234 },
    });
    const summary = event.kind === "session-summary" ? event.data.text : "";
    expect(summary).toContain("Goal: portal behind nginx on web01:8443.");
    expect(summary).not.toContain("PortalS3cret!x");
    expect(usageToday(paths.summarizer, new Date(2026, 10, 3, 20, 0))).toEqual({ day: "2026-11-03", tokens: 1234, summaries: 1 });
    // The next day starts at zero.
    expect(usageToday(paths.summarizer, new Date(2026, 10, 4, 0, 1)).tokens).toBe(0);
    expect(readdirSync(jobsDir(paths.summarizer))).toEqual([]);
    expect(logged.join("\n")).toMatch(/model summary of session-1 written by claude-haiku-4-5-20251001: 1234 tokens/);
  });

  it("skip a session once the day's tokens would pass the cap, and log it", async () => {
    const claude = standIn();
    const { paths, ctx, delivery, spooled, logged } = setUp({ ...claude.settings, dailyTokenCap: 5_000 });
    addUsage(paths.summarizer, 4_000, true, new Date(2026, 10, 3, 9, 0));
    const text = transcript("session-2");
    queueModelSummary(delivery, sessionEnd("session-2"), { text, offset: text.length });
    expect(await runSummaryJobs(ctx)).toEqual({ written: 0, skipped: 1, failed: 0, tokens: 0 });
    expect(standInCalls(claude.dir)).toEqual([]);
    expect(spooled).toEqual([]);
    expect(logged.join("\n")).toMatch(/model summary of session-2 skipped: 4000 of the daily cap of 5000 tokens used today/);
    expect(waitingJobs(paths.summarizer)).toBe(0);
  });

  it("leave a session with its deterministic summary when Claude Code fails, counting what it used, and never try it again", async () => {
    const claude = standIn({ errorSubtype: "error_during_execution", result: "" });
    const { paths, ctx, delivery, spooled, logged } = setUp(claude.settings);
    const text = transcript("session-3");
    queueModelSummary(delivery, sessionEnd("session-3"), { text, offset: text.length });
    expect(await runSummaryJobs(ctx)).toEqual({ written: 0, skipped: 0, failed: 1, tokens: 1234 });
    expect(spooled).toEqual([]);
    expect(logged.join("\n")).toMatch(
      /model summary of session-3 failed, it keeps its deterministic summary: claude answered error_during_execution/,
    );
    expect(usageToday(paths.summarizer, new Date(2026, 10, 3, 20, 0))).toMatchObject({ tokens: 1234, summaries: 0 });
    expect(await runSummaryJobs(ctx)).toEqual({ written: 0, skipped: 0, failed: 0, tokens: 0 });
    expect(standInCalls(claude.dir)).toHaveLength(1);
  });

  it("queue nothing when off, for a Stop, or for a session too short to be worth tokens; drop jobs left when turned off", async () => {
    const off = setUp(undefined);
    const text = transcript("session-4");
    expect(queueModelSummary(off.delivery, sessionEnd("session-4"), { text, offset: text.length })).toBe(false);
    const on = setUp(standIn().settings);
    expect(queueModelSummary(on.delivery, sessionEnd("session-4", "stop"), { text, offset: text.length })).toBe(false);
    const short = transcript("session-5", 1);
    expect(queueModelSummary(on.delivery, sessionEnd("session-5"), { text: short, offset: short.length })).toBe(false);
    expect(existsSync(jobsDir(on.paths.summarizer)) ? readdirSync(jobsDir(on.paths.summarizer)) : []).toEqual([]);

    queueSummaryJob(off.paths.summarizer, {
      id: "t-1",
      claudeSessionId: "session-6",
      scope,
      input: "x",
      queuedAt: new Date().toISOString(),
    });
    expect(await runSummaryJobs(off.ctx)).toMatchObject({ skipped: 1, written: 0 });
    expect(off.logged.join("\n")).toMatch(/session-6 dropped: the summarizer was turned off/);
  });

  it("give each job to one summarizer only", () => {
    const { paths } = setUp(undefined);
    queueSummaryJob(paths.summarizer, { id: "t-1", claudeSessionId: "s-1", scope, input: "x", queuedAt: new Date().toISOString() });
    const first = claimNextJob(paths.summarizer);
    expect(first?.job.claudeSessionId).toBe("s-1");
    expect(claimNextJob(paths.summarizer)).toBeUndefined();
    first!.finish();
    expect(readdirSync(jobsDir(paths.summarizer))).toEqual([]);
  });
});
