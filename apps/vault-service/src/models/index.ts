import { AuditOutboxModel } from "@msp/resource-kit";
import { CredentialAccessModel, CredentialModel, CredentialPermissionModel, CredentialVersionModel } from "./credential.model";
import { IntegrationCredentialModel, SecurityIncidentModel } from "./incident.model";
import { EncryptionKeyModel } from "./key.model";

export {
  CredentialAccessModel,
  CredentialModel,
  CredentialPermissionModel,
  CredentialVersionModel,
  EncryptionKeyModel,
  IntegrationCredentialModel,
  SecurityIncidentModel,
};

/** The vault service's tables, and the audit outbox every mutation writes to. */
export const vaultModels = [
  EncryptionKeyModel,
  CredentialModel,
  CredentialVersionModel,
  CredentialPermissionModel,
  CredentialAccessModel,
  SecurityIncidentModel,
  IntegrationCredentialModel,
  AuditOutboxModel,
];
