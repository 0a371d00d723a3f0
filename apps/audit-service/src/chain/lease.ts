import type { Transaction } from "sequelize";
import { QueryTypes, UniqueConstraintError } from "sequelize";
import type { Database } from "@msp/db";
import { affectedRows } from "@msp/db";

/** Who holds a lease, and until when. */
export interface LeaseState {
  holder: string;
  expiresAt: Date;
}

/**
 * A lease row (audit_leases): one holder at a time, until it expires unless renewed. A row rather
 * than a database lock, so that it works on Galera. Every write the holder makes under the lease
 * first renews it in the same transaction (`fence`): a holder whose lease was taken over rolls back
 * instead of writing beside the new one.
 */
export class Lease {
  constructor(
    private readonly db: Database,
    private readonly name: string,
    readonly holder: string,
    private readonly durationMs: number,
  ) {}

  /** How often a holder renews the lease between its writes: a third of its duration. */
  get renewEveryMs(): number {
    return this.durationMs / 3;
  }

  /** Takes the lease when it is free or expired, or renews it when held: whether this holder has it. */
  async acquire(): Promise<boolean> {
    const now = Date.now();
    const [, meta] = await this.db.sequelize.query(
      "UPDATE audit_leases SET holder = ?, expires_at_ms = ? WHERE name = ? AND (holder = ? OR expires_at_ms < ?)",
      { replacements: [this.holder, now + this.durationMs, this.name, this.holder, now], type: QueryTypes.UPDATE },
    );
    if (affectedRows(meta) === 1) return true;
    try {
      await this.db.sequelize.query("INSERT INTO audit_leases (name, holder, expires_at_ms) VALUES (?, ?, ?)", {
        replacements: [this.name, this.holder, now + this.durationMs],
        type: QueryTypes.INSERT,
      });
      return true;
    } catch (error) {
      // The row exists and someone else holds it.
      if (error instanceof UniqueConstraintError) return false;
      throw error;
    }
  }

  /**
   * Renews the lease inside `transaction`, or throws LeaseLost: the row stays locked until the
   * transaction ends, so no other holder can take it over while this one writes.
   */
  async fence(transaction: Transaction): Promise<void> {
    const [, meta] = await this.db.sequelize.query("UPDATE audit_leases SET expires_at_ms = ? WHERE name = ? AND holder = ?", {
      replacements: [Date.now() + this.durationMs, this.name, this.holder],
      transaction,
      type: QueryTypes.UPDATE,
    });
    if (affectedRows(meta) !== 1) throw new LeaseLost(this.name);
  }

  /** Gives the lease up (on shutdown), so that another instance takes over at once. */
  async release(): Promise<void> {
    await this.db.sequelize.query("UPDATE audit_leases SET expires_at_ms = 0 WHERE name = ? AND holder = ?", {
      replacements: [this.name, this.holder],
      type: QueryTypes.UPDATE,
    });
  }

  async state(): Promise<LeaseState | null> {
    const [row] = await this.db.select<{ holder: string; expires_at_ms: unknown }>(
      "SELECT holder, expires_at_ms FROM audit_leases WHERE name = ?",
      [this.name],
    );
    return row ? { holder: row.holder, expiresAt: new Date(Number(row.expires_at_ms)) } : null;
  }
}

/** The lease was taken over by another holder (this one paused longer than the lease lasts). */
export class LeaseLost extends Error {
  constructor(name: string) {
    super(`the ${name} lease is held by another instance`);
    this.name = "LeaseLost";
  }
}
