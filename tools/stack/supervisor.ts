import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { PlatformProcess } from "@msp/registry";
import { standbyMessages, standbyVariable } from "@msp/service-runtime";

/** How a supervised process is restarted after it exits unexpectedly. */
export interface RestartPolicy {
  /** Delay before the n-th restart in a row (0-based); the last one repeats. */
  delaysMs: readonly number[];
  /** Giving up after this many crashes within `windowMs`. */
  maxCrashes: number;
  windowMs: number;
}

/** Restart at once (a killed service is back within seconds), then back off; five crashes in a minute is a broken service. */
export const defaultRestartPolicy: RestartPolicy = { delaysMs: [0, 1000, 2000, 5000], maxCrashes: 5, windowMs: 60_000 };

export interface SupervisorOptions {
  /** The repository root, where entries are relative to. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Each line a process prints, with its app. */
  onLine(app: string, line: string, stream: "stdout" | "stderr"): void;
  /** What the supervisor itself has to say (restarts, giving up). */
  onNotice(message: string): void;
  readyTimeoutMs: number;
  /** The apps that keep a warm spare to take over at once (see @msp/service-runtime standby.ts): all, or those named. */
  spares: "all" | readonly string[];
  policy?: RestartPolicy;
  now?: () => number;
}

/** One child process of an app: running, or a spare waiting for its turn. */
interface Child {
  process: ChildProcess;
  /** Resolves with its pid once it prints its ready line; rejects if it exits or hangs first. */
  serving: Promise<number>;
  /** A spare's: resolves once it has loaded and waits for "serve". */
  standing: Promise<void> | undefined;
  /** Starts the clock on its start-up (a spare's starts when it is told to serve). */
  startClock(): void;
}

interface Supervised {
  proc: PlatformProcess;
  current?: Child | undefined;
  spare?: Child | undefined;
  crashes: number[];
  timer?: NodeJS.Timeout | undefined;
}

/**
 * Runs the platform's processes and keeps them running: a process that exits on its own after it
 * served is replaced (by its warm spare when there is one, else started again, with backoff) while
 * the others go on; after repeated crashes in a short time it is left down with a clear message.
 * A process that cannot start at all fails start().
 */
export class Supervisor {
  private readonly procs = new Map<string, Supervised>();
  /**
   * Spares load one at a time, in this order: six loading at once take the two cores for many
   * seconds, and a process that died meanwhile would wait behind all of them. A replacement that
   * has to start cold pauses the queue until it serves.
   */
  private readonly spareQueue: Supervised[] = [];
  private loadingSpare: Supervised | undefined;
  private replacing = 0;
  private stopping = false;
  private readonly policy: RestartPolicy;
  private readonly now: () => number;

  constructor(private readonly options: SupervisorOptions) {
    this.policy = options.policy ?? defaultRestartPolicy;
    this.now = options.now ?? Date.now;
  }

  /** Starts a process and resolves with its pid once it serves, or rejects if it exits or hangs first. */
  async start(proc: PlatformProcess): Promise<number> {
    const entry: Supervised = { proc, crashes: [] };
    this.procs.set(proc.app, entry);
    const child = this.spawnChild(entry, false);
    entry.current = child;
    return await child.serving;
  }

  /** Loads a warm spare of every running process, one after the other (once all serve: spares loading beside a start would slow it). */
  startSpares(): void {
    for (const entry of this.procs.values()) if (entry.current !== undefined) this.keepSpare(entry);
  }

  /** The pid of each running process, by app. */
  pids(): Record<string, number | undefined> {
    return Object.fromEntries([...this.procs].map(([app, s]) => [app, s.current?.process.pid]));
  }

  /** Stops every process and spare (SIGTERM, then SIGKILL after `graceMs`) and restarts nothing any more. */
  async stopAll(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    this.spareQueue.length = 0;
    const children = [...this.procs.values()].flatMap((s) => {
      clearTimeout(s.timer);
      return [s.current, s.spare].filter((c): c is Child => c !== undefined).map((c) => c.process);
    });
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
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

  private spawnChild(entry: Supervised, spare: boolean): Child {
    const { proc } = entry;
    const child = spawn(process.execPath, [...proc.nodeArgs, "--import", "tsx", proc.entry], {
      cwd: this.options.cwd,
      env: { ...this.options.env, [standbyVariable]: spare ? "1" : "0" },
      stdio: spare ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
    });
    let ready = false;
    let timer: NodeJS.Timeout | undefined;
    let served: (pid: number) => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    const serving = new Promise<number>((resolve, reject) => {
      served = resolve;
      failed = reject;
    });
    serving.catch(() => undefined);
    const standing = spare
      ? new Promise<void>((resolve, reject) => {
          child.on("message", (message) => message === standbyMessages.ready && resolve());
          child.once("exit", () => reject(new Error(`the spare of ${proc.app} exited`)));
        })
      : undefined;
    standing?.catch(() => undefined);
    const relay = (stream: NodeJS.ReadableStream, name: "stdout" | "stderr") =>
      createInterface({ input: stream }).on("line", (line) => {
        this.options.onLine(proc.app, line, name);
        if (!ready && line.startsWith(proc.readyPrefix)) {
          ready = true;
          clearTimeout(timer);
          served(child.pid ?? 0);
        }
      });
    relay(child.stdout!, "stdout");
    relay(child.stderr!, "stderr");
    const handle: Child = {
      process: child,
      serving,
      standing,
      startClock: () => {
        timer = setTimeout(
          () => failed(new Error(`${proc.app} did not start within ${this.options.readyTimeoutMs / 1000} s`)),
          this.options.readyTimeoutMs,
        );
      },
    };
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      const how = signal ?? `code ${code}`;
      if (!ready) failed(new Error(`${proc.app} exited (${how}) before it served`));
      this.onExit(entry, handle, ready, how);
    });
    if (!spare) handle.startClock();
    return handle;
  }

  /** Makes sure `entry` has a spare loading or waiting, or queued to load, when spares are wanted. */
  private keepSpare(entry: Supervised): void {
    const wanted = this.options.spares === "all" || this.options.spares.includes(entry.proc.app);
    if (!wanted || this.stopping || entry.spare !== undefined || this.spareQueue.includes(entry)) return;
    this.spareQueue.push(entry);
    this.loadNextSpare();
  }

  /** Starts loading the next queued spare, unless one is loading or a replacement is starting. */
  private loadNextSpare(): void {
    if (this.stopping || this.loadingSpare !== undefined || this.replacing > 0) return;
    const entry = this.spareQueue.shift();
    if (entry === undefined) return;
    const spare = this.spawnChild(entry, true);
    entry.spare = spare;
    this.loadingSpare = entry;
    const loaded = () => {
      if (this.loadingSpare === entry) this.loadingSpare = undefined;
      this.loadNextSpare();
    };
    spare.standing!.then(loaded, loaded);
  }

  private onExit(entry: Supervised, child: Child, served: boolean, how: string): void {
    if (this.stopping) return;
    if (entry.spare === child) {
      entry.spare = undefined;
      // A spare that dies while waiting is replaced later, with the next restart.
      return;
    }
    if (entry.current !== child || !served) return;
    entry.current = undefined;
    this.replaceLater(entry, how);
  }

  private replaceLater(entry: Supervised, how: string): void {
    const { app } = entry.proc;
    const now = this.now();
    entry.crashes = [...entry.crashes.filter((at) => now - at < this.policy.windowMs), now];
    if (entry.crashes.length >= this.policy.maxCrashes) {
      entry.spare?.process.kill("SIGTERM");
      entry.spare = undefined;
      const queued = this.spareQueue.indexOf(entry);
      if (queued >= 0) this.spareQueue.splice(queued, 1);
      this.options.onNotice(
        `${app} exited (${how}) ${entry.crashes.length} times within ${this.policy.windowMs / 1000} s; not restarting it. ` +
          `The rest of the platform keeps running and answers 503 for ${app}; see its output above, fix it, and restart npm start.`,
      );
      return;
    }
    const delays = this.policy.delaysMs;
    const delay = delays[Math.min(entry.crashes.length - 1, delays.length - 1)] ?? 1000;
    const by = entry.spare ? "its warm spare takes over" : "restarting it";
    this.options.onNotice(
      `${app} exited unexpectedly (${how}); ${by}${delay > 0 ? ` in ${delay / 1000} s` : ""}; the other processes keep running`,
    );
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (!this.stopping) void this.replace(entry);
    }, delay);
  }

  /** Promotes the spare (or starts a new process) and waits until it serves; spares wait meanwhile. */
  private async replace(entry: Supervised): Promise<void> {
    this.replacing++;
    try {
      await this.replaceNow(entry);
    } finally {
      this.replacing--;
      this.loadNextSpare();
    }
  }

  private async replaceNow(entry: Supervised): Promise<void> {
    const { app } = entry.proc;
    // Its spare, not loaded yet, would only be loaded for the process now starting.
    const queued = this.spareQueue.indexOf(entry);
    if (queued >= 0) this.spareQueue.splice(queued, 1);
    let next = entry.spare;
    entry.spare = undefined;
    if (next) {
      entry.current = next;
      try {
        await next.standing;
        next.startClock();
        next.process.send(standbyMessages.serve);
      } catch {
        next = undefined; // the spare died while loading: a cold start instead
      }
    }
    next ??= this.spawnChild(entry, false);
    entry.current = next;
    try {
      const pid = await next.serving;
      this.options.onNotice(`${app} is serving again (pid ${pid})`);
      this.keepSpare(entry);
    } catch (error) {
      this.options.onNotice(`${app} could not be restarted: ${error instanceof Error ? error.message : String(error)}`);
      if (entry.current === next) entry.current = undefined;
      if (!this.stopping && next.process.exitCode === null && next.process.signalCode === null) next.process.kill("SIGKILL");
      if (!this.stopping) this.replaceLater(entry, "did not start");
    }
  }
}
