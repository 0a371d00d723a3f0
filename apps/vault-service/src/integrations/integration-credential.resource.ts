import type { ResourceDefinition } from "@msp/resource-kit";
import { IntegrationCredentialSchema } from "@msp/proto/src/gen/es/msp/vault/v1/integration_credential_pb";
import { IntegrationCredentialModel } from "../models";

/** The platform's own integration secrets, without them: the vault writes the secret columns itself. */
export const integrationCredentialResource: ResourceDefinition = {
  name: "integration credential",
  model: IntegrationCredentialModel,
  schema: IntegrationCredentialSchema,
  fieldOverrides: { maxLength: { api_base_url: 2048, webhook_url: 2048 } },
  outputOnly: ["last_tested_at", "last_test_status", "has_secret", "has_refresh_token", "has_webhook_secret"],
  required: ["integration", "credential_type"],
  filterable: ["integration", "credential_type", "is_active", "expires_at", "created_at"],
  orderable: ["created_at", "updated_at"],
};
