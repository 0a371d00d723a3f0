import { CryptoError } from "@msp/crypto";
import type { Database } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import type { CallContext, Handlers } from "@msp/grpc-kit";
import type { InternalColumns, ResourceStore, StoredRecord } from "@msp/resource-kit";
import { standardMethods, writeAuditEvent } from "@msp/resource-kit";
import type { IntegrationCredential, IntegrationSecrets } from "@msp/proto/src/gen/ts/msp/vault/v1/integration_credential";
import { ConnectionTestStatus, IntegrationCredentialServiceService } from "@msp/proto/src/gen/ts/msp/vault/v1/integration_credential";
import type { Sealer } from "../keys/sealer";
import { storedSecretOf, undecryptable } from "../keys/sealer";
import { checkReason, checkSecret } from "../credentials/secret-rules";

const table = "integration_credentials";
/** The secret columns, and their names in IntegrationSecrets. */
const secretFields = { secret: "secret", refresh_token: "refreshToken", webhook_secret: "webhookSecret" } as const;
type SecretField = keyof typeof secretFields;

/** Every secret of a row, decrypted (null where none is stored). */
async function openAll(sealer: Sealer, row: StoredRecord): Promise<Record<SecretField, string | null>> {
  const out = { secret: null, refresh_token: null, webhook_secret: null } as Record<SecretField, string | null>;
  for (const field of Object.keys(secretFields) as SecretField[]) {
    const stored = storedSecretOf(row, field);
    if (!stored) continue;
    try {
      out[field] = await sealer.open({ table, rowId: String(row["id"]), field }, stored);
    } catch (error) {
      if (error instanceof CryptoError) throw undecryptable(`integration ${field}`, error);
      throw error;
    }
  }
  return out;
}

/**
 * The columns of a create or update: the secrets given replace those stored (an empty refresh
 * token or webhook secret clears it), and every secret of the row is sealed again under one key.
 */
function sealedSecrets(sealer: Sealer, given: IntegrationSecrets | undefined, creating: boolean): InternalColumns {
  const values: Partial<Record<SecretField, string | null>> = {};
  for (const [field, name] of Object.entries(secretFields) as [SecretField, keyof IntegrationSecrets][]) {
    const value = given?.[name];
    if (value === undefined) continue;
    if (value === "" && field !== "secret") values[field] = null;
    else values[field] = checkSecret(`secrets.${name}`, value);
  }
  if (creating && values.secret === undefined) throw invalidArgument("secrets.secret", "is required");
  return async (id, existing) => {
    if (Object.keys(values).length === 0) return {};
    const current = existing ? await openAll(sealer, existing) : { secret: null, refresh_token: null, webhook_secret: null };
    const next = { ...current, ...values };
    return {
      ...(await sealer.sealFields(table, id, next)),
      has_secret: next.secret !== null,
      has_refresh_token: next.refresh_token !== null,
      has_webhook_secret: next.webhook_secret !== null,
    };
  };
}

/** IntegrationCredentialService: admins only (its policy), secrets sealed like credentials, reveals audited first. */
export function integrationHandlers(
  db: Database,
  store: ResourceStore<IntegrationCredential>,
  sealer: Sealer,
): Handlers<typeof IntegrationCredentialServiceService> {
  const standard = standardMethods(IntegrationCredentialServiceService, store, {
    singular: "IntegrationCredential",
    plural: "IntegrationCredentials",
  });
  return {
    ...standard,
    createIntegrationCredential: (request, ctx) =>
      store.create(request.integrationCredential, ctx, sealedSecrets(sealer, request.secrets, true)),
    updateIntegrationCredential: (request, ctx) =>
      store.update(request.integrationCredential, request.updateMask, ctx, sealedSecrets(sealer, request.secrets, false)),
    revealIntegrationCredential: async (request, ctx) => {
      const reason = checkReason(request.reason);
      const row = await store.getRow(request.id);
      const secrets = await openAll(sealer, row).catch(async (error: unknown) => {
        ctx.logger.error({ integrationCredentialId: row["id"] }, "a stored integration secret did not decrypt");
        await audit(db, ctx, String(row["id"]), "failed", reason);
        throw error;
      });
      await audit(db, ctx, String(row["id"]), "ok", reason);
      return {
        id: String(row["id"]),
        secrets: {
          ...(secrets.secret === null ? {} : { secret: secrets.secret }),
          ...(secrets.refresh_token === null ? {} : { refreshToken: secrets.refresh_token }),
          ...(secrets.webhook_secret === null ? {} : { webhookSecret: secrets.webhook_secret }),
        },
      };
    },
    recordConnectionTest: (request, ctx) => {
      const status = {
        [ConnectionTestStatus.CONNECTION_TEST_STATUS_OK]: "ok",
        [ConnectionTestStatus.CONNECTION_TEST_STATUS_FAILED]: "failed",
      }[request.status as number];
      if (status === undefined) throw invalidArgument("status", "is required: CONNECTION_TEST_STATUS_OK or CONNECTION_TEST_STATUS_FAILED");
      const tested = { last_tested_at: new Date(), last_test_status: status };
      return store.update({ id: request.id } as IntegrationCredential, [], ctx, () => Promise.resolve(tested));
    },
  };
}

/** The audit event of a reveal, committed before the secrets are sent. */
async function audit(db: Database, ctx: CallContext, id: string, outcome: "ok" | "failed", reason: string): Promise<void> {
  await db.transaction((transaction) =>
    writeAuditEvent(transaction, ctx, {
      resourceType: "integration_credential",
      resourceId: id,
      action: "reveal",
      outcome,
      summary: { reason },
    }),
  );
}
