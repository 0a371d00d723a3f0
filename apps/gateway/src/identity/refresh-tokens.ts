import type { Transaction } from "sequelize";
import { Op, UniqueConstraintError } from "sequelize";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";
import { RefreshTokenModel } from "./models";

/** A refresh token just signed, to record. */
export interface IssuedRefreshToken {
  tokenId: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
}

/**
 * How long the row of an expired refresh token is kept: a revoked family must still refuse the
 * access tokens issued from it, which live at most a day (ACCESS_TOKEN_TTL_SECONDS).
 */
const keptAfterExpiryMs = 86_400_000 + 60_000;

/** Records a refresh token issued in `transaction`, and forgets the rows of tokens long expired. */
export async function recordRefreshToken(token: IssuedRefreshToken, transaction: Transaction): Promise<void> {
  const now = new Date();
  await RefreshTokenModel.create(
    {
      id: uuidv7(),
      jti: token.tokenId,
      family_id: token.familyId,
      user_id: token.userId,
      expires_at: token.expiresAt,
      created_at: now,
    },
    { transaction },
  );
  await RefreshTokenModel.destroy({ where: { expires_at: { [Op.lt]: new Date(now.getTime() - keptAfterExpiryMs) } }, transaction });
}

/**
 * Uses a refresh token up, in one conditional UPDATE: of any number of refreshes of one token at
 * once, exactly one finds it unused and unrevoked and gets true; the others get false.
 */
export async function claimRefreshToken(tokenId: string, transaction: Transaction): Promise<boolean> {
  const [count] = await RefreshTokenModel.update(
    { rotated_at: new Date() },
    { where: { jti: tokenId, rotated_at: null, revoked_at: null }, transaction },
  );
  return count === 1;
}

/** Why a refresh token could not be claimed: it was revoked (or is unknown), or it was used before. */
export async function unclaimableBecause(tokenId: string): Promise<{ reason: "revoked" } | { reason: "reused"; familyId: string }> {
  const row = await RefreshTokenModel.findOne({ where: { jti: tokenId }, attributes: ["family_id", "revoked_at"], raw: true });
  if (!row || row.revoked_at) return { reason: "revoked" };
  return { reason: "reused", familyId: row.family_id };
}

/**
 * Ends a sign-in: every refresh token of the family is revoked, and every access token that
 * names the family is refused (token-standing.ts). Returns how many tokens were still live.
 */
export async function revokeFamily(db: Database, familyId: string): Promise<number> {
  return db.transaction(async (transaction) => {
    const [count] = await RefreshTokenModel.update(
      { revoked_at: new Date() },
      { where: { family_id: familyId, revoked_at: null }, transaction },
    );
    return count;
  });
}

/**
 * The family of a refresh token issued before families existed (it names none): the token is
 * recorded once, in a family of its own, so that it too works once. Two refreshes adopting it
 * at once share the row the first one wrote.
 */
export async function adoptLegacyRefreshToken(db: Database, token: { tokenId: string; userId: string; expiresAt: Date }): Promise<string> {
  const known = await RefreshTokenModel.findOne({ where: { jti: token.tokenId }, attributes: ["family_id"], raw: true });
  if (known) return known.family_id;
  const familyId = uuidv7();
  try {
    await db.transaction((transaction) => recordRefreshToken({ ...token, familyId }, transaction));
    return familyId;
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    const adopted = await RefreshTokenModel.findOne({ where: { jti: token.tokenId }, attributes: ["family_id"], raw: true });
    if (!adopted) throw error;
    return adopted.family_id;
  }
}
