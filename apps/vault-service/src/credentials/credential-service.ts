import { entropyBits, generatePassphrase, generatePassword, CryptoError, parseTotpSeed, totpWindow } from "@msp/crypto";
import type { Database } from "@msp/db";
import { isUuid, uuidv7 } from "@msp/db";
import { invalidArgument, notFound } from "@msp/errors";
import type { Handlers, RefusalHook } from "@msp/grpc-kit";
import type { PeerIds } from "@msp/service-client";
import type { ResourceStore } from "@msp/resource-kit";
import type { StoredRecord } from "@msp/resource-kit";
import { standardMethods, writeAuditEvent } from "@msp/resource-kit";
import type {
  Credential,
  CredentialAccess,
  CredentialPermission,
  GeneratePasswordRequest,
  GeneratePasswordResponse,
} from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { CredentialServiceService, CredentialType, PermissionLevel } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { CredentialPermissionModel, CredentialVersionModel } from "../models";
import { logRefusal } from "./access-log";
import type { Level } from "./access";
import { callerOf, readableBy, requireLevel } from "./access";
import type { CredentialCreates } from "./credential-creates";
import type { CredentialSecrets } from "./credential-secrets";
import { checkId } from "./credential-secrets";
import { credentialReferences, expiringCredentials, revealedSinceChange } from "./reports";
import { checkReason, checkSecret } from "./secret-rules";

export interface CredentialServiceDeps {
  db: Database;
  credentials: ResourceStore<Credential>;
  accessLog: ResourceStore<CredentialAccess>;
  secrets: CredentialSecrets;
  /** Creates, committed in batches when they arrive together. */
  creates: CredentialCreates;
  /** Checks client ids with the work service. */
  clients: PeerIds;
}

const levelNames: Record<PermissionLevel, Level | undefined> = {
  [PermissionLevel.PERMISSION_LEVEL_UNSPECIFIED]: undefined,
  [PermissionLevel.PERMISSION_LEVEL_READ]: "read",
  [PermissionLevel.PERMISSION_LEVEL_REVEAL]: "reveal",
  [PermissionLevel.PERMISSION_LEVEL_WRITE]: "write",
  [PermissionLevel.PERMISSION_LEVEL_ADMIN]: "admin",
  [PermissionLevel.UNRECOGNIZED]: undefined,
};

function levelMessage(level: string): PermissionLevel {
  const entry = Object.entries(levelNames).find(([, name]) => name === level);
  return entry ? (Number(entry[0]) as PermissionLevel) : PermissionLevel.PERMISSION_LEVEL_UNSPECIFIED;
}

function permissionMessage(row: CredentialPermissionModel): CredentialPermission {
  return {
    id: row.id,
    credentialId: row.credential_id,
    principal: row.principal,
    level: levelMessage(row.level),
    grantedBy: row.granted_by,
    grantedAt: new Date(row.granted_at),
  };
}

function usernameOf(row: StoredRecord): string {
  const username = row["username"];
  return typeof username === "string" ? username : "";
}

/** The stored credential type of a create or update ("password"), to check a TOTP seed. */
function storedType(credential: Credential | undefined): string | undefined {
  const type = credential?.credentialType;
  if (type === undefined) return undefined;
  return CredentialType[type]?.replace(/^CREDENTIAL_TYPE_/, "").toLowerCase();
}

/** The handlers of CredentialService: the resource kit's methods behind per-credential permissions, and the vault's own. */
export function credentialHandlers(deps: CredentialServiceDeps): Handlers<typeof CredentialServiceService> {
  const { db, credentials, accessLog, secrets, creates, clients } = deps;
  const standard = standardMethods(CredentialServiceService, credentials, { singular: "Credential", plural: "Credentials" });
  return {
    getCredential: async (request, ctx) => {
      const id = checkId(request.id, "id");
      await credentials.getRow(id);
      await requireLevel(id, callerOf(ctx), "read");
      return credentials.get(id);
    },
    listCredentials: async (request, ctx) => {
      const page = await credentials.list(request, readableBy(db, callerOf(ctx)));
      return { credentials: page.items, nextPageToken: page.nextPageToken };
    },
    createCredential: async (request, ctx) => {
      callerOf(ctx);
      const secret = checkSecret("secret", request.secret, storedType(request.credential));
      if (request.credential?.clientId) await clients.require(ctx, request.credential.clientId, "credential.client_id");
      // A call with an idempotency key keeps its answer in its own transaction: it is not batched.
      if (ctx.keepAnswer) return credentials.create(request.credential, ctx, secrets.firstSecret(secret), { keepAnswer: ctx.keepAnswer });
      return creates.create(request.credential, secret, ctx);
    },
    updateCredential: async (request, ctx) => {
      const id = checkId(request.credential?.id ?? "", "credential.id");
      const row = await credentials.getRow(id);
      await requireLevel(id, callerOf(ctx), "write");
      if (request.credential?.clientId) await clients.require(ctx, request.credential.clientId, "credential.client_id");
      const secret =
        request.secret === undefined
          ? undefined
          : checkSecret("secret", request.secret, storedType(request.credential) ?? String(row["credential_type"]));
      return credentials.update(request.credential, request.updateMask, ctx, secrets.change(secret), { keepAnswer: ctx.keepAnswer });
    },
    deleteCredential: async (request, ctx) => {
      const id = checkId(request.id, "id");
      await credentials.getRow(id);
      await requireLevel(id, callerOf(ctx), "admin");
      return standard.deleteCredential(request, ctx);
    },
    revealCredential: async (request, ctx) => {
      const reason = checkReason(request.reason);
      const revealed = await secrets.reveal(request.id, reason, ctx);
      return {
        id: String(revealed.row["id"]),
        secret: revealed.secret,
        version: revealed.version,
        username: usernameOf(revealed.row),
      };
    },
    rotateCredentialSecret: async (request, ctx) => {
      const id = checkId(request.id, "id");
      const row = await credentials.getRow(id);
      await requireLevel(id, callerOf(ctx), "write");
      const secret = checkSecret("secret", request.secret, String(row["credential_type"]));
      const reason = request.reason.trim() === "" ? undefined : request.reason.trim().slice(0, 500);
      return credentials.update({ id } as Credential, [], ctx, secrets.change(secret, reason), { keepAnswer: ctx.keepAnswer });
    },
    getTotpCode: async (request, ctx) => {
      const id = checkId(request.id, "id");
      const row = await credentials.getRow(id);
      if (row["credential_type"] !== "totp_seed") {
        // Whether it is a TOTP seed is only told to those who may reveal it.
        await requireLevel(id, callerOf(ctx), "reveal");
        throw invalidArgument("id", "is not a totp_seed credential");
      }
      const reason = request.reason.trim() === "" ? "TOTP code" : checkReason(request.reason);
      const revealed = await secrets.reveal(id, reason, ctx, "totp");
      try {
        const seed = parseTotpSeed(revealed.secret);
        const window = totpWindow(seed.secret, Date.now(), seed);
        return { code: window.code, validUntil: new Date(window.validUntilMs), periodSeconds: seed.periodSeconds };
      } catch (error) {
        if (error instanceof CryptoError) throw invalidArgument("id", "the stored seed is not a valid TOTP seed; rotate it");
        throw error;
      }
    },
    listCredentialVersions: async (request, ctx) => {
      const id = checkId(request.credentialId, "credential_id");
      await credentials.getRow(id);
      await requireLevel(id, callerOf(ctx), "admin");
      const rows = await CredentialVersionModel.findAll({
        where: { credential_id: id },
        attributes: ["id", "credential_id", "version", "replaced_at", "replaced_by"],
        order: [["version", "DESC"]],
        raw: true,
      });
      return {
        versions: rows.map((row) => ({
          id: row.id,
          credentialId: row.credential_id,
          version: row.version,
          replacedAt: new Date(row.replaced_at),
          replacedBy: row.replaced_by,
        })),
      };
    },
    revealCredentialVersion: async (request, ctx) => {
      const reason = checkReason(request.reason);
      if (request.version < 1) throw invalidArgument("version", "must be 1 or more");
      const revealed = await secrets.revealVersion(request.credentialId, request.version, reason, ctx);
      return {
        id: String(revealed.row["id"]),
        secret: revealed.secret,
        version: revealed.version,
        username: usernameOf(revealed.row),
      };
    },
    listCredentialPermissions: async (request, ctx) => {
      const id = checkId(request.credentialId, "credential_id");
      await credentials.getRow(id);
      await requireLevel(id, callerOf(ctx), "admin");
      const rows = await CredentialPermissionModel.findAll({ where: { credential_id: id }, order: [["granted_at", "ASC"]] });
      return { permissions: rows.map(permissionMessage) };
    },
    grantCredentialPermission: async (request, ctx) => {
      const id = checkId(request.credentialId, "credential_id");
      const principal = request.principal.trim().toLowerCase();
      if (!isUuid(principal)) throw invalidArgument("principal", "must be a user id or an API key id (a UUID)");
      const level = levelNames[request.level];
      if (level === undefined) throw invalidArgument("level", "is required: read, reveal, write or admin");
      await credentials.getRow(id);
      await requireLevel(id, callerOf(ctx), "admin");
      return credentials.mutate(ctx, async ({ transaction }) => {
        const existing = await CredentialPermissionModel.findOne({ where: { credential_id: id, principal }, transaction });
        const values = { level, granted_by: ctx.principal, granted_at: new Date() };
        const row = existing
          ? await existing.update(values, { transaction })
          : await CredentialPermissionModel.create({ id: uuidv7(), credential_id: id, principal, ...values }, { transaction });
        await writeAuditEvent(transaction, ctx, {
          resourceType: "credential_permission",
          resourceId: id,
          action: existing ? "update" : "create",
          summary: { principal, level },
        });
        return permissionMessage(row);
      });
    },
    revokeCredentialPermission: async (request, ctx) => {
      const id = checkId(request.credentialId, "credential_id");
      const principal = request.principal.trim().toLowerCase();
      await credentials.getRow(id);
      await requireLevel(id, callerOf(ctx), "admin");
      await credentials.mutate(ctx, async ({ transaction }) => {
        const count = await CredentialPermissionModel.destroy({ where: { credential_id: id, principal }, transaction });
        if (count === 0) throw notFound("credential permission", `${id}/${principal}`);
        await writeAuditEvent(transaction, ctx, {
          resourceType: "credential_permission",
          resourceId: id,
          action: "delete",
          summary: { principal },
        });
      });
      return {};
    },
    listCredentialAccessLog: async (request, ctx) => {
      const restrict = readableBy(db, callerOf(ctx), "credential_id", "admin");
      const page = await accessLog.list({ ...request, orderBy: "" }, restrict);
      return { entries: page.items, nextPageToken: page.nextPageToken };
    },
    listExpiringCredentials: async (request, ctx) => ({ credentials: await expiringCredentials(db, credentials, request, callerOf(ctx)) }),
    listRevealedSinceChange: async (request) => ({ reveals: await revealedSinceChange(db, request) }),
    generatePassword: (request) => {
      try {
        return Promise.resolve(generated(request));
      } catch (error) {
        if (error instanceof CryptoError) throw invalidArgument(request.words !== 0 ? "words" : "length", error.message);
        throw error;
      }
    },
    findCredentialReferences: async (request, ctx) => ({ references: await credentialReferences(db, request, callerOf(ctx)) }),
  };
}

/** A password or passphrase as GeneratePassword asks for it. */
function generated(request: GeneratePasswordRequest): GeneratePasswordResponse {
  if (request.words !== 0) {
    const options = { words: request.words, ...(request.separator === undefined ? {} : { separator: request.separator }) };
    return { password: generatePassphrase(options), entropyBits: entropyBits({ kind: "passphrase", ...options }) };
  }
  const options = {
    length: request.length === 0 ? 24 : request.length,
    lower: !request.noLower,
    upper: !request.noUpper,
    digits: !request.noDigits,
    symbols: !request.noSymbols,
    excludeAmbiguous: request.excludeAmbiguous,
  };
  return { password: generatePassword(options), entropyBits: entropyBits({ kind: "password", ...options }) };
}

/** The methods whose refusals the vault logs: those that hand out (or derive from) a secret. */
const secretMethods: Record<string, "reveal" | "totp"> = {
  revealCredential: "reveal",
  revealCredentialVersion: "reveal",
  getTotpCode: "totp",
};

/**
 * A caller refused by the method's policy (no vault:reveal scope, a readonly user...) is logged as
 * denied in the access log and the audit log, like a caller without permission on the credential.
 */
export function logRefusedReveals(db: Database): RefusalHook {
  return async (methodName, request, ctx, refusal) => {
    const action = secretMethods[methodName];
    if (action === undefined) return;
    const fields = request as { id?: string; credentialId?: string; reason?: string };
    const id = (fields.id ?? fields.credentialId ?? "").toLowerCase();
    if (!isUuid(id)) return;
    await logRefusal(db, ctx, {
      credentialId: id,
      action,
      outcome: "denied",
      reason: fields.reason?.trim().slice(0, 500) || undefined,
      detail: refusal instanceof Error ? refusal.message : "refused",
    });
  };
}
