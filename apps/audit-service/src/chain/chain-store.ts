import type { Transaction } from "sequelize";
import { QueryTypes } from "sequelize";
import type { ChainAnchor, ChainEvent, Checkpoint, EventText } from "@msp/audit-chain";
import { canonicalJson, genesisHash } from "@msp/audit-chain";
import type { Database } from "@msp/db";
import { affectedRows, toDate } from "@msp/db";
import { EventReader, eventColumns, optionalText } from "./event-rows";

/** An outbox row as the drain reads it, ready to be chained (no seq or hashes yet). */
export type PendingEvent = Omit<ChainEvent, "seq" | "prevHash" | "hash">;

/** The newest event of the chain (or the anchor, or genesis when there is none). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** Rows per INSERT: 15 columns each stays far below both dialects' limit on bound values. */
const rowsPerInsert = 250;

/**
 * Every read and write of the chain's tables (audit_events, audit_checkpoints, audit_chain_state)
 * and of the outbox it drains. Plain SQL: the drain moves thousands of rows a second.
 */
export class ChainStore {
  private readonly events: EventReader;

  constructor(private readonly db: Database) {
    this.events = new EventReader(db);
  }

  private query<T extends object>(sql: string, replacements: unknown[], transaction?: Transaction): Promise<T[]> {
    if (!transaction) return this.db.select<T>(sql, replacements);
    return this.db.sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT, transaction });
  }

  /** Where the chain starts: the checkpoint kept by the last prune, or null (genesis). */
  async anchor(transaction?: Transaction): Promise<ChainAnchor | null> {
    const [row] = await this.query<{ anchor_seq: unknown; anchor_hash: string }>(
      "SELECT anchor_seq, anchor_hash FROM audit_chain_state WHERE id = 1",
      [],
      transaction,
    );
    return row ? { seq: Number(row.anchor_seq), hash: row.anchor_hash } : null;
  }

  /** The newest event, else the anchor, else genesis (seq 0). */
  async head(transaction?: Transaction): Promise<ChainHead> {
    const [row] = await this.query<{ seq: unknown; hash: string }>(
      "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
      [],
      transaction,
    );
    if (row) return { seq: Number(row.seq), hash: row.hash };
    return (await this.anchor(transaction)) ?? { seq: 0, hash: genesisHash };
  }

  /** Up to `limit` committed outbox rows, oldest first. */
  async pendingEvents(limit: number, transaction: Transaction): Promise<PendingEvent[]> {
    const rows = await this.query<Record<string, unknown>>(
      "SELECT id, occurred_at, service, method, principal, resource_type, resource_id, action, outcome, request_summary, source_ip " +
        "FROM audit_outbox ORDER BY occurred_at, id LIMIT ?",
      [limit],
      transaction,
    );
    return rows.map(pendingEventOf);
  }

  /** Whether any committed outbox row waits (a cheap read for the idle drain). */
  async hasPending(): Promise<boolean> {
    const rows = await this.db.select<{ id: string }>("SELECT id FROM audit_outbox LIMIT 1", []);
    return rows.length > 0;
  }

  /** Outbox rows not yet chained. */
  async pendingCount(): Promise<number> {
    const [row] = await this.db.select<{ n: unknown }>("SELECT COUNT(*) AS n FROM audit_outbox", []);
    return Number(row?.n ?? 0);
  }

  /** Appends chained events (their seqs follow the head: the primary key refuses a second writer). */
  async insertEvents(events: readonly ChainEvent[], chainedAt: Date, transaction: Transaction): Promise<void> {
    for (let i = 0; i < events.length; i += rowsPerInsert) {
      const chunk = events.slice(i, i + rowsPerInsert);
      const replacements: unknown[] = [];
      for (const e of chunk) {
        replacements.push(
          e.seq,
          e.id,
          e.occurredAt,
          e.service,
          e.method,
          e.principal,
          e.resourceType,
          e.resourceId,
          e.action,
          e.outcome,
          e.requestSummary,
          e.sourceIp,
          e.prevHash,
          e.hash,
          chainedAt,
        );
      }
      const row = `(${eventColumns.map(() => "?").join(", ")})`;
      await this.db.sequelize.query(`INSERT INTO audit_events (${eventColumns.join(", ")}) VALUES ${chunk.map(() => row).join(", ")}`, {
        replacements,
        transaction,
        type: QueryTypes.INSERT,
      });
    }
  }

  /** Deletes drained outbox rows; the count deleted (fewer than asked means another drainer took some). */
  async deletePending(ids: readonly string[], transaction: Transaction): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < ids.length; i += rowsPerInsert) {
      const chunk = ids.slice(i, i + rowsPerInsert);
      deleted += await this.db.sequelize.query(deleteByIds(this.db.dialect, chunk.length), {
        replacements: [...chunk],
        transaction,
        type: QueryTypes.BULKDELETE,
      });
    }
    return deleted;
  }

  async lastCheckpoint(transaction?: Transaction): Promise<Checkpoint | null> {
    const [row] = await this.query<Record<string, unknown>>(
      "SELECT seq, hash, signed_at, prev_seq, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1",
      [],
      transaction,
    );
    return row ? checkpointOf(row) : null;
  }

  async insertCheckpoint(checkpoint: Checkpoint, publicKeyId: string, transaction: Transaction): Promise<void> {
    await this.db.sequelize.query(
      "INSERT INTO audit_checkpoints (seq, hash, signed_at, prev_seq, signature, public_key_id) VALUES (?, ?, ?, ?, ?, ?)",
      {
        replacements: [checkpoint.seq, checkpoint.hash, checkpoint.signedAt, checkpoint.prevSeq, checkpoint.signature, publicKeyId],
        transaction,
        type: QueryTypes.INSERT,
      },
    );
  }

  /** Events with afterSeq < seq <= toSeq, oldest first, at most `limit`. */
  eventsAfter(afterSeq: number, toSeq: number, limit: number): Promise<ChainEvent[]> {
    return this.events.eventsAfter(afterSeq, toSeq, limit);
  }

  /** The same events as a verify reads them (EventReader.eventTextsAfter). */
  eventTextsAfter(afterSeq: number, toSeq: number, limit: number): Promise<EventText[]> {
    return this.events.eventTextsAfter(afterSeq, toSeq, limit);
  }

  /** The hash of event `seq`, or undefined when there is none. */
  async hashAt(seq: number): Promise<string | undefined> {
    const [row] = await this.db.select<{ hash: string }>("SELECT hash FROM audit_events WHERE seq = ?", [seq]);
    return row?.hash;
  }

  /** The lowest seq of the chain, or undefined when it has no events. */
  async firstSeq(): Promise<number | undefined> {
    const [row] = await this.db.select<{ seq: unknown }>("SELECT MIN(seq) AS seq FROM audit_events", []);
    return row?.seq === null || row?.seq === undefined ? undefined : Number(row.seq);
  }

  /** Checkpoints with fromSeq <= seq <= toSeq, oldest first, at most `limit`. */
  async checkpoints(fromSeq: number, toSeq: number, limit: number): Promise<(Checkpoint & { publicKeyId: string })[]> {
    const rows = await this.db.select<Record<string, unknown>>(
      "SELECT seq, hash, signed_at, prev_seq, signature, public_key_id FROM audit_checkpoints WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?",
      [fromSeq, toSeq, limit],
    );
    return rows.map((row) => ({ ...checkpointOf(row), publicKeyId: String(row["public_key_id"]) }));
  }

  /**
   * Prunes up to checkpoint `anchor`: events up to its seq and the checkpoints before it go, and it
   * becomes the chain's anchor. Returns the events deleted.
   */
  async pruneThrough(anchor: Checkpoint, transaction: Transaction): Promise<number> {
    const deleted = await this.db.sequelize.query("DELETE FROM audit_events WHERE seq <= ?", {
      replacements: [anchor.seq],
      transaction,
      type: QueryTypes.BULKDELETE,
    });
    await this.db.sequelize.query("DELETE FROM audit_checkpoints WHERE seq < ?", {
      replacements: [anchor.seq],
      transaction,
      type: QueryTypes.BULKDELETE,
    });
    const now = new Date();
    const [, updated] = await this.db.sequelize.query(
      "UPDATE audit_chain_state SET anchor_seq = ?, anchor_hash = ?, updated_at = ? WHERE id = 1",
      { replacements: [anchor.seq, anchor.hash, now], transaction, type: QueryTypes.UPDATE },
    );
    if (affectedRows(updated) === 0) {
      await this.db.sequelize.query("INSERT INTO audit_chain_state (id, anchor_seq, anchor_hash, updated_at) VALUES (1, ?, ?, ?)", {
        replacements: [anchor.seq, anchor.hash, now],
        transaction,
        type: QueryTypes.INSERT,
      });
    }
    return deleted;
  }

  /** The newest checkpoint whose event occurred before `cutoff` (what a prune may go up to). */
  async newestCheckpointBefore(cutoff: Date, transaction: Transaction): Promise<Checkpoint | null> {
    const [row] = await this.query<Record<string, unknown>>(
      "SELECT c.seq, c.hash, c.signed_at, c.prev_seq, c.signature FROM audit_checkpoints c " +
        "JOIN audit_events e ON e.seq = c.seq WHERE e.occurred_at < ? ORDER BY c.seq DESC LIMIT 1",
      [cutoff],
      transaction,
    );
    return row ? checkpointOf(row) : null;
  }
}

/**
 * Deletes outbox rows by id. On MariaDB the ids drive the delete (a derived table joined
 * STRAIGHT_JOIN on the primary key): a small outbox is otherwise scanned whole, and a scan waits for
 * every writer whose row is inserted but not committed, stalling the drain for as long.
 */
function deleteByIds(dialect: Database["dialect"], count: number): string {
  if (dialect === "sqlite") return `DELETE FROM audit_outbox WHERE id IN (${Array.from({ length: count }, () => "?").join(", ")})`;
  const ids = Array.from({ length: count }, (_, i) => (i === 0 ? "SELECT ? AS id" : "SELECT ?")).join(" UNION ALL ");
  return `DELETE o FROM (${ids}) AS v STRAIGHT_JOIN audit_outbox AS o ON o.id = v.id`;
}

/** Request summaries are chained as canonical JSON text: the outbox holds JSON (an object, or text on some drivers). */
function summaryText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const parsed: unknown =
    typeof value === "string" ? JSON.parse(value) : Buffer.isBuffer(value) ? JSON.parse(value.toString("utf8")) : value;
  return parsed === null ? null : canonicalJson(parsed);
}

function pendingEventOf(row: Record<string, unknown>): PendingEvent {
  return {
    id: String(row["id"]),
    occurredAt: toDate(row["occurred_at"]),
    service: String(row["service"]),
    method: String(row["method"]),
    principal: String(row["principal"]),
    resourceType: String(row["resource_type"]),
    resourceId: optionalText(row["resource_id"]),
    action: String(row["action"]),
    outcome: String(row["outcome"]),
    requestSummary: summaryText(row["request_summary"]),
    sourceIp: optionalText(row["source_ip"]),
  };
}

function checkpointOf(row: Record<string, unknown>): Checkpoint {
  return {
    seq: Number(row["seq"]),
    hash: String(row["hash"]),
    signedAt: toDate(row["signed_at"]),
    prevSeq: Number(row["prev_seq"]),
    signature: String(row["signature"]),
  };
}
