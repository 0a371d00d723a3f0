import { failedPrecondition, invalidArgument } from "@msp/errors";
import type { ResourceDefinition, StoredRecord } from "@msp/resource-kit";
import { UserSchema } from "@msp/proto/src/gen/es/msp/identity/v1/user_pb";
import type { Transaction } from "sequelize";
import { UserModel } from "./models";
import { bumpSecurityVersion, endSessions } from "./sessions";

/** Every stored username matches this (after trimming and lower-casing). */
export const usernamePattern = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** Refuses a change that would leave the platform without an active administrator. */
async function keepOneAdmin(userId: string, transaction: Transaction): Promise<void> {
  const others = await UserModel.count({ where: { role: "admin", is_active: true }, transaction });
  const self = await UserModel.findOne({ where: { id: userId }, attributes: ["role", "is_active"], raw: true, transaction });
  const selfCounts = self?.role === "admin" && Boolean(self.is_active);
  if (selfCounts && others <= 1) throw failedPrecondition("this is the last active admin; make another admin first");
}

/** Users: unique lower-case usernames, a role, and at least one active admin at all times. */
export const userResource: ResourceDefinition = {
  name: "user",
  model: UserModel,
  schema: UserSchema,
  fieldOverrides: { maxLength: { username: 64 } },
  outputOnly: ["last_login_at", "failed_logins", "locked_until"],
  required: ["username"],
  immutable: ["username"],
  unique: [["username"]],
  filterable: ["username", "role", "is_active", "created_at"],
  orderable: ["username", "created_at", "updated_at"],
  async prepare(row: StoredRecord, existing, { transaction }) {
    if (typeof row["username"] === "string") {
      const username = row["username"].trim().toLowerCase();
      row["username"] = username;
      if (!usernamePattern.test(username)) {
        throw invalidArgument("user.username", "must be 3-64 characters: lower-case letters, digits, dots, dashes or underscores");
      }
    }
    if (typeof row["email"] === "string" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(row["email"])) {
      throw invalidArgument("user.email", "must be an e-mail address");
    }
    const demoted = existing && (row["role"] !== existing["role"] || row["is_active"] !== existing["is_active"]);
    if (existing && demoted && (row["role"] !== "admin" || !row["is_active"])) await keepOneAdmin(existing["id"] as string, transaction);
  },
  // A token says the role it was issued with: a new role, or a disabled account, must end the
  // old tokens at once (a deleted user's tokens end with the row; the refresh tokens go with it).
  async afterWrite(row, existing, { transaction }) {
    if (!existing) return;
    const id = existing["id"] as string;
    if (existing["is_active"] && !row["is_active"]) await endSessions(id, transaction);
    else if (row["role"] !== existing["role"]) await bumpSecurityVersion(id, transaction);
  },
  async beforeDelete(row, { transaction }) {
    await keepOneAdmin(row["id"] as string, transaction);
  },
};
