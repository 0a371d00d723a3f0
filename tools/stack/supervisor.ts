import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { PlatformProcess } from "@msp/registry";

/** How a supervised process is restarted after it exits unexpectedly. */
export interface RestartPolicy {
  /** Delay before the n-th restart in a row (0-based); the last one repeats. */
  delaysMs: readonly number[];
  /** Giving up after this many crashes within `windowMs`. */
  maxCrashes: number;
  windowMs: number;
}

/** Restart at once (a killed service is back within seconds), then back off; five crashes in a minute is a broken service. */
export const defaultRestartPolicy: RestartPolicy = { delaysMs: [100, 1000, 2000, 5000], maxCrashes: 5, windowMs: 60_000 };

export interface SupervisorOptions {
  /** The repository root, where entries are relative to. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Each line a process prints, with its app. */
  onLine(app: string, line: string, stream: "stdout" | "stderr"): void;
  /** What the supervisor itself has to say (restarts, giving up). */
  onNotice(message: string): void;
  readyTimeoutMs: number;
  policy?: RestartPolicy;
  now?: () => number;
}

interface Supervised {
  proc: PlatformProcess;
  child?: ChildProcess | undefined;
  crashes: number[];
  gaveUp: boolean;
  timer?: NodeJS.Timeout | undefined;
}

/**
 * Runs the platform's processes and keeps them running: a process that exits on its own after it
 * served is started again (with backoff), while the others go on; after repeated crashes in a short
 * time it is left down with a clear message. A process that cannot start at all fails start().
 */
export class Supervisor {
  private readonly procs = new Map<string, Supervised>();
  private stopping = false;
  private readonly policy: RestartPolicy;
  private readonly now: () => number;

  constructor(private readonly options: SupervisorOptions) {
    this.policy = options.policy ?? defaultRestartPolicy;
    this.now = options.now ?? Date.now;
  }

  /** Starts a process and resolves once it says it serves (its pid), or rejects if it exits or hangs first. */
  start(proc: PlatformProcess): Promise<number> {
    const entry: Supervised = this.procs.get(proc.app) ?? { proc, crashes: [], gaveUp: false };
    this.procs.set(proc.app, entry);
    return this.launch(entry);
  }

  /** The pid of each running process, by app. */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries([...this.procs].map(([app, s]) => [app, s.child?.pid]));
  }

  /** Stops every process (SIGTERM, then SIGKILL after `graceMs`) and restarts nothing any more. */
  async stopAll(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.procs.values()].map((s) => {
        clearTimeout(s.timer);
        const child = s.child;
        if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
        return new Promise<void>((done) => {
          const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
          child.once("exit", () => {
            clearTimeout(kill);
            done();
          });
          child.kill("SIGTERM");
        });
      }),
    );
  }

  private launch(entry: Supervised): Promise<number> {
    const { proc } = entry;
    const child = spawn(process.execPath, [...proc.nodeArgs, "--import", "tsx", proc.entry], {
      cwd: this.options.cwd,
      env: this.options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    entry.child = child;
    let ready = false;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${proc.app} did not start within ${this.options.readyTimeoutMs / 1000} s`));
      }, this.options.readyTimeoutMs);
      const relay = (stream: NodeJS.ReadableStream, name: "stdout" | "stderr") =>
        createInterface({ input: stream }).on("line", (line) => {
          this.options.onLine(proc.app, line, name);
          if (!ready && line.startsWith(proc.readyPrefix)) {
            ready = true;
            clearTimeout(timer);
            resolve(child.pid ?? 0);
          }
        });
      relay(child.stdout, "stdout");
      relay(child.stderr, "stderr");
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        if (entry.child === child) entry.child = undefined;
        if (this.stopping) return;
        const how = signal ?? `code ${code}`;
        if (!ready) {
          reject(new Error(`${proc.app} exited (${how}) before it served`));
          return;
        }
        this.restartLater(entry, how);
      });
    });
  }

  private restartLater(entry: Supervised, how: string): void {
    const { app } = entry.proc;
    const now = this.now();
    entry.crashes = [...entry.crashes.filter((at) => now - at < this.policy.windowMs), now];
    if (entry.crashes.length >= this.policy.maxCrashes) {
      entry.gaveUp = true;
      this.options.onNotice(
        `${app} exited (${how}) ${entry.crashes.length} times within ${this.policy.windowMs / 1000} s; not restarting it. ` +
          `The rest of the platform keeps running and answers 503 for ${app}; see its output above, fix it, and restart npm start.`,
      );
      return;
    }
    const delays = this.policy.delaysMs;
    const delay = delays[Math.min(entry.crashes.length - 1, delays.length - 1)] ?? 1000;
    this.options.onNotice(`${app} exited unexpectedly (${how}); restarting it in ${delay / 1000} s; the other processes keep running`);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (this.stopping) return;
      this.launch(entry).then(
        (pid) => this.options.onNotice(`${app} is serving again (pid ${pid})`),
        (error: unknown) => {
          this.options.onNotice(`${app} could not be restarted: ${error instanceof Error ? error.message : String(error)}`);
          if (!this.stopping && entry.child === undefined) this.restartLater(entry, "did not start");
        },
      );
    }, delay);
  }
}
