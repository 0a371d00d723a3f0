import { randomBytes } from "node:crypto";
import { UniqueConstraintError } from "sequelize";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";
import { writeAuditEvent } from "@msp/resource-kit";
import { UserModel } from "./models";
import { hashPassword } from "./passwords";

/** What bootstrapping did: nothing (users exist), or created admin with this password. */
export type BootstrapResult = { created: false } | { created: true; password: string; generated: boolean };

/**
 * On an empty database, creates the user `admin` with the given password or a generated one
 * (shown once by the caller). There is no default password anywhere.
 */
export async function bootstrapAdmin(db: Database, password: string | undefined): Promise<BootstrapResult> {
  if ((await UserModel.count()) > 0) return { created: false };
  const chosen = password ?? randomBytes(18).toString("base64url");
  const hash = await hashPassword(chosen);
  // Two gateways starting together: the unique username lets exactly one of them create admin.
  const created = await db
    .transaction(async (transaction) => {
      if ((await UserModel.count({ transaction })) > 0) return false;
      const now = new Date();
      const id = uuidv7();
      await UserModel.create(
        {
          id,
          revision: 1,
          created_at: now,
          updated_at: now,
          username: "admin",
          password_hash: hash,
          role: "admin",
          is_active: true,
          failed_logins: 0,
        },
        { transaction },
      );
      await writeAuditEvent(
        transaction,
        { service: "gateway", method: "bootstrap", principal: "system" },
        { resourceType: "user", resourceId: id, action: "create", summary: { username: "admin", role: "admin" } },
      );
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof UniqueConstraintError) return false;
      throw error;
    });
  return created ? { created: true, password: chosen, generated: password === undefined } : { created: false };
}
