import type { ResourceDefinition } from "@msp/resource-kit";
import { invalidArgument } from "@msp/errors";
import { M365TenantSchema } from "@msp/proto/src/gen/es/msp/infra/v1/m365_tenant_pb";
import { M365TenantModel } from "../models";
import { checkHostname } from "../network/ip";

/** A plain address check (local@domain): the directory is the authority, this only catches typos. */
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Microsoft 365 tenants: the tenant id is a GUID (the kit checks the form of every *_id field and
 * stores it in lower case), recorded once.
 */
export const m365TenantResource: ResourceDefinition = {
  name: "m365_tenant",
  model: M365TenantModel,
  schema: M365TenantSchema,
  required: ["client_id", "tenant_id"],
  unique: [["tenant_id"]],
  filterable: ["client_id", "tenant_id", "default_domain", "created_at"],
  orderable: ["created_at", "updated_at"],
  prepare(row) {
    if (typeof row["default_domain"] === "string")
      row["default_domain"] = checkHostname("m365_tenant.default_domain", row["default_domain"]);
    if (typeof row["admin_email"] === "string") {
      const address = row["admin_email"].trim();
      if (!email.test(address))
        throw invalidArgument("m365_tenant.admin_email", "must be an email address, such as admin@contoso.onmicrosoft.com");
      row["admin_email"] = address;
    }
  },
};
