import { Op, literal } from "sequelize";
import type { Principal, TokenSigner } from "@msp/auth";
import { verifyAccessToken, verifyRefreshToken } from "@msp/auth";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";
import { DomainError, invalidArgument } from "@msp/errors";
import type { MutationContext } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import type { CreateTokenResponse } from "@msp/proto/src/gen/ts/msp/identity/v1/auth";
import { apiKeyMatches, apiKeyPrefix } from "./api-key-secrets";
import type { IdentityConfig } from "./identity-config";
import { ApiKeyModel, RevokedTokenModel, UserModel } from "./models";
import { verifyDecoy, verifyPassword } from "./passwords";
import { usernamePattern } from "./user.resource";

const refused = (message = "invalid username or password") => new DomainError("unauthenticated", message);

/** "15 minutes", "1 minute", "90 seconds". */
function duration(seconds: number): string {
  const minutes = seconds / 60;
  if (Number.isInteger(minutes)) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

/** Who used an API key, for its audit event: the use is not an RPC of its own, so the method says what it was. */
const keyUseContext = (username: string): MutationContext => ({
  service: "identity",
  method: "api key used (at most one event a minute per key)",
  principal: username,
});

/** Logins, refreshes, API-key exchanges and revocations: everything that issues or kills a token. */
export interface AuthLogic {
  login(username: string, password: string, ctx: MutationContext): Promise<CreateTokenResponse>;
  exchangeApiKey(key: string, ctx: MutationContext): Promise<CreateTokenResponse>;
  refresh(refreshToken: string, ctx: MutationContext): Promise<CreateTokenResponse>;
  /** Revokes `token` (access or refresh), or the caller's own token when empty. */
  revoke(token: string, caller: Principal, ctx: MutationContext): Promise<void>;
  isRevoked(tokenId: string): Promise<boolean>;
  /** The principal an API key acts as, or an UNAUTHENTICATED error. */
  principalOfApiKey(key: string): Promise<Omit<Principal, "tokenId" | "expiresAt">>;
}

export function createAuthLogic(db: Database, signer: TokenSigner, config: IdentityConfig): AuthLogic {
  async function audit(
    ctx: MutationContext,
    action: "login" | "revoke",
    outcome: "ok" | "denied",
    resourceId: string | null,
    summary: object,
  ) {
    // A login is made before anyone is known: its event names the account it was for.
    const named = (summary as { username?: unknown }).username;
    const who =
      ctx.principal === "anonymous" && typeof named === "string" && named !== "" ? { ...ctx, principal: named.slice(0, 255) } : ctx;
    await db.transaction((transaction) =>
      writeAuditEvent(transaction, who, { resourceType: "user", resourceId, action, outcome, summary: { ...summary } }),
    );
  }

  async function issue(user: UserModel): Promise<CreateTokenResponse> {
    const access = await signer.issueAccessToken(
      { subject: user.id, userId: user.id, username: user.username, role: user.role as Principal["role"], scopes: [], kind: "user" },
      config.accessTokenTtlSeconds,
    );
    const refresh = await signer.issueRefreshToken(
      { subject: user.id, userId: user.id, username: user.username },
      config.refreshTokenTtlSeconds,
    );
    return {
      accessToken: access.token,
      tokenType: "Bearer",
      expiresIn: config.accessTokenTtlSeconds,
      refreshToken: refresh.token,
      expiresAt: access.expiresAt,
      role: user.role,
      scopes: [],
    };
  }

  async function isRevoked(tokenId: string): Promise<boolean> {
    const rows = await db.select<{ id: string }>("SELECT id FROM revoked_tokens WHERE jti = ?", [tokenId]);
    return rows.length > 0;
  }

  async function revokeTokenId(tokenId: string, expiresAt: Date): Promise<void> {
    await db.transaction(async (transaction) => {
      if (await RevokedTokenModel.findOne({ where: { jti: tokenId }, attributes: ["id"], raw: true, transaction })) return;
      await RevokedTokenModel.create({ id: uuidv7(), jti: tokenId, expires_at: expiresAt, created_at: new Date() }, { transaction });
      // Rows of tokens that expired anyway are of no use: keep the table small.
      await RevokedTokenModel.destroy({ where: { expires_at: { [Op.lt]: new Date(Date.now() - 60_000) } }, transaction });
    });
  }

  async function principalOfApiKey(key: string): Promise<Omit<Principal, "tokenId" | "expiresAt">> {
    const prefix = apiKeyPrefix(key);
    const row = prefix ? await ApiKeyModel.findOne({ where: { prefix }, raw: true }) : null;
    if (!row || !apiKeyMatches(key, row.key_hash)) throw refused("invalid API key");
    if (row.revoked_at) throw refused("API key revoked");
    if (row.expires_at && new Date(row.expires_at) <= new Date()) throw refused("API key expired");
    const user = await UserModel.findOne({ where: { id: row.user_id }, raw: true });
    if (!user || !user.is_active) throw refused("API key's user is disabled");
    // last_used_at is for people, not for locking: update it, and log the key's use, at most once a
    // minute per key.
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
      await db.transaction(async (transaction) => {
        await ApiKeyModel.update({ last_used_at: new Date() }, { where: { id: row.id }, transaction });
        await writeAuditEvent(transaction, keyUseContext(user.username), {
          resourceType: "api_key",
          resourceId: row.id,
          action: "login",
          summary: { used_by: user.username, prefix: row.prefix },
        });
      });
    }
    const scopes = typeof row.scopes === "string" ? (JSON.parse(row.scopes) as string[]) : (row.scopes ?? []);
    return { subject: row.id, userId: user.id, username: user.username, role: user.role as Principal["role"], scopes, kind: "api_key" };
  }

  /**
   * Counts a login attempt before its password is checked, in one atomic UPDATE, so that guesses
   * sent at once cannot all pass before the first failure is written: the attempt's number in the
   * current run of failures, or "locked" while the account is locked.
   */
  async function countAttempt(userId: string, now: Date): Promise<number | "locked"> {
    const [counted] = await UserModel.update(
      { failed_logins: literal("failed_logins + 1") },
      { where: { id: userId, [Op.or]: [{ locked_until: null }, { locked_until: { [Op.lte]: now } }] } },
    );
    if (counted === 0) return "locked";
    const row = await UserModel.findOne({ where: { id: userId }, attributes: ["failed_logins"], raw: true });
    return Number(row?.failed_logins ?? 0);
  }

  /** Locks the account for the lockout period and starts the count again. */
  async function lockAccount(userId: string, now: Date): Promise<void> {
    await UserModel.update(
      { failed_logins: 0, locked_until: new Date(now.getTime() + config.lockoutSeconds * 1000) },
      { where: { id: userId } },
    );
  }

  const refusedLogin = `invalid username or password (after ${config.lockoutThreshold} failed logins in a row an account is locked for ${duration(config.lockoutSeconds)})`;

  return {
    isRevoked,
    principalOfApiKey,

    async login(username, password, ctx) {
      if (username === "") throw invalidArgument("username", "is required");
      if (password === "") throw invalidArgument("password", "is required");
      const name = username.trim().toLowerCase();
      // Every refusal reads the same and costs one password hash, whether the account is unknown,
      // disabled, locked or the password wrong: the answer never tells that an account exists.
      const refusal = () => refused(refusedLogin);
      // A name no user can have is an unknown user without asking the database (a NUL in it would
      // even break SQLite's SQL).
      const user = usernamePattern.test(name) ? await UserModel.findOne({ where: { username: name } }) : null;
      if (!user) {
        await verifyDecoy(password);
        await audit(ctx, "login", "denied", null, { username, reason: "unknown user" });
        throw refusal();
      }
      const now = new Date();
      const attempt = await countAttempt(user.id, now);
      if (attempt === "locked") {
        await verifyDecoy(password);
        await audit(ctx, "login", "denied", user.id, { username, reason: "locked" });
        throw refusal();
      }
      if (attempt > config.lockoutThreshold) {
        // Guesses sent at once beyond the threshold are not checked: the lock is taken instead.
        await lockAccount(user.id, now);
        await verifyDecoy(password);
        await audit(ctx, "login", "denied", user.id, { username, reason: "too many attempts at once", locked: true });
        throw refusal();
      }
      if (!(await verifyPassword(user.password_hash, password)) || !user.is_active) {
        const lock = attempt >= config.lockoutThreshold;
        if (lock) await lockAccount(user.id, now);
        await audit(ctx, "login", "denied", user.id, { username, reason: user.is_active ? "wrong password" : "disabled", locked: lock });
        throw refusal();
      }
      await UserModel.update({ failed_logins: 0, locked_until: null, last_login_at: now }, { where: { id: user.id } });
      await audit(ctx, "login", "ok", user.id, { username });
      return issue(user);
    },

    async exchangeApiKey(key, ctx) {
      let principal;
      try {
        principal = await principalOfApiKey(key);
      } catch (error) {
        await audit(ctx, "login", "denied", null, { api_key_prefix: apiKeyPrefix(key) ?? "(malformed)" });
        throw error;
      }
      const access = await signer.issueAccessToken(principal, config.accessTokenTtlSeconds);
      await audit(ctx, "login", "ok", principal.userId, { api_key: principal.subject });
      return {
        accessToken: access.token,
        tokenType: "Bearer",
        expiresIn: config.accessTokenTtlSeconds,
        refreshToken: "",
        expiresAt: access.expiresAt,
        role: principal.role,
        scopes: principal.scopes,
      };
    },

    async refresh(refreshToken, ctx) {
      if (refreshToken === "") throw invalidArgument("refresh_token", "is required");
      const claims = await verifyRefreshToken(refreshToken, config.jwtSecret);
      if (await isRevoked(claims.tokenId)) throw refused("refresh token revoked");
      const user = await UserModel.findOne({ where: { id: claims.userId } });
      if (!user || !user.is_active) throw refused("user is disabled");
      // Rotation: a refresh token works once.
      await revokeTokenId(claims.tokenId, claims.expiresAt);
      await audit(ctx, "login", "ok", user.id, { username: user.username, via: "refresh" });
      return issue(user);
    },

    async revoke(token, caller, ctx) {
      let target: { tokenId: string; expiresAt: Date; userId: string };
      if (token === "") {
        target = { tokenId: caller.tokenId, expiresAt: caller.expiresAt, userId: caller.userId };
      } else {
        const claims = await verifyAccessToken(token, config.jwtSecret).catch(() => verifyRefreshToken(token, config.jwtSecret));
        target = { tokenId: claims.tokenId, expiresAt: claims.expiresAt, userId: claims.userId };
      }
      if (target.userId !== caller.userId && caller.role !== "admin") {
        throw new DomainError("permission_denied", "only admins can revoke other users' tokens");
      }
      await revokeTokenId(target.tokenId, target.expiresAt);
      await audit(ctx, "revoke", "ok", target.userId, { token_id: target.tokenId });
    },
  };
}
