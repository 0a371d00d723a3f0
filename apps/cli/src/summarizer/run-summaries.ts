import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { CliConfig } from "../local/cli-config";
import type { MspPaths } from "../local/msp-home";
import { eventKey } from "../spool/event-key";
import type { SpoolEvent } from "../spool/spool-event";
import type { HeadlessAnswer, HeadlessRun } from "./claude-headless";
import { SummarizerError, estimatedTokens } from "./claude-headless";
import { claimNextJob, dropAbandonedJobs } from "./summary-jobs";
import { maxSummaryChars, summaryPrompt } from "./summary-prompt";
import { addUsage, fitsDailyCap, usageToday } from "./token-budget";

/** How long one summary may take before Claude Code is stopped (a long session on a slow model takes a minute or two). */
export const summaryTimeoutMs = 180_000;

/** What running the summarizer needs; Claude Code itself is passed in, so tests give a stand-in. */
export interface SummarizerContext {
  config: CliConfig;
  paths: MspPaths;
  runClaude: (run: HeadlessRun) => Promise<HeadlessAnswer>;
  redact: (text: string) => string;
  /** Keeps the summary for delivery (the spool: redacted, sent by the sender, kept while the platform is down). */
  spool: (event: SpoolEvent) => void;
  log: (level: "error" | "warn" | "info", message: string) => void;
  env: NodeJS.ProcessEnv;
  now?: () => Date;
}

export interface SummaryRunReport {
  /** Summaries written and spooled for the platform. */
  written: number;
  /** Jobs not run: the daily cap was reached, or the summarizer is off. */
  skipped: number;
  /** Jobs Claude Code failed on: those sessions keep only their deterministic summary. */
  failed: number;
  /** Tokens the runs used, by Claude Code's count. */
  tokens: number;
}

/**
 * Runs every waiting job once, oldest first: checks today's tokens against the cap, asks Claude
 * Code for the summary, counts what it used (a failed run's tokens too), redacts the answer and
 * spools it for the platform. A job is never tried twice: on any failure the session keeps the
 * deterministic summary it already has, and the reason goes to the log.
 */
export async function runSummaryJobs(ctx: SummarizerContext): Promise<SummaryRunReport> {
  const report: SummaryRunReport = { written: 0, skipped: 0, failed: 0, tokens: 0 };
  const now = ctx.now ?? (() => new Date());
  const dir = ctx.paths.summarizer;
  const dropped = dropAbandonedJobs(dir);
  if (dropped > 0) ctx.log("warn", `${dropped} summary job(s) left by a summarizer that stopped were dropped`);
  // An empty folder to run in: no CLAUDE.md or project settings of any work folder are read.
  const scratch = join(dir, "work");
  mkdirSync(scratch, { recursive: true, mode: 0o700 });
  for (let claimed = claimNextJob(dir); claimed; claimed = claimNextJob(dir)) {
    const { job } = claimed;
    try {
      const settings = ctx.config.summarizer;
      if (!settings) {
        report.skipped++;
        ctx.log("info", `model summary of ${job.claudeSessionId} dropped: the summarizer was turned off`);
        continue;
      }
      const prompt = summaryPrompt(job.input);
      const estimate = estimatedTokens(prompt) + Math.ceil(maxSummaryChars / 4);
      const used = usageToday(dir, now());
      if (!fitsDailyCap(used, estimate, settings.dailyTokenCap)) {
        report.skipped++;
        ctx.log(
          "info",
          `model summary of ${job.claudeSessionId} skipped: ${used.tokens} of the daily cap of ${settings.dailyTokenCap} tokens used today, ` +
            `this one would take about ${estimate}; it keeps its deterministic summary`,
        );
        continue;
      }
      let answer: HeadlessAnswer;
      try {
        answer = await ctx.runClaude({
          command: settings.command,
          model: settings.model,
          prompt,
          cwd: scratch,
          env: ctx.env,
          timeoutMs: summaryTimeoutMs,
        });
      } catch (error) {
        const tokens = error instanceof SummarizerError ? error.tokens : 0;
        addUsage(dir, tokens, false, now());
        report.tokens += tokens;
        report.failed++;
        ctx.log("error", `model summary of ${job.claudeSessionId} failed, it keeps its deterministic summary: ${messageOf(error)}`);
        continue;
      }
      addUsage(dir, answer.tokens, true, now());
      report.tokens += answer.tokens;
      // The model read only redacted text, but it writes new text: redacted again before the disk.
      const text = ctx.redact(answer.text).slice(0, maxSummaryChars).trim();
      ctx.spool({
        id: eventKey(job.claudeSessionId, "session-summary", job.id),
        kind: "session-summary",
        at: now().toISOString(),
        claudeSessionId: job.claudeSessionId,
        data: { scope: job.scope, text, model: answer.model, tokens: answer.tokens },
      });
      report.written++;
      ctx.log(
        "info",
        `model summary of ${job.claudeSessionId} written by ${answer.model}: ${answer.tokens} tokens, ${text.length} characters`,
      );
    } finally {
      claimed.finish();
    }
  }
  return report;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
