import type { Transaction } from "sequelize";
import { appendEvents, signCheckpoint } from "@msp/audit-chain";
import type { Database } from "@msp/db";
import type { Logger } from "@msp/logging";
import type { ChainStore } from "./chain-store";
import type { CheckpointPolicy } from "./checkpoint-rules";
import { checkpointsDue } from "./checkpoint-rules";
import type { ChainKeys } from "./keys";
import type { Lease } from "./lease";
import { LeaseLost } from "./lease";

/** How the drain runs. */
export interface DrainSettings extends CheckpointPolicy {
  /** Outbox rows chained per transaction. */
  batch: number;
  /** Pause when the outbox is empty (the lag of a change at rest stays under this plus one batch). */
  idleMs: number;
}

/**
 * Moves committed outbox rows into the chain, in batches: each batch gets the next dense seqs and
 * linked HMACs, and its outbox rows are deleted in the same transaction, so each row lands in the
 * chain exactly once whatever order the writers' transactions committed in. Only the holder of the
 * drain lease drains; every batch renews it first (a fence), so two instances never both append.
 * Checkpoints are signed in the same transactions.
 */
export class Drainer {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly startedAt = new Date();
  private holding = false;
  private lastPass = 0;
  private lastAcquire = 0;

  constructor(
    private readonly db: Database,
    private readonly store: ChainStore,
    private readonly lease: Lease,
    private readonly keys: ChainKeys,
    private readonly logger: Logger,
    private readonly settings: DrainSettings,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    if (this.holding)
      await this.lease.release().catch((error: unknown) => this.logger.warn({ err: error }, "could not release the drain lease"));
  }

  private async run(): Promise<void> {
    while (this.running) {
      let pause = this.settings.idleMs;
      try {
        const now = Date.now();
        // Between batches (each renews the lease inside its transaction) a holder renews it a few
        // times per lease; a waiting instance asks on every turn.
        if (!this.holding || now - this.lastAcquire >= this.lease.renewEveryMs) {
          const held = await this.lease.acquire();
          if (held !== this.holding)
            this.logger.info(
              { holder: this.lease.holder },
              held ? "draining the audit outbox" : "another instance drains the audit outbox",
            );
          this.holding = held;
          if (held) this.lastAcquire = now;
        }
        if (this.holding) {
          // At rest, a plain read finds nothing to do; the transaction (which renews the lease and
          // may sign a checkpoint at the head) runs when rows wait, and at least a few times per
          // checkpoint interval.
          if ((await this.store.hasPending()) || now - this.lastPass >= Math.min(this.settings.intervalMs / 4, this.lease.renewEveryMs)) {
            this.lastPass = now;
            const moved = await this.drainBatch();
            if (moved === this.settings.batch) pause = 0;
          }
        } else {
          pause = Math.max(this.settings.idleMs, 1000);
        }
      } catch (error) {
        if (error instanceof LeaseLost) {
          this.holding = false;
          this.logger.warn("the drain lease was taken over; this batch was rolled back");
        } else {
          this.logger.error({ err: error }, "audit drain failed; retrying");
          pause = 1000;
        }
      }
      if (pause > 0 && this.running) await this.sleep(pause);
    }
  }

  /** Chains one batch (and signs the checkpoints due): the number of events appended. */
  async drainBatch(): Promise<number> {
    return this.db.transaction(async (transaction) => {
      await this.lease.fence(transaction);
      const pending = await this.store.pendingEvents(this.settings.batch, transaction);
      const head = await this.store.head(transaction);
      const events = pending.length > 0 ? appendEvents(this.keys.hmacKey, head, pending) : [];
      if (events.length > 0) {
        await this.store.insertEvents(events, new Date(), transaction);
        const deleted = await this.store.deletePending(
          pending.map((p) => p.id),
          transaction,
        );
        if (deleted !== pending.length) {
          throw new Error(`only ${deleted} of ${pending.length} outbox rows were still there: another drainer took them; rolled back`);
        }
      }
      const last = events[events.length - 1];
      await this.signDue(last ? { seq: last.seq, hash: last.hash } : head, events, transaction);
      return events.length;
    });
  }

  /** Signs the checkpoints due once the head is `head` (events: those just appended, to find their hashes). */
  private async signDue(head: { seq: number; hash: string }, appended: readonly { seq: number; hash: string }[], transaction: Transaction) {
    if (head.seq === 0) return;
    const last = await this.store.lastCheckpoint(transaction);
    const anchor = last ? null : await this.store.anchor(transaction);
    const due = checkpointsDue(last, anchor?.seq ?? 0, head.seq, new Date(), this.startedAt, this.settings);
    let prevSeq = last?.seq ?? 0;
    for (const seq of due) {
      const hash = seq === head.seq ? head.hash : (appended.find((e) => e.seq === seq)?.hash ?? (await this.store.hashAt(seq)));
      if (hash === undefined) continue;
      const checkpoint = signCheckpoint(this.keys.privateKey, { seq, hash, signedAt: new Date(), prevSeq });
      await this.store.insertCheckpoint(checkpoint, this.keys.publicKeyId, transaction);
      prevSeq = seq;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
