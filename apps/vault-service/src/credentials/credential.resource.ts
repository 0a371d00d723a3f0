import { invalidArgument } from "@msp/errors";
import type { ResourceDefinition, StoredRecord } from "@msp/resource-kit";
import { CredentialSchema } from "@msp/proto/src/gen/es/msp/vault/v1/credential_pb";
import { uuidv7 } from "@msp/db";
import type { CallContext } from "@msp/grpc-kit";
import { CredentialModel, CredentialPermissionModel } from "../models";
import { callerOf } from "./access";
import type { AccessEntry } from "./access-log";
import { logAccess } from "./access-log";

/**
 * Credentials, without their secrets: the secret columns are not in the message, so Get, List and
 * every answer leave them out; the vault writes them itself (credential-secrets.ts).
 */
export const credentialResource: ResourceDefinition = {
  name: "credential",
  model: CredentialModel,
  schema: CredentialSchema,
  fieldOverrides: { maxLength: { url: 2048, public_part: 65_536, access_notes: 65_536 } },
  outputOnly: ["rotated_at", "rotated_by", "has_secret", "secret_version", "host"],
  required: ["credential_type", "name"],
  filterable: [
    "client_id",
    "infrastructure_id",
    "service_id",
    "credential_type",
    "name",
    "username",
    "host",
    "is_active",
    "expires_at",
    "created_at",
  ],
  orderable: ["name", "created_at", "updated_at"],
  defaultOrderBy: "name",
  prepare: prepareCredential,
  async afterWrite(row, existing, hook) {
    if (existing !== undefined) return;
    // The creator administers what they created; the create is in the access log.
    const id = String(row["id"]);
    await CredentialPermissionModel.create(creatorPermission(id, hook.ctx as CallContext), { transaction: hook.transaction });
    await logAccess(hook.transaction, hook.ctx, createdEntry(id));
  },
  async afterDelete(row, hook) {
    // The access log outlives the credential: its versions and permissions go with it (cascade).
    await logAccess(hook.transaction, hook.ctx, { credentialId: String(row["id"]), action: "delete", outcome: "ok" });
  },
};

/** Normalizes and checks a credential about to be stored (create or update). */
export function prepareCredential(row: StoredRecord): void {
  if (typeof row["name"] === "string") row["name"] = row["name"].trim();
  const port = row["port"];
  if (typeof port === "number" && (port < 1 || port > 65_535)) throw invalidArgument("credential.port", "must be between 1 and 65535");
  row["host"] = hostOf(row);
}

/** The permission row that makes a credential's creator its admin. */
export function creatorPermission(credentialId: string, ctx: CallContext): Record<string, unknown> {
  const caller = callerOf(ctx);
  return {
    id: uuidv7(),
    credential_id: credentialId,
    principal: caller.userId,
    level: "admin",
    granted_by: ctx.principal,
    granted_at: new Date(),
  };
}

/** The access-log entry of a credential's create. */
export function createdEntry(credentialId: string): AccessEntry {
  return { credentialId, action: "create", outcome: "ok", version: 1 };
}

/**
 * The host a credential is used on, lower-case, from its url ("https://fw.contoso.example:4443/"
 * or a bare "dc01.contoso.local"): what memory matches a redacted secret's host against.
 */
export function hostOf(row: StoredRecord): string | null {
  const url = row["url"];
  if (typeof url !== "string" || url.trim() === "") return null;
  const text = url.trim();
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return new URL(text).hostname.replace(/^\[|\]$/g, "").toLowerCase() || null;
  } catch {
    return null;
  }
  const bare = /^(?:[^@/\s]*@)?([^:/\s]+)/.exec(text);
  return bare?.[1]?.toLowerCase().slice(0, 255) ?? null;
}
