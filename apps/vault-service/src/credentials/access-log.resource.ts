import type { ResourceDefinition } from "@msp/resource-kit";
import { CredentialAccessSchema } from "@msp/proto/src/gen/es/msp/vault/v1/credential_pb";
import { CredentialAccessModel } from "../models";

/** The access log, read-only through the API (rows are written by the vault itself). */
export const credentialAccessResource: ResourceDefinition = {
  name: "credential access",
  model: CredentialAccessModel,
  schema: CredentialAccessSchema,
  filterable: ["credential_id", "action", "principal_id", "outcome", "at"],
  orderable: ["at"],
  defaultOrderBy: "at desc",
};
