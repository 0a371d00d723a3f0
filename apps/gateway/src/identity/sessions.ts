import type { Transaction } from "sequelize";
import { Op, literal } from "sequelize";
import { RefreshTokenModel, UserModel } from "./models";

/**
 * Moves the user's security version on: every access token issued to them before (API-key
 * tokens included) is refused from now on, through the gateway at once and by every service
 * within its revocation cache time.
 */
export async function bumpSecurityVersion(userId: string, transaction: Transaction): Promise<void> {
  await UserModel.update({ security_version: literal("security_version + 1") }, { where: { id: userId }, transaction });
}

/** Revokes every refresh token of the user: none of their sign-ins can be continued. */
export async function revokeRefreshTokens(userId: string, transaction: Transaction): Promise<number> {
  const [count] = await RefreshTokenModel.update(
    { revoked_at: new Date() },
    { where: { user_id: userId, revoked_at: null, expires_at: { [Op.gt]: new Date() } }, transaction },
  );
  return count;
}

/**
 * Logs the user out everywhere: their access tokens and their refresh tokens stop working. A
 * password change or reset, disabling the user and "log out everywhere" all do this.
 */
export async function endSessions(userId: string, transaction: Transaction): Promise<void> {
  await bumpSecurityVersion(userId, transaction);
  await revokeRefreshTokens(userId, transaction);
}
