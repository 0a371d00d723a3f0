/** A pause longer than this between two transcript records is not counted as work. */
export const idleGapMs = 10 * 60_000;

/** When a session's records start and end, and how long someone was actually at it. */
export interface ActiveTime {
  startedAt?: string;
  endedAt?: string;
  /** Whole minutes of activity: the gaps between records, leaving out pauses over `idleGapMs`. */
  activeMinutes: number;
}

/** The active time of a session from its records' timestamps (any order; unparsable ones ignored). */
export function activeTimeOf(timestamps: Iterable<string | undefined>, idleMs = idleGapMs): ActiveTime {
  const times: number[] = [];
  for (const stamp of timestamps) {
    if (!stamp) continue;
    const time = Date.parse(stamp);
    if (Number.isFinite(time)) times.push(time);
  }
  if (times.length === 0) return { activeMinutes: 0 };
  times.sort((a, b) => a - b);
  let activeMs = 0;
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap <= idleMs) activeMs += gap;
  }
  return {
    startedAt: new Date(times[0]!).toISOString(),
    endedAt: new Date(times[times.length - 1]!).toISOString(),
    activeMinutes: Math.round(activeMs / 60_000),
  };
}
