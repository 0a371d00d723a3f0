import { join } from "node:path";
import { writeFileAtomic } from "../local/atomic-file";
import { readJsonFile } from "../local/json-file";

/** The tokens the model summaries of this machine used on one day (local time). */
export interface DailyUsage {
  day: string;
  tokens: number;
  summaries: number;
}

function usagePath(summarizerDir: string): string {
  return join(summarizerDir, "usage.json");
}

/** The local date, YYYY-MM-DD: the cap is the technician's day, not UTC's. */
export function localDay(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Today's usage; a new day starts at zero. */
export function usageToday(summarizerDir: string, now = new Date()): DailyUsage {
  const stored = readJsonFile<Partial<DailyUsage>>(usagePath(summarizerDir), {});
  const day = localDay(now);
  if (stored.day !== day) return { day, tokens: 0, summaries: 0 };
  return { day, tokens: Math.max(0, Number(stored.tokens) || 0), summaries: Math.max(0, Number(stored.summaries) || 0) };
}

/** Adds a run's tokens to today's count (a failed run's too: it was spent all the same). */
export function addUsage(summarizerDir: string, tokens: number, summarized: boolean, now = new Date()): DailyUsage {
  const today = usageToday(summarizerDir, now);
  const next = { ...today, tokens: today.tokens + Math.max(0, tokens), summaries: today.summaries + (summarized ? 1 : 0) };
  writeFileAtomic(usagePath(summarizerDir), JSON.stringify(next));
  return next;
}

/** Whether a run estimated at `tokens` still fits under today's cap. */
export function fitsDailyCap(usage: DailyUsage, tokens: number, cap: number): boolean {
  return usage.tokens + tokens <= cap;
}
