import { appendFileSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../local/atomic-file";
import { isRetryable } from "../platform/http-json";
import { DeliveredJournal } from "./delivered-journal";
import type { SpoolEvent } from "./spool-event";
import { redactedSpoolEvent } from "./spool-event";
import { activeSpoolFile, readSpoolFile } from "./spool-file";

/** Delivers one event; throws a retryable error (platform down) to keep it, anything else to give up on it. */
export type DeliverEvent = (event: SpoolEvent) => Promise<void>;

export interface FlushResult {
  delivered: number;
  /** Given up on (the platform refused them); kept in spool/failed.jsonl with the reason. */
  failed: number;
  /** Transcript events made redundant by a later one of the same Claude session (which covers more of it). */
  superseded: number;
  /** Still waiting for the platform. */
  remaining: number;
  /** Lines that were not whole events (a torn last line after a crash). */
  skipped: number;
  /** Why delivery stopped early (the platform is unreachable), when it did. */
  stoppedBy?: string;
}

export interface FlushOptions {
  /**
   * A delivered batch file is deleted once this long after it was set aside (default 1 s): a hook
   * that opened the active file just before the rename may still append to it for a moment.
   */
  graceMs?: number;
  /** Wait out the grace period before returning, so that nothing delivered is left on disk (`msp sync`). */
  settle?: boolean;
  /** An event the platform keeps failing with a retryable error is given up on after this many attempts. */
  maxAttempts?: number;
  /**
   * Redacts text: events an earlier version spooled unredacted are redacted in place (and before
   * they are kept in failed.jsonl), and so are the failure messages kept there.
   */
  redact?: (text: string) => string;
  log?: (message: string) => void;
}

/** The default of FlushOptions.graceMs. */
export const doneGraceMs = 1_000;

const batchPattern = /^batch-\d{13}-\d+\.jsonl$/;

/**
 * Sends every spooled event once, in the order the hooks wrote them. Call it holding the sender
 * lock. The active file is renamed to a batch first, so hooks keep appending to a fresh one.
 */
export async function flushSpool(spoolDir: string, deliver: DeliverEvent, options: FlushOptions = {}): Promise<FlushResult> {
  const result: FlushResult = { delivered: 0, failed: 0, superseded: 0, remaining: 0, skipped: 0 };
  const journal = new DeliveredJournal(spoolDir);
  for (let pass = 0; pass < 5; pass++) {
    rotateActiveFile(spoolDir);
    const stop = await deliverBatches(spoolDir, journal, deliver, options, result);
    if (stop) {
      result.stoppedBy = stop;
      break;
    }
    // Hooks that ran meanwhile appended to a fresh active file: take that too.
    if (!hasActiveEvents(spoolDir)) break;
  }
  const graceMs = options.graceMs ?? doneGraceMs;
  cleanUp(spoolDir, journal, graceMs);
  if (options.settle) {
    // Delivered batches younger than the grace period: wait it out and delete them too.
    const wait = Math.max(0, ...doneFiles(spoolDir).map((file) => graceMs - ageOf(join(spoolDir, file), file)));
    if (wait > 0 && wait <= graceMs) {
      await new Promise((resolve) => setTimeout(resolve, wait + 5));
      cleanUp(spoolDir, journal, graceMs);
    }
  }
  result.remaining = pendingEvents(spoolDir).length;
  return result;
}

/** Milliseconds since a batch file was set aside or last written to, whichever is later. */
function ageOf(path: string, file: string): number {
  const setAside = Number(/^batch-(\d{13})-/.exec(file)?.[1] ?? 0);
  let written = 0;
  try {
    // Whole milliseconds, as Date.now() counts them: a file written within the current millisecond
    // is 0 ms old, not a fraction below 0 (which a grace period of 0 would wait for).
    written = Math.floor(statSync(path).mtimeMs);
  } catch {
    return Infinity;
  }
  return Date.now() - Math.max(setAside, written);
}

/** The events still to send, oldest first (for `msp status`). */
export function pendingEvents(spoolDir: string): SpoolEvent[] {
  const journal = new DeliveredJournal(spoolDir);
  const files = [...batchFiles(spoolDir), activeSpoolFile];
  return files.flatMap((file) => readSpoolFile(join(spoolDir, file)).events).filter((event) => !journal.has(event.id));
}

/** True when the spool may hold something to send: cheap enough for every hook (one readdir). */
export function spoolHasWork(spoolDir: string): boolean {
  try {
    return readdirSync(spoolDir).some(
      (file) => batchPattern.test(file) || (file === activeSpoolFile && statSync(join(spoolDir, file)).size > 0),
    );
  } catch {
    return false;
  }
}

function hasActiveEvents(spoolDir: string): boolean {
  try {
    return statSync(join(spoolDir, activeSpoolFile)).size > 0;
  } catch {
    return false;
  }
}

function rotateActiveFile(spoolDir: string): void {
  if (!hasActiveEvents(spoolDir)) return;
  const existing = new Set(batchFiles(spoolDir));
  const nameAt = (ms: number) => `batch-${String(ms).padStart(13, "0")}-${process.pid}.jsonl`;
  let ms = Date.now();
  while (existing.has(nameAt(ms))) ms++; // two passes within one millisecond; the name keeps the order
  const name = nameAt(ms);
  renameSync(join(spoolDir, activeSpoolFile), join(spoolDir, name));
}

function batchFiles(spoolDir: string): string[] {
  try {
    return readdirSync(spoolDir)
      .filter((file) => batchPattern.test(file))
      .sort();
  } catch {
    return [];
  }
}

/** Delivers what the batch files hold; returns why it stopped early, if it did. */
async function deliverBatches(
  spoolDir: string,
  journal: DeliveredJournal,
  deliver: DeliverEvent,
  options: FlushOptions,
  result: FlushResult,
): Promise<string | undefined> {
  const events: SpoolEvent[] = [];
  for (const file of batchFiles(spoolDir)) {
    const read = readSpoolFile(join(spoolDir, file));
    events.push(...scrubLegacyEvents(spoolDir, file, read.events, options));
    result.skipped += read.skipped;
  }
  const pending = events.filter((event) => !journal.has(event.id));
  const attempts = readAttempts(spoolDir);
  for (let i = 0; i < pending.length; i++) {
    const event = pending[i]!;
    if (journal.has(event.id)) continue; // the same event spooled twice
    if (isSuperseded(event, pending.slice(i + 1))) {
      journal.add(event.id);
      result.superseded++;
      continue;
    }
    try {
      await deliver(event);
      journal.add(event.id);
      result.delivered++;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const tries = (attempts[event.id] ?? 0) + 1;
      if (isRetryable(error) && tries < (options.maxAttempts ?? 50)) {
        attempts[event.id] = tries;
        writeAttempts(spoolDir, attempts);
        return message;
      }
      const redact = options.redact ?? ((text: string) => text);
      const kept = { failedAt: new Date().toISOString(), error: redact(message), event: redactedSpoolEvent(event, redact) };
      appendFileSync(join(spoolDir, "failed.jsonl"), `${JSON.stringify(kept)}\n`, { mode: 0o600 });
      journal.add(event.id);
      result.failed++;
      options.log?.(`gave up on spooled ${event.kind} ${event.id}: ${message}`);
    }
  }
  return undefined;
}

/**
 * Events an earlier version spooled unredacted, redacted: the batch file is rewritten with them
 * (once it is past its grace period, so no late hook appends to the file being replaced).
 */
function scrubLegacyEvents(spoolDir: string, file: string, events: SpoolEvent[], options: FlushOptions): SpoolEvent[] {
  const redact = options.redact;
  if (!redact || !events.some((event) => event.unredacted)) return events;
  const scrubbed = events.map((event) => redactedSpoolEvent(event, redact));
  const path = join(spoolDir, file);
  if (ageOf(path, file) >= (options.graceMs ?? doneGraceMs))
    writeFileAtomic(path, scrubbed.map((event) => `${JSON.stringify(event)}\n`).join(""));
  return scrubbed;
}

/**
 * A transcript event is redundant when a later one of the same Claude session covers at least as
 * much of the transcript: Ingest keeps the longer transcript anyway. A session end is never skipped
 * for a stop (it closes the work session).
 */
export function isSuperseded(event: SpoolEvent, later: readonly SpoolEvent[]): boolean {
  if (event.kind !== "transcript") return false;
  return later.some(
    (next) =>
      next.kind === "transcript" &&
      next.claudeSessionId === event.claudeSessionId &&
      next.data.transcriptPath === event.data.transcriptPath &&
      next.data.endOffset >= event.data.endOffset &&
      (event.data.trigger !== "session_end" || next.data.trigger === "session_end"),
  );
}

/**
 * A batch whose every event is delivered becomes `<batch>.done`, so hooks no longer see work in
 * the spool; done files are deleted once older than the grace period. A hook that opened the
 * active file just before it was renamed may append to the batch a moment later: a done file
 * that turns out to hold such an event goes back to being a batch instead of being deleted.
 */
function cleanUp(spoolDir: string, journal: DeliveredJournal, graceMs: number): void {
  const live = new Set<string>();
  for (const file of batchFiles(spoolDir)) {
    const path = join(spoolDir, file);
    const { events } = readSpoolFile(path);
    for (const event of events) live.add(event.id);
    if (events.every((event) => journal.has(event.id))) renameSync(path, `${path}${doneSuffix}`);
  }
  for (const file of doneFiles(spoolDir)) {
    const path = join(spoolDir, file);
    const { events } = readSpoolFile(path);
    const stranded = events.some((event) => !journal.has(event.id));
    if (stranded) renameSync(path, path.slice(0, -doneSuffix.length));
    // No grace deletes at once: a file written this millisecond can look a fraction of one
    // younger than Date.now() (mtime keeps sub-millisecond precision, Date.now() cuts it off).
    else if (graceMs <= 0 || ageOf(path, file) >= graceMs) {
      rmSync(path, { force: true });
      continue;
    }
    for (const event of events) live.add(event.id);
  }
  for (const event of readSpoolFile(join(spoolDir, activeSpoolFile)).events) live.add(event.id);
  journal.retainOnly(live);
  const attempts = readAttempts(spoolDir);
  const kept = Object.fromEntries(Object.entries(attempts).filter(([id]) => live.has(id) && !journal.has(id)));
  if (Object.keys(kept).length !== Object.keys(attempts).length) writeAttempts(spoolDir, kept);
}

const doneSuffix = ".done";

function doneFiles(spoolDir: string): string[] {
  try {
    return readdirSync(spoolDir).filter((file) => file.endsWith(doneSuffix) && batchPattern.test(file.slice(0, -doneSuffix.length)));
  } catch {
    return [];
  }
}

function readAttempts(spoolDir: string): Record<string, number> {
  try {
    return JSON.parse(readFileSync(join(spoolDir, "attempts.json"), "utf8")) as Record<string, number>;
  } catch {
    return {};
  }
}

function writeAttempts(spoolDir: string, attempts: Record<string, number>): void {
  writeFileAtomic(join(spoolDir, "attempts.json"), JSON.stringify(attempts));
}
