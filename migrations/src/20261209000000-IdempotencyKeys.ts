import type { Migration } from "@msp/db";
import { col, createTable, dropTable } from "@msp/db";

/**
 * Each service's idempotency keys (grpc-kit idempotency.ts): a write sent with an Idempotency-Key
 * claims the key in its own transaction, and the answer is kept for 24 hours, so that a retry gets
 * that answer and writes nothing. Every service owns its table: work_idempotency_keys for the work
 * service, identity_idempotency_keys for the identity services, and so on.
 */
export const idempotencyKeys: Migration = {
  name: "20261209000000-IdempotencyKeys",
  async up(ctx) {
    for (const table of tables) {
      await createTable(
        ctx,
        table,
        {
          // SHA-256 (hex) of the caller, the method and the key: the key itself is not stored.
          id: col.string(64).primaryKey(),
          method: col.string(128).notNull(),
          // HMAC-SHA256 (hex) of the method and the request's bytes, keyed by the platform's secret:
          // a request carrying a password cannot be guessed back from it.
          fingerprint: col.string(64).notNull(),
          // pending: the write committed, its answer not kept yet; answered: the answer (protobuf,
          // base64) is kept; withheld: not kept (it holds a secret shown once), answer says why;
          // failed: the call failed after its write committed, answer holds the error (JSON);
          // lost: the call failed after its write committed in a way that cannot be repeated.
          state: col.enum(["pending", "answered", "withheld", "failed", "lost"]).notNull(),
          answer: col.text(),
          created_at: col.datetime().notNull(),
          expires_at: col.datetime().notNull(),
        },
        { indexes: ["expires_at"] },
      );
    }
  },
  async down(ctx) {
    for (const table of [...tables].reverse()) await dropTable(ctx, table);
  },
};

/** One table per service, as grpc-kit's idempotencyTableOf names them (a migration is history: spelled out here). */
const tables = [
  "work_idempotency_keys",
  "infra_idempotency_keys",
  "vault_idempotency_keys",
  "audit_idempotency_keys",
  "recall_idempotency_keys",
  "identity_idempotency_keys",
];
