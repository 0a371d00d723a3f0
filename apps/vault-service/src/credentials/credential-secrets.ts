import { CryptoError } from "@msp/crypto";
import type { Database } from "@msp/db";
import { isUuid, uuidv7 } from "@msp/db";
import { failedPrecondition, invalidArgument, notFound } from "@msp/errors";
import type { CallContext } from "@msp/grpc-kit";
import type { HookContext, InternalColumns, ResourceStore, StoredRecord } from "@msp/resource-kit";
import { outboxRow } from "@msp/resource-kit";
import type { Credential } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import type { Sealer, StoredSecret } from "../keys/sealer";
import { secretColumns, storedSecretOf, undecryptable } from "../keys/sealer";
import { CredentialVersionModel } from "../models";
import type { AccessAction } from "./access-log";
import { accessRow, logAccess, logRefusal } from "./access-log";
import { atLeast, callerOf, levelOn, noPermission } from "./access";
import type { Level } from "./access";

/** A secret handed out, and which version of it. */
export interface Revealed {
  secret: string;
  version: number;
  row: StoredRecord;
}

/**
 * The vault's secret-bearing operations on credentials: sealing a new secret (keeping the old one
 * as a version), and revealing one, fail-closed: the access-log row and the audit event commit
 * before the plaintext leaves, and a refused or undecryptable reveal is logged too.
 */
export class CredentialSecrets {
  constructor(
    private readonly db: Database,
    private readonly store: ResourceStore<Credential>,
    private readonly sealer: Sealer,
  ) {}

  /** The columns of a first secret (create), sealed to the new row (credentialResource.afterWrite makes the creator its admin). */
  firstSecret(secret: string): InternalColumns {
    return (id, _existing, hook) => this.sealFirst(id, secret, hook.ctx.principal);
  }

  /** The secret columns of a new credential `id` (its first version), sealed to that row. */
  async sealFirst(id: string, secret: string, principal: string): Promise<StoredRecord> {
    const stored = await this.sealer.seal({ table: "credentials", rowId: id, field: "secret" }, secret);
    return {
      ...secretColumns("secret", stored),
      has_secret: true,
      secret_version: 1,
      rotated_at: new Date(),
      rotated_by: principal,
    };
  }

  /**
   * The columns of an update: with a new secret, the current one moves to credential_versions
   * (sealed again, bound to its version row) and the new one is sealed; without, only the log row.
   */
  change(secret: string | undefined, reason?: string): InternalColumns {
    return async (id, existing, hook) => {
      if (secret === undefined) {
        await logAccess(hook.transaction, hook.ctx, { credentialId: id, action: "update", outcome: "ok" });
        return {};
      }
      const version = Number(existing?.["secret_version"] ?? 0);
      const current = existing ? storedSecretOf(existing, "secret") : undefined;
      const kept = current ? await this.keepVersion(id, version, current, hook) : true;
      const stored = await this.sealer.seal({ table: "credentials", rowId: id, field: "secret" }, secret);
      await logAccess(hook.transaction, hook.ctx, {
        credentialId: id,
        action: "rotate",
        outcome: "ok",
        version: version + 1,
        reason,
        // Replacing a secret that no longer decrypts is how a tampered credential is recovered.
        detail: kept ? undefined : `version ${version} did not decrypt (altered or moved) and was not kept`,
      });
      return {
        ...secretColumns("secret", stored),
        has_secret: true,
        secret_version: version + 1,
        rotated_at: new Date(),
        rotated_by: hook.ctx.principal,
      };
    };
  }

  /** Keeps the current secret as a version; false when it does not decrypt (it is then dropped, and the rotation says so). */
  private async keepVersion(credentialId: string, version: number, current: StoredSecret, hook: HookContext): Promise<boolean> {
    let plaintext: string;
    try {
      plaintext = await this.sealer.open({ table: "credentials", rowId: credentialId, field: "secret" }, current);
    } catch (error) {
      if (error instanceof CryptoError) return false;
      throw error;
    }
    const versionId = uuidv7();
    const kept = await this.sealer.seal({ table: "credential_versions", rowId: versionId, field: "secret" }, plaintext);
    const now = new Date();
    await CredentialVersionModel.create(
      {
        id: versionId,
        credential_id: credentialId,
        version,
        secret: kept.ciphertext,
        secret_nonce: kept.nonce,
        key_id: kept.keyId,
        replaced_at: now,
        replaced_by: hook.ctx.principal,
        created_at: now,
      },
      { transaction: hook.transaction },
    );
    return true;
  }

  /**
   * Reveals the current secret (action reveal) or reads it for a derived value (action totp):
   * checks the caller's level, decrypts, then commits the access-log row and the audit event, and
   * only then returns. A refusal or a failed decryption is logged and audited before it is thrown.
   */
  async reveal(id: string, reason: string, ctx: CallContext, action: AccessAction = "reveal"): Promise<Revealed> {
    const credentialId = checkId(id, "id");
    const row = await this.store.getRow(credentialId);
    await this.requireOrLog(credentialId, ctx, "reveal", action, reason);
    const stored = storedSecretOf(row, "secret");
    if (!stored) throw failedPrecondition(`credential ${credentialId} has no secret stored`);
    const version = Number(row["secret_version"]);
    const secret = await this.openOrLog({ table: "credentials", rowId: credentialId, field: "secret" }, stored, ctx, {
      credentialId,
      action,
      reason,
      version,
    });
    await this.commitAccess(ctx, credentialId, action, reason, version);
    return { secret, version, row };
  }

  /** Reveals an earlier secret: admin permission (or role) and a reason. */
  async revealVersion(credentialId: string, version: number, reason: string, ctx: CallContext): Promise<Revealed> {
    const id = checkId(credentialId, "credential_id");
    const row = await this.store.getRow(id);
    await this.requireOrLog(id, ctx, "admin", "reveal", reason, version);
    const kept = await CredentialVersionModel.findOne({ where: { credential_id: id, version }, raw: true });
    if (!kept) throw notFound("credential version", `${id}/${version}`);
    const stored = { ciphertext: kept.secret, nonce: kept.secret_nonce, keyId: kept.key_id };
    const secret = await this.openOrLog({ table: "credential_versions", rowId: kept.id, field: "secret" }, stored, ctx, {
      credentialId: id,
      action: "reveal",
      reason,
      version,
    });
    await this.commitAccess(ctx, id, "reveal", reason, version);
    return { secret, version, row };
  }

  /** Logs a refusal as denied (access log and audit) when the caller lacks `needed`, then refuses. */
  private async requireOrLog(id: string, ctx: CallContext, needed: Level, action: AccessAction, reason: string, version?: number) {
    if (atLeast(await levelOn(id, callerOf(ctx)), needed)) return;
    const refusal = noPermission(id, needed);
    await logRefusal(this.db, ctx, { credentialId: id, action, outcome: "denied", reason, detail: refusal.message, version });
    throw refusal;
  }

  private async openOrLog(
    place: { table: string; rowId: string; field: string },
    stored: StoredSecret,
    ctx: CallContext,
    entry: { credentialId: string; action: AccessAction; reason: string; version: number },
  ): Promise<string> {
    try {
      return await this.sealer.open(place, stored);
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      ctx.logger.error({ credentialId: entry.credentialId, table: place.table, code: error.code }, "a stored secret did not decrypt");
      await logRefusal(this.db, ctx, { ...entry, outcome: "failed", detail: error.message });
      throw undecryptable("secret", error);
    }
  }

  /** The access-log row and the audit event of a reveal, committed together (pipelined on MariaDB: Database.insertTogether). */
  private async commitAccess(ctx: CallContext, credentialId: string, action: AccessAction, reason: string, version: number) {
    const event = {
      resourceType: "credential",
      resourceId: credentialId,
      action: "reveal",
      summary: { access: action, reason, version },
    } as const;
    await this.db.insertTogether([
      { table: "credential_access_log", rows: [accessRow(ctx, { credentialId, action, outcome: "ok", reason, version })] },
      { table: "audit_outbox", rows: [outboxRow(ctx, event, new Date())] },
    ]);
  }
}

/** A request's id field: required, a UUID. */
export function checkId(id: string, field: string): string {
  if (id === "") throw invalidArgument(field, "is required");
  if (!isUuid(id)) throw invalidArgument(field, "must be a UUID");
  return id.toLowerCase();
}
