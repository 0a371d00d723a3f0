import type { Transaction } from "sequelize";
import { Op, literal } from "sequelize";
import type { Principal, TokenSigner } from "@msp/auth";
import { verifyAccessToken, verifyRefreshToken } from "@msp/auth";
import type { Database } from "@msp/db";
import { isUuid, uuidv7 } from "@msp/db";
import { DomainError, invalidArgument, notFound } from "@msp/errors";
import type { MutationContext } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import type { CreateTokenResponse } from "@msp/proto/src/gen/ts/msp/identity/v1/auth";
import { apiKeyMatches, apiKeyPrefix } from "./api-key-secrets";
import type { IdentityConfig } from "./identity-config";
import { createLoginThrottle, loginThrottled } from "./login-throttle";
import { ApiKeyModel, RevokedTokenModel, UserModel } from "./models";
import { verifyDecoy, verifyPassword } from "./passwords";
import { adoptLegacyRefreshToken, claimRefreshToken, recordRefreshToken, revokeFamily, unclaimableBecause } from "./refresh-tokens";
import { endSessions } from "./sessions";
import type { CheckedToken } from "./token-standing";
import { tokenRefusal } from "./token-standing";
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

/** What RevokeToken asks for: one token (or the caller's own), or with `all` every token of a user. */
export interface RevokeRequest {
  token: string;
  all: boolean;
  userId: string;
}

/** Logins, refreshes, API-key exchanges and revocations: everything that issues or kills a token. */
export interface AuthLogic {
  login(username: string, password: string, ctx: MutationContext): Promise<CreateTokenResponse>;
  exchangeApiKey(key: string, ctx: MutationContext): Promise<CreateTokenResponse>;
  refresh(refreshToken: string, ctx: MutationContext): Promise<CreateTokenResponse>;
  /** Revokes a token (access or refresh), the caller's own when none is given, or with `all` every token of a user. */
  revoke(request: RevokeRequest, caller: Principal, ctx: MutationContext): Promise<void>;
  /** Whether this token id was revoked by itself (RevokeToken): what CheckRevocation answers about another token. */
  isRevoked(tokenId: string): Promise<boolean>;
  /** Why a verified access token may no longer be used (token-standing.ts), or undefined when it may. */
  tokenRefusal(token: CheckedToken): Promise<string | undefined>;
  /** The principal an API key acts as, or an UNAUTHENTICATED error. */
  principalOfApiKey(key: string): Promise<Omit<Principal, "tokenId" | "expiresAt">>;
  /** Whole seconds before `source` (a client address) may try to log in again; 0 when it may now. */
  loginRetryAfterSeconds(source: string | undefined): number;
  /** Calls `listener` whenever a token may have stopped working (a revocation, a user or key changed). */
  onIdentityChange(listener: () => void): void;
  /** Says that a token may have stopped working: caches of "still fine" answers must go. */
  identityChanged(): void;
}

/**
 * A user may always revoke their own tokens; another user's need the admin role, and a caller
 * whose token is limited by scopes (an API key with scopes, a service token) must hold
 * identity:write: an admin's key scoped to context:write revokes nobody else's tokens.
 */
function checkMayRevokeOthers(caller: Principal): void {
  if (caller.role !== "admin") throw new DomainError("permission_denied", "only admins can revoke other users' tokens");
  const scoped = caller.kind === "service" || (caller.kind === "api_key" && caller.scopes.length > 0);
  if (scoped && !caller.scopes.includes("identity:write")) {
    throw new DomainError("permission_denied", "revoking other users' tokens needs scope identity:write, which this API key lacks");
  }
}

export function createAuthLogic(db: Database, signer: TokenSigner, config: IdentityConfig): AuthLogic {
  const throttle = createLoginThrottle({ maxFailures: config.loginThrottleFailures, windowSeconds: config.loginThrottleWindowSeconds });
  const listeners: (() => void)[] = [];
  const identityChanged = () => listeners.forEach((listener) => listener());

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

  /**
   * The user's row, locked for the rest of `transaction`: a password change, "log out
   * everywhere" or disabling (which write this row first) either comes before and is seen, or
   * waits, and then revokes what this transaction issues.
   */
  const lockedUser = (id: string, transaction: Transaction) =>
    UserModel.findOne({ where: { id }, transaction, lock: transaction.LOCK.UPDATE, raw: true });

  /** Signs an access and a refresh token of one sign-in (family) for `user`, recording the refresh token. */
  async function issueSignIn(user: UserModel, familyId: string, transaction: Transaction): Promise<CreateTokenResponse> {
    const access = await signer.issueAccessToken(
      {
        subject: user.id,
        userId: user.id,
        username: user.username,
        role: user.role as Principal["role"],
        scopes: [],
        kind: "user",
        securityVersion: Number(user.security_version),
        familyId,
      },
      config.accessTokenTtlSeconds,
    );
    const refresh = await signer.issueRefreshToken(
      { subject: user.id, userId: user.id, username: user.username, familyId },
      config.refreshTokenTtlSeconds,
    );
    await recordRefreshToken({ tokenId: refresh.tokenId, familyId, userId: user.id, expiresAt: refresh.expiresAt }, transaction);
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

  /** What a token given to RevokeToken is: whose, which sign-in, and whether it is a refresh token. */
  async function tokenToRevoke(token: string) {
    try {
      const access = await verifyAccessToken(token, config.jwtSecret);
      return { tokenId: access.tokenId, expiresAt: access.expiresAt, userId: access.userId, refresh: false, familyId: undefined };
    } catch {
      const refresh = await verifyRefreshToken(token, config.jwtSecret);
      return { tokenId: refresh.tokenId, expiresAt: refresh.expiresAt, userId: refresh.userId, refresh: true, familyId: refresh.familyId };
    }
  }

  /** Logs a user out everywhere: their security version moves on and their refresh tokens are revoked. */
  async function revokeAll(request: RevokeRequest, caller: Principal, ctx: MutationContext): Promise<void> {
    const userId = request.userId || (request.token ? (await tokenToRevoke(request.token)).userId : caller.userId);
    if (userId !== caller.userId) checkMayRevokeOthers(caller);
    if (!isUuid(userId)) throw invalidArgument("user_id", "must be a UUID");
    const found = await db.transaction(async (transaction) => {
      if (!(await lockedUser(userId, transaction))) return false;
      await endSessions(userId, transaction);
      await writeAuditEvent(transaction, ctx, { resourceType: "user", resourceId: userId, action: "revoke", summary: { all: true } });
      return true;
    });
    if (!found) throw notFound("user", userId);
    identityChanged();
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
    // The token's subject is the key: the token is refused once the key is revoked or deleted.
    return {
      subject: row.id,
      userId: user.id,
      username: user.username,
      role: user.role as Principal["role"],
      scopes,
      kind: "api_key",
      securityVersion: Number(user.security_version),
    };
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
    tokenRefusal: (token) => tokenRefusal(db, token),
    loginRetryAfterSeconds: (source) => throttle.retryAfterSeconds(source),
    onIdentityChange: (listener) => void listeners.push(listener),
    identityChanged,

    async login(username, password, ctx) {
      if (username === "") throw invalidArgument("username", "is required");
      if (password === "") throw invalidArgument("password", "is required");
      // A source that failed too often is refused before anything is looked up or hashed.
      const wait = throttle.retryAfterSeconds(ctx.sourceIp);
      if (wait > 0) throw loginThrottled(wait);
      const name = username.trim().toLowerCase();
      // Every refusal reads the same and costs one password hash, whether the account is unknown,
      // disabled, locked or the password wrong: the answer never tells that an account exists.
      // Each counts against the caller's address.
      const refusal = () => {
        throttle.failed(ctx.sourceIp);
        return refused(refusedLogin);
      };
      // A name no user can have is an unknown user without asking the database (a NUL in it would
      // even break SQLite's SQL).
      const user = usernamePattern.test(name) ? await UserModel.findOne({ where: { username: name }, raw: true }) : null;
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
      const tokens = await db.transaction(async (transaction) => {
        // The password was checked against the row read before: a password change or reset, or
        // disabling, since then refuses this login too.
        const current = await lockedUser(user.id, transaction);
        if (!current || !current.is_active || current.password_hash !== user.password_hash) return undefined;
        await UserModel.update({ failed_logins: 0, locked_until: null, last_login_at: now }, { where: { id: user.id }, transaction });
        return issueSignIn(current, uuidv7(), transaction);
      });
      if (!tokens) {
        await audit(ctx, "login", "denied", user.id, { username, reason: "password changed or user disabled meanwhile" });
        throw refusal();
      }
      await audit(ctx, "login", "ok", user.id, { username });
      return tokens;
    },

    async exchangeApiKey(key, ctx) {
      // A throttled address may not log in at all (the gateway cannot tell the two kinds of CreateToken
      // apart before forwarding); failed exchanges are not counted: a key cannot be guessed.
      const wait = throttle.retryAfterSeconds(ctx.sourceIp);
      if (wait > 0) throw loginThrottled(wait);
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
      const familyId = claims.familyId ?? (await adoptLegacyRefreshToken(db, claims));
      // Rotation: the one refresh whose conditional UPDATE claims the token gets new tokens.
      const outcome = await db.transaction(async (transaction) => {
        const user = await lockedUser(claims.userId, transaction);
        if (!user || !user.is_active) return "user disabled" as const;
        if (!(await claimRefreshToken(claims.tokenId, transaction))) return "not claimed" as const;
        return { user, tokens: await issueSignIn(user, familyId, transaction) };
      });
      if (outcome === "user disabled") throw refused("user is disabled");
      if (outcome === "not claimed") {
        const why = await unclaimableBecause(claims.tokenId);
        if (why.reason === "revoked") throw refused("refresh token revoked");
        // Used before: whoever holds its successor (a thief, or the client) may not go on either.
        // The OAuth practice: the whole sign-in ends, and its holder logs in again.
        const ended = await revokeFamily(db, why.familyId);
        identityChanged();
        await audit(ctx, "login", "denied", claims.userId, {
          username: claims.username,
          via: "refresh",
          reason: "refresh token used twice: its sign-in was ended",
          revoked_count: ended,
        });
        throw refused("refresh token already used: its sign-in is ended; log in again");
      }
      await audit(ctx, "login", "ok", outcome.user.id, { username: outcome.user.username, via: "refresh" });
      return outcome.tokens;
    },

    async revoke(request, caller, ctx) {
      if (request.all) return revokeAll(request, caller, ctx);
      if (request.userId !== "") throw invalidArgument("user_id", "is only for all: true (log a user out everywhere)");
      const target =
        request.token === ""
          ? { tokenId: caller.tokenId, expiresAt: caller.expiresAt, userId: caller.userId, refresh: false, familyId: undefined }
          : await tokenToRevoke(request.token);
      if (target.userId !== caller.userId) checkMayRevokeOthers(caller);
      await revokeTokenId(target.tokenId, target.expiresAt);
      // A refresh token stands for its sign-in: revoking it ends every token of the sign-in (RFC 7009).
      if (target.refresh && target.familyId) await revokeFamily(db, target.familyId);
      identityChanged();
      await audit(ctx, "revoke", "ok", target.userId, { token_id: target.tokenId, ...(target.refresh ? { refresh: true } : {}) });
    },
  };
}
