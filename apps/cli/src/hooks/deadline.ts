/**
 * A hook's time budget (RECALL.md: SessionStart 2 s, UserPromptSubmit 1 s, the rest far less):
 * every call it makes gets only what is left, so the hook as a whole never runs past it.
 */
export class Deadline {
  private readonly end: number;
  constructor(
    budgetMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.end = now() + budgetMs;
  }

  /** Milliseconds left, never below `floorMs` so a call always gets a (tiny) chance rather than 0. */
  remaining(floorMs = 1): number {
    return Math.max(floorMs, this.end - this.now());
  }

  get expired(): boolean {
    return this.now() >= this.end;
  }
}

/** The promise's value, or `undefined` when it does not settle within `ms` (its failure also gives undefined). */
export function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

/** Budget per event in milliseconds; the whole process stops at it with exit 0. */
export const hookBudgetsMs = {
  "session-start": 2_000,
  "user-prompt-submit": 1_000,
  "post-tool-use": 2_000,
  "pre-compact": 500,
  stop: 500,
  "session-end": 500,
} as const;
