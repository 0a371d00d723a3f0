import { literal } from "sequelize";
import { isUuid } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import type { MutationContext, ResourceStore } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import type { User } from "@msp/proto/src/gen/ts/msp/identity/v1/user";
import { UserModel } from "./models";
import { checkPasswordRules, hashPassword } from "./passwords";
import { endSessions } from "./sessions";

/** Sets a new password (admins only, by policy), lifts any lockout, and ends every session of the user. */
export async function setUserPassword(users: ResourceStore<User>, id: string, password: string, ctx: MutationContext): Promise<User> {
  if (!isUuid(id)) throw invalidArgument("id", "must be a UUID");
  checkPasswordRules("password", password);
  const hash = await hashPassword(password);
  // Answered from inside the transaction: once it commits, nothing is left to fail.
  return users.mutate(ctx, async ({ transaction }) => {
    await users.get(id);
    await UserModel.update(
      { password_hash: hash, failed_logins: 0, locked_until: null, updated_at: new Date(), revision: literal("revision + 1") },
      { where: { id }, transaction },
    );
    // Whoever knew the old password may hold tokens: they all stop working.
    await endSessions(id, transaction);
    await writeAuditEvent(transaction, ctx, {
      resourceType: "user",
      resourceId: id,
      action: "update",
      summary: { password: "changed", sessions: "ended" },
    });
    return users.getWithin(transaction, id);
  });
}
