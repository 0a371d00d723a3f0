import type { Database } from "@msp/db";
import type { Logger } from "@msp/logging";
import type { ChainStore } from "./chain-store";
import { dayMs, pruneBefore } from "./prune";

const hourMs = 3_600_000;

/** Prunes events older than the retention (AUDIT_RETENTION_DAYS) up to a checkpoint, at start and every hour. */
export class RetentionWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly store: ChainStore,
    private readonly days: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running = this.prune();
    // Each run waits for the one before: a prune of a large chain may take longer than the hour.
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.prune());
    }, hourMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async prune(): Promise<void> {
    try {
      const ctx = { service: "audit-service", method: "audit-service/retention", principal: "audit-service" };
      const result = await pruneBefore(this.db, this.store, new Date(Date.now() - this.days * dayMs), ctx, "when-pruned");
      if (result.prunedEvents > 0n)
        this.logger.info(
          { events: Number(result.prunedEvents), anchorSeq: Number(result.anchorSeq) },
          "pruned audit events past retention",
        );
    } catch (error) {
      this.logger.error({ err: error }, "audit retention prune failed");
    }
  }
}
