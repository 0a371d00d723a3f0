import { literal } from "sequelize";
import type { Principal } from "@msp/auth";
import { DomainError, invalidArgument, notFound } from "@msp/errors";
import type { MutationContext, ResourceStore } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import type { ApiKey, CreateApiKeyRequest, CreateApiKeyResponse } from "@msp/proto/src/gen/ts/msp/identity/v1/api_key";
import { generateApiKey } from "./api-key-secrets";
import { ApiKeyModel } from "./models";

/** Admins manage every key; everyone else only their own. */
export function checkKeyOwner(key: ApiKey, caller: Principal): void {
  if (caller.role !== "admin" && key.userId !== caller.userId) throw notFound("api_key", key.id);
}

/** Creates a key for the caller (admins: for anyone) and returns its secret, which is not stored. */
export async function createApiKey(
  keys: ResourceStore<ApiKey>,
  request: CreateApiKeyRequest,
  caller: Principal,
  ctx: MutationContext,
): Promise<CreateApiKeyResponse> {
  if (caller.kind === "api_key") throw new DomainError("permission_denied", "API keys cannot create API keys; log in as the user");
  const userId = request.userId || caller.userId;
  if (userId !== caller.userId && caller.role !== "admin")
    throw new DomainError("permission_denied", "only admins create keys for other users");
  if (request.name.trim() === "") throw invalidArgument("name", "is required");
  const secret = generateApiKey();
  const apiKey = await keys.create(
    {
      id: "",
      etag: "",
      prefix: "",
      userId,
      name: request.name.trim(),
      scopes: request.scopes,
      ...(request.machineId ? { machineId: request.machineId } : {}),
      ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}),
    },
    ctx,
    { prefix: secret.prefix, key_hash: secret.hash },
  );
  return { apiKey, key: secret.key };
}

/** Revokes a key at once; revoking twice keeps the first time. */
export async function revokeApiKey(keys: ResourceStore<ApiKey>, id: string, caller: Principal, ctx: MutationContext): Promise<ApiKey> {
  const key = await keys.get(id);
  checkKeyOwner(key, caller);
  if (key.revokedAt) return key;
  // Answered from inside the transaction: once it commits, nothing is left to fail.
  return keys.mutate(ctx, async ({ transaction }) => {
    const now = new Date();
    await ApiKeyModel.update(
      { revoked_at: now, updated_at: now, revision: literal("revision + 1") },
      { where: { id: key.id }, transaction },
    );
    await writeAuditEvent(transaction, ctx, { resourceType: "api_key", resourceId: key.id, action: "revoke" });
    return keys.getWithin(transaction, key.id);
  });
}
