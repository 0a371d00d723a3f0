import { readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../local/atomic-file";
import type { WorkScope } from "../spool/spool-event";

/**
 * A session waiting for its model summary: what the model will read (the redacted transcript
 * made readable, never the raw file) and where the summary goes. Kept under
 * ~/.msp/summarizer/jobs (mode 0600) from the session's end until the summarizer took it.
 */
export interface SummaryJob {
  /** The transcript event it came from (its idempotency key). */
  id: string;
  claudeSessionId: string;
  scope: WorkScope;
  /** The session as the model reads it (summary-input.ts): redacted before it was written here. */
  input: string;
  queuedAt: string;
}

export function jobsDir(summarizerDir: string): string {
  return join(summarizerDir, "jobs");
}

const fileOf = (id: string) => `${id.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`;
const claimedSuffix = /\.json\.claimed-(\d+)$/;

/** Queues a job; the same job queued twice is one file. */
export function queueSummaryJob(summarizerDir: string, job: SummaryJob): void {
  writeFileAtomic(join(jobsDir(summarizerDir), fileOf(job.id)), JSON.stringify(job));
}

/** A job this process took: no other summarizer takes it. */
export interface ClaimedJob {
  job: SummaryJob;
  /** Removes the job (done, skipped or failed: a job is never tried twice, so a failure never costs twice). */
  finish(): void;
}

/**
 * Takes the oldest waiting job by renaming its file (one rename wins when two summarizers race),
 * or returns undefined when none waits. A damaged job file is removed.
 */
export function claimNextJob(summarizerDir: string): ClaimedJob | undefined {
  const dir = jobsDir(summarizerDir);
  for (const file of waitingFiles(dir)) {
    const claimed = join(dir, `${file}.claimed-${process.pid}`);
    try {
      renameSync(join(dir, file), claimed);
    } catch {
      continue; // another summarizer took it
    }
    const job = readJob(claimed);
    if (!job) {
      rmSync(claimed, { force: true });
      continue;
    }
    return { job, finish: () => rmSync(claimed, { force: true }) };
  }
  return undefined;
}

/** Jobs not taken yet, oldest first. */
export function waitingJobs(summarizerDir: string): number {
  return waitingFiles(jobsDir(summarizerDir)).length;
}

/** Jobs a live summarizer is working on now (msp summarize waits for them). */
export function jobsInProgress(summarizerDir: string): number {
  return claimedFiles(jobsDir(summarizerDir)).filter(({ pid }) => alive(pid)).length;
}

/** Removes jobs whose summarizer died while on them (a crash, a reboot): they are not tried again. */
export function dropAbandonedJobs(summarizerDir: string): number {
  const dir = jobsDir(summarizerDir);
  let dropped = 0;
  for (const { file, pid } of claimedFiles(dir)) {
    if (alive(pid)) continue;
    rmSync(join(dir, file), { force: true });
    dropped++;
  }
  return dropped;
}

function waitingFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((file) => file.endsWith(".json"))
      .sort((a, b) => queuedAt(join(dir, a)) - queuedAt(join(dir, b)) || a.localeCompare(b));
  } catch {
    return [];
  }
}

function claimedFiles(dir: string): { file: string; pid: number }[] {
  try {
    return readdirSync(dir).flatMap((file) => {
      const match = claimedSuffix.exec(file);
      return match ? [{ file, pid: Number(match[1]) }] : [];
    });
  } catch {
    return [];
  }
}

function queuedAt(path: string): number {
  return Date.parse(readJob(path)?.queuedAt ?? "") || 0;
}

function readJob(path: string): SummaryJob | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as Partial<SummaryJob> | null;
    if (!value || typeof value.id !== "string" || typeof value.claudeSessionId !== "string" || typeof value.input !== "string")
      return undefined;
    if (typeof value.scope !== "object" || value.scope === null) return undefined;
    return value as SummaryJob;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
