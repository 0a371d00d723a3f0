import { invalidArgument } from "@msp/errors";
import type { ResourceDefinition, StoredRecord } from "@msp/resource-kit";
import { redactSecrets } from "@msp/resource-kit";
import { ExternalIntegrationSchema } from "@msp/proto/src/gen/es/msp/work/v1/external_integration_pb";
import { ExternalIntegrationModel } from "./models";
import { checkHttpUrl } from "./url-rules";
import { settleDetailOwners } from "./work-detail-rules";

/** request_data and response_data, each as stored JSON. */
const maxBodyBytes = 64 * 1024;

const integrationTypePattern = /^[a-z0-9_]{1,64}$/;

/**
 * External integrations (collection `externalIntegrations`): a log of calls to and from outside
 * systems. Secrets in the bodies are redacted before they are stored; the record outlives its
 * session and work item (the call happened).
 */
export const externalIntegrationResource: ResourceDefinition = {
  name: "external_integration",
  model: ExternalIntegrationModel,
  schema: ExternalIntegrationSchema,
  fieldOverrides: { maxLength: { integration_type: 64, external_url: 1024 } },
  required: ["integration_type", "action"],
  filterable: ["session_id", "work_item_id", "integration_type", "external_id", "action", "direction", "created_at"],
  orderable: ["created_at", "updated_at"],
  async prepare(row, existing, { transaction }) {
    await settleDetailOwners("external_integration", row, existing, transaction);
    const type = row["integration_type"];
    if (typeof type === "string") {
      row["integration_type"] = type.trim().toLowerCase();
      if (!integrationTypePattern.test(row["integration_type"] as string)) {
        throw invalidArgument(
          "external_integration.integration_type",
          "must be lower-case letters, digits and underscores, such as msp_backups",
        );
      }
    }
    if (typeof row["external_url"] === "string") checkHttpUrl("external_integration.external_url", row["external_url"]);
    if (!row["direction"]) row["direction"] = "outbound";
    for (const field of ["request_data", "response_data"]) redactBody(row, field);
  },
};

/** Replaces secrets in a JSON body and refuses one too large to keep. */
function redactBody(row: StoredRecord, field: string): void {
  const value = row[field];
  if (value === null || value === undefined) return;
  const redacted = redactSecrets(value);
  if (Buffer.byteLength(JSON.stringify(redacted)) > maxBodyBytes) {
    throw invalidArgument(`external_integration.${field}`, `must be at most ${maxBodyBytes / 1024} KiB as JSON`);
  }
  row[field] = redacted;
}
