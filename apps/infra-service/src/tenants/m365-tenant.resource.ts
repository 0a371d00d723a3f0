import type { ResourceDefinition } from "@msp/resource-kit";
import { invalidArgument } from "@msp/errors";
import { M365TenantSchema } from "@msp/proto/src/gen/es/msp/infra/v1/m365_tenant_pb";
import { M365TenantModel } from "../models";
import { checkHostname } from "../network/ip";

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A plain address check (local@domain): the directory is the authority, this only catches typos. */
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Microsoft 365 tenants: the tenant id is a GUID (braces accepted), stored in lower case, recorded once. */
export const m365TenantResource: ResourceDefinition = {
  name: "m365 tenant",
  model: M365TenantModel,
  schema: M365TenantSchema,
  required: ["client_id", "tenant_id"],
  unique: [["tenant_id"]],
  filterable: ["client_id", "tenant_id", "default_domain", "created_at"],
  orderable: ["created_at", "updated_at"],
  prepare(row) {
    if (typeof row["tenant_id"] === "string") {
      const id = row["tenant_id"].trim().replace(/^\{(.*)\}$/, "$1").toLowerCase();
      if (!guid.test(id)) throw invalidArgument("m365_tenant.tenant_id", "must be a GUID, such as 72f988bf-86f1-41af-91ab-2d7cd011db47");
      row["tenant_id"] = id;
    }
    if (typeof row["default_domain"] === "string") row["default_domain"] = checkHostname("m365_tenant.default_domain", row["default_domain"]);
    if (typeof row["admin_email"] === "string") {
      const address = row["admin_email"].trim();
      if (!email.test(address)) throw invalidArgument("m365_tenant.admin_email", "must be an email address, such as admin@contoso.onmicrosoft.com");
      row["admin_email"] = address;
    }
  },
};
