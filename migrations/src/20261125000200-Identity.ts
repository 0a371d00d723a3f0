import type { Migration } from "@msp/db";
import { col, createTable, dropTable, entityColumns } from "@msp/db";

/** The gateway's identity tables: users, API keys, and tokens revoked before they expire. */
export const identity: Migration = {
  name: "20261125000200-Identity",
  async up(ctx) {
    await createTable(
      ctx,
      "users",
      {
        ...entityColumns(),
        username: col.string(64).notNull(),
        email: col.string(),
        password_hash: col.string().notNull(),
        role: col.enum(["admin", "technician", "readonly"]).notNull().default("technician"),
        is_active: col.bool().notNull().default(true),
        last_login_at: col.datetime(),
        failed_logins: col.int().notNull().default(0),
        locked_until: col.datetime(),
      },
      { unique: ["username"], indexes: ["role", "is_active", "created_at"] },
    );
    await createTable(
      ctx,
      "api_keys",
      {
        ...entityColumns(),
        user_id: col.ref("users", "CASCADE").notNull(),
        // Owned by the work service: kept as a plain id, checked through it, no foreign key.
        machine_id: col.uuid(),
        name: col.string().notNull(),
        prefix: col.string(32).notNull(),
        key_hash: col.string(128).notNull(),
        scopes: col.json(),
        expires_at: col.datetime(),
        last_used_at: col.datetime(),
        revoked_at: col.datetime(),
      },
      { unique: ["prefix"], indexes: ["machine_id", "name", "created_at"] },
    );
    await createTable(
      ctx,
      "revoked_tokens",
      {
        id: col.id(),
        jti: col.string(64).notNull(),
        expires_at: col.datetime().notNull(),
        created_at: col.datetime().notNull(),
      },
      { unique: ["jti"], indexes: ["expires_at"] },
    );
  },
  async down(ctx) {
    for (const table of ["revoked_tokens", "api_keys", "users"]) await dropTable(ctx, table);
  },
};
