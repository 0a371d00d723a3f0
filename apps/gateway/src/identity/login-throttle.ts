import { DomainError } from "@msp/errors";

/**
 * Failed logins counted per source address, in fixed windows: once a source has failed
 * `maxFailures` times in a window, its logins are refused without a password check until the
 * window ends. The per-account lockout stops guessing one account's password; this stops one
 * address from trying a few passwords on many accounts, and from spending the server's
 * password-hashing time. Counts are kept in memory: one gateway process serves the identity
 * services, and a restart only forgets who failed recently.
 */
export interface LoginThrottle {
  /** Whole seconds until `source` may try to log in again; 0 when it may now. */
  retryAfterSeconds(source: string | undefined): number;
  /** Counts one failed login from `source`. */
  failed(source: string | undefined): void;
}

export interface LoginThrottleOptions {
  /** Failed logins from one source that close its window... */
  maxFailures: number;
  /** ...which lasts this long from its first failure. */
  windowSeconds: number;
  /** The clock, in milliseconds; tests move it. */
  now?: () => number;
  /** Sources remembered at most: past that the oldest windows are forgotten first. */
  maxSources?: number;
}

interface Window {
  startedAt: number;
  failures: number;
}

/** Callers the gateway could not name (no address): counted together, like any one source. */
const unknownSource = "unknown";

export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const now = options.now ?? Date.now;
  const windowMs = options.windowSeconds * 1000;
  const maxSources = options.maxSources ?? 100_000;
  const windows = new Map<string, Window>();

  const current = (source: string, at: number): Window | undefined => {
    const window = windows.get(source);
    if (window && at - window.startedAt < windowMs) return window;
    if (window) windows.delete(source);
    return undefined;
  };

  const makeRoom = (at: number) => {
    for (const [source, window] of windows) if (at - window.startedAt >= windowMs) windows.delete(source);
    // Still full of open windows: forget the oldest (a Map iterates in insertion order).
    for (const source of windows.keys()) {
      if (windows.size < maxSources) break;
      windows.delete(source);
    }
  };

  return {
    retryAfterSeconds(source) {
      const at = now();
      const window = current(source ?? unknownSource, at);
      if (!window || window.failures < options.maxFailures) return 0;
      return Math.max(1, Math.ceil((window.startedAt + windowMs - at) / 1000));
    },
    failed(source) {
      const key = source ?? unknownSource;
      const at = now();
      const window = current(key, at);
      if (window) {
        window.failures += 1;
        return;
      }
      if (windows.size >= maxSources) makeRoom(at);
      windows.set(key, { startedAt: at, failures: 1 });
    },
  };
}

/** The refusal of a throttled login: RESOURCE_EXHAUSTED (HTTP 429), saying when to try again. */
export function loginThrottled(seconds: number): DomainError {
  return new DomainError(
    "resource_exhausted",
    `too many failed logins from this address: try again in ${seconds} second${seconds === 1 ? "" : "s"}`,
  );
}
