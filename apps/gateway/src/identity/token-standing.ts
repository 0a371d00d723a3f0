import type { Principal } from "@msp/auth";
import type { Database } from "@msp/db";
import { ApiKeyModel } from "./models";

/** What a token's check needs of it: what it says, whether it was issued to a user, a key or a service. */
export type CheckedToken = Pick<Principal, "tokenId" | "userId" | "subject" | "role" | "kind" | "securityVersion" | "familyId">;

interface Standing {
  role: string;
  is_active: number | boolean;
  security_version: number;
  revoked: number | bigint;
  family_ended: number | bigint;
}

/**
 * Why a signed, unexpired access token may no longer be used, in words for its holder, or
 * undefined when it may. One read answers for the user, the token's revocation and its sign-in;
 * an API key's token also needs its key to exist, unrevoked and unexpired. A token is refused
 * when its user is gone or disabled, has another role now, or has a newer security version (a
 * password change or "log out everywhere" since it was issued).
 */
export async function tokenRefusal(db: Database, token: CheckedToken): Promise<string | undefined> {
  const [standing] = await db.select<Standing>(
    `SELECT u.role, u.is_active, u.security_version,
       (SELECT COUNT(*) FROM revoked_tokens r WHERE r.jti = ?) AS revoked,
       (SELECT COUNT(*) FROM refresh_tokens f WHERE f.family_id = ? AND f.revoked_at IS NOT NULL) AS family_ended
     FROM users u WHERE u.id = ?`,
    [token.tokenId, token.familyId ?? "", token.userId],
  );
  if (!standing) return "its user no longer exists";
  if (Number(standing.revoked) > 0) return "revoked";
  if (!Number(standing.is_active)) return "its user is disabled";
  if (standing.role !== token.role) return `its user's role is now ${standing.role}; log in again`;
  // Service tokens carry no version: they live a minute and are made only for a caller whose own token passed.
  if (token.kind !== "service" && Number(standing.security_version) !== (token.securityVersion ?? 0)) {
    return "its user's sign-ins were ended (password changed, or logged out everywhere); log in again";
  }
  if (Number(standing.family_ended) > 0) return "its sign-in was ended (logged out, or its refresh token was used twice); log in again";
  if (token.kind === "api_key") return await apiKeyRefusal(token);
  return undefined;
}

/** Why the API key a token was exchanged for (the token's subject) no longer lets it be used. */
async function apiKeyRefusal(token: CheckedToken): Promise<string | undefined> {
  const key = await ApiKeyModel.findOne({ where: { id: token.subject }, attributes: ["user_id", "revoked_at", "expires_at"], raw: true });
  if (!key || key.user_id !== token.userId) return "its API key was deleted";
  if (key.revoked_at) return "its API key was revoked";
  if (key.expires_at && new Date(key.expires_at) <= new Date()) return "its API key expired";
  return undefined;
}
