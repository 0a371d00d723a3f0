import { randomBytes } from "node:crypto";
import { literal } from "sequelize";
import type { Database } from "@msp/db";
import { writeAuditEvent } from "@msp/resource-kit";
import { UserModel } from "./models";
import { checkPasswordRules, hashPassword } from "./passwords";
import { endSessions } from "./sessions";

/** What a reset did: the user's id and the password now set (generated unless one was given). */
export interface PasswordReset {
  userId: string;
  password: string;
  generated: boolean;
}

/**
 * Sets a new password on an existing database, for an operator who lost the admin password (the
 * bootstrap variable only acts on an empty one): the user's password replaced, any lockout lifted,
 * the account enabled again, every token of the user revoked (whoever knew the old password may
 * hold some), and an audit event written. A running gateway refuses those tokens within its
 * REVOCATION_CACHE_MS (it reads the user's security version again then). Throws an Error naming
 * the problem when there is no such user or the password breaks the rules.
 */
export async function resetPassword(db: Database, username: string, password?: string): Promise<PasswordReset> {
  const name = username.trim().toLowerCase();
  const chosen = password ?? randomBytes(18).toString("base64url");
  checkPasswordRules("password", chosen);
  const user = await UserModel.findOne({ where: { username: name }, attributes: ["id"], raw: true });
  if (!user) throw new Error(`no user named "${name}" in this database`);
  const hash = await hashPassword(chosen);
  await db.transaction(async (transaction) => {
    await UserModel.update(
      {
        password_hash: hash,
        failed_logins: 0,
        locked_until: null,
        is_active: true,
        updated_at: new Date(),
        revision: literal("revision + 1"),
      },
      { where: { id: user.id }, transaction },
    );
    await endSessions(user.id, transaction);
    await writeAuditEvent(
      transaction,
      { service: "gateway", method: "password reset by an operator (npm run admin:reset-password)", principal: "operator" },
      { resourceType: "user", resourceId: user.id, action: "update", summary: { password: "reset", sessions: "ended", username: name } },
    );
  });
  return { userId: user.id, password: chosen, generated: password === undefined };
}
