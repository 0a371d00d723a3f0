import { extname, join } from "node:path";
import { Worker } from "node:worker_threads";
import type { VerifyResult } from "@msp/audit-chain";
import type { DatabaseConfig } from "@msp/db";
import type { VerifyPart } from "./verify-part";
import type { VerifyRequest } from "./verify-worker";

interface PooledWorker {
  worker: Worker;
  busy: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

interface Pending {
  resolve(result: VerifyResult): void;
  reject(error: Error): void;
  owner: PooledWorker;
}

/** A worker left idle this long is ended (each holds a thread, its modules and two connections). */
const idleMs = 60_000;

/**
 * Worker threads that verify parts of the chain (verify-worker.ts), started when a long verify
 * first needs them and kept while verifies come (starting one costs a few tenths of a second of
 * CPU: its modules, compiled from TypeScript, and its connection), then ended after a minute idle.
 */
export class VerifyPool {
  private readonly workers: PooledWorker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly database: DatabaseConfig) {}

  /** Verifies one part in an idle worker, or a new one. */
  run(hmacKey: Buffer, publicKeyPem: string, part: VerifyPart): Promise<VerifyResult> {
    const owner = this.workers.find((w) => !w.busy) ?? this.spawn();
    owner.busy = true;
    clearTimeout(owner.idleTimer);
    const id = this.nextId++;
    return new Promise<VerifyResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, owner });
      const request: VerifyRequest = { id, hmacKey, publicKeyPem, part };
      owner.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private spawn(): PooledWorker {
    const pooled: PooledWorker = { worker: startWorker(this.database), busy: false, idleTimer: undefined };
    pooled.worker.on("message", (message: { id: number; result?: VerifyResult; error?: string }) => {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      this.release(pooled);
      if (message.result) call.resolve(message.result);
      else call.reject(new Error(`a verify worker failed: ${message.error ?? "no answer"}`));
    });
    const fail = (error: Error) => {
      this.forget(pooled);
      for (const [id, call] of this.pending) {
        if (call.owner !== pooled) continue;
        this.pending.delete(id);
        call.reject(error);
      }
    };
    pooled.worker.on("error", fail);
    pooled.worker.on("exit", (code) => fail(new Error(`a verify worker exited with code ${code}`)));
    this.workers.push(pooled);
    return pooled;
  }

  private release(pooled: PooledWorker): void {
    pooled.busy = false;
    pooled.idleTimer = setTimeout(() => {
      this.forget(pooled);
      void pooled.worker.terminate();
    }, idleMs);
    pooled.idleTimer.unref();
  }

  private forget(pooled: PooledWorker): void {
    clearTimeout(pooled.idleTimer);
    const at = this.workers.indexOf(pooled);
    if (at >= 0) this.workers.splice(at, 1);
  }
}

/**
 * The young generation of a verify worker, in MiB (V8's default is about 48). A verify allocates
 * a few objects per event and keeps a page of 5,000 events alive while the next one is read: in
 * the default young generation those survive into the old one and collecting them took a third
 * of the worker's CPU. With room for several pages, they die young (the CPU per event fell by
 * about a third, BENCHMARKS.md); the memory is taken only while the worker runs.
 */
const workerYoungGenerationMb = 192;

/**
 * A worker thread running verify-worker. Run as TypeScript (tsx, as `npm start` runs the services),
 * the worker does not inherit the parent's loader: it registers tsx's own first.
 */
function startWorker(database: DatabaseConfig): Worker {
  const extension = extname(__filename);
  const resourceLimits = { maxYoungGenerationSizeMb: workerYoungGenerationMb };
  const file = join(__dirname, `verify-worker${extension}`);
  const worker =
    extension === ".ts"
      ? new Worker(`require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(file)});`, {
          eval: true,
          workerData: database,
          resourceLimits,
        })
      : new Worker(file, { workerData: database, resourceLimits });
  // An idle worker does not keep the process alive.
  worker.unref();
  return worker;
}
