import type { Migration } from "@msp/db";
import { addColumn, col, createTable, dropColumn, dropTable } from "@msp/db";

/**
 * What makes identity changes take effect at once: each user's security version, which every
 * access token carries and which disabling, a role or password change and "log out everywhere"
 * move on; and every refresh token issued, by sign-in (family), so that a refresh token works
 * once (one conditional UPDATE decides which use wins) and using it again ends its sign-in.
 */
export const identitySessions: Migration = {
  name: "20261207000100-IdentitySessions",
  async up(ctx) {
    await addColumn(ctx, "users", "security_version", col.int().notNull().default(0), "security_version >= 0");
    await createTable(
      ctx,
      "refresh_tokens",
      {
        id: col.id(),
        // The token's jti: the token itself is never stored.
        jti: col.string(64).notNull(),
        // The sign-in the token continues: a login starts one, each refresh adds a token to it.
        family_id: col.uuid().notNull(),
        user_id: col.ref("users", "CASCADE").notNull(),
        expires_at: col.datetime().notNull(),
        // Set by the one refresh that used the token; a second use finds it set.
        rotated_at: col.datetime(),
        revoked_at: col.datetime(),
        created_at: col.datetime().notNull(),
      },
      { unique: ["jti"], indexes: ["family_id", "expires_at"] },
    );
  },
  async down(ctx) {
    await dropTable(ctx, "refresh_tokens");
    await dropColumn(ctx, "users", "security_version");
  },
};
