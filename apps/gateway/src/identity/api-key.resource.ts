import { invalidArgument } from "@msp/errors";
import type { ResourceDefinition } from "@msp/resource-kit";
import { ApiKeySchema } from "@msp/proto/src/gen/es/msp/identity/v1/api_key_pb";
import { ApiKeyModel, UserModel } from "./models";

const scopePattern = /^[a-z]+:[a-z]+$/;

/** API keys: records of keys whose secrets were shown once; only name and scopes describe them. */
export const apiKeyResource: ResourceDefinition = {
  name: "api_key",
  model: ApiKeyModel,
  schema: ApiKeySchema,
  fieldOverrides: { maxLength: { scopes: 64 } },
  outputOnly: ["prefix", "last_used_at", "revoked_at"],
  required: ["name", "user_id"],
  immutable: ["user_id"],
  references: { user_id: [UserModel, "user"] },
  filterable: ["user_id", "machine_id", "name", "created_at"],
  orderable: ["name", "created_at"],
  prepare(row) {
    const scopes = row["scopes"];
    if (Array.isArray(scopes)) {
      scopes.forEach((scope, i) => {
        if (typeof scope !== "string" || !scopePattern.test(scope)) {
          throw invalidArgument(`api_key.scopes[${i}]`, "must look like family:access, such as work:write");
        }
      });
    }
    const expires = row["expires_at"];
    if (expires instanceof Date && expires <= new Date()) throw invalidArgument("api_key.expires_at", "must be in the future");
  },
};
