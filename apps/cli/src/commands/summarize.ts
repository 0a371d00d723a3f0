import { redact } from "@msp/redaction";
import { writeLog } from "../local/error-log";
import { startBackgroundSender } from "../hooks/background-sender";
import { appendSpoolEvent } from "../spool/spool-file";
import { runClaudeHeadless } from "../summarizer/claude-headless";
import type { SummaryRunReport } from "../summarizer/run-summaries";
import { runSummaryJobs } from "../summarizer/run-summaries";
import { jobsInProgress, waitingJobs } from "../summarizer/summary-jobs";
import { usageToday } from "../summarizer/token-budget";
import type { CommonOptions } from "./command-support";
import { CommandError, emit, pathsOf, requireConfig } from "./command-support";

export interface SummarizeOptions extends CommonOptions {
  /** Started after a session's transcript was delivered: print nothing, log what happened. */
  background?: boolean;
  wait?: string;
}

/**
 * `msp summarize`: writes the model summaries of the sessions waiting for one (msp setup
 * --summarizer claude queues each session at its end), then waits for a background summarizer at
 * work, up to --wait seconds. The summaries go to the spool, and the background sender delivers
 * them (`msp sync` waits for that).
 */
export async function summarizeCommand(options: SummarizeOptions): Promise<void> {
  const paths = pathsOf(options);
  const config = requireConfig(paths);
  const waitSeconds = options.wait === undefined ? 300 : Number(options.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new CommandError("--wait: seconds, 0 or more");
  const source = options.background ? "summarizer" : "summarize";
  const ctx = {
    config,
    paths,
    runClaude: runClaudeHeadless,
    redact,
    spool: (event: Parameters<typeof appendSpoolEvent>[1]) => appendSpoolEvent(paths.spool, event),
    log: (level: "error" | "warn" | "info", message: string) => writeLog(paths.log, level, source, message),
    env: process.env,
  };
  const total: SummaryRunReport = { written: 0, skipped: 0, failed: 0, tokens: 0 };
  const add = (report: SummaryRunReport) => {
    total.written += report.written;
    total.skipped += report.skipped;
    total.failed += report.failed;
    total.tokens += report.tokens;
  };
  add(await runSummaryJobs(ctx));
  if (!options.background) {
    // A background summarizer may be at a job this one could not take: wait for it, then take what was queued meanwhile.
    const until = Date.now() + waitSeconds * 1000;
    while ((jobsInProgress(paths.summarizer) > 0 || waitingJobs(paths.summarizer) > 0) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      add(await runSummaryJobs(ctx));
    }
  }
  if (total.written > 0) startBackgroundSender(paths.home, paths.spool, true);
  if (options.background) return;
  const usage = usageToday(paths.summarizer);
  const left = jobsInProgress(paths.summarizer) + waitingJobs(paths.summarizer);
  emit(
    options,
    { ...total, today: usage, dailyTokenCap: config.summarizer?.dailyTokenCap ?? 0, stillRunning: left },
    [
      config.summarizer
        ? `Model summaries: ${total.written} written, ${total.skipped} skipped, ${total.failed} failed; ${total.tokens} tokens.`
        : "The summarizer is off (msp setup --summarizer claude turns it on).",
      config.summarizer ? `Today: ${usage.tokens} of ${config.summarizer.dailyTokenCap} tokens, ${usage.summaries} summaries.` : "",
      total.written > 0 ? "They are in the spool; the background sender delivers them (msp sync waits for it)." : "",
      left > 0 ? `${left} still being written after ${waitSeconds} s.` : "",
    ].filter(Boolean),
  );
}
