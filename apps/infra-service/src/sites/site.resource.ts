import type { ResourceDefinition } from "@msp/resource-kit";
import { invalidArgument } from "@msp/errors";
import { SiteSchema } from "@msp/proto/src/gen/es/msp/infra/v1/site_pb";
import { SiteModel } from "../models";
import { checkCidr, gatewayProblem } from "../network/cidr";
import { checkIp } from "../network/ip";
import { textList } from "../text-list";

/**
 * Sites of a client. Subnets are CIDRs stored canonically (host bits refused); the gateway lies
 * inside the site's subnet; DNS servers are addresses.
 */
export const siteResource: ResourceDefinition = {
  name: "site",
  model: SiteModel,
  schema: SiteSchema,
  required: ["client_id", "name"],
  immutable: ["client_id"],
  unique: [["client_id", "name"]],
  filterable: ["client_id", "name", "vpn_required", "created_at"],
  orderable: ["name", "created_at", "updated_at"],
  defaultOrderBy: "name",
  prepare(row) {
    row["vpn_required"] ??= false;
    if (typeof row["name"] === "string") row["name"] = row["name"].trim();
    const subnet = typeof row["network_subnet"] === "string" ? checkCidr("site.network_subnet", row["network_subnet"]) : undefined;
    if (subnet) row["network_subnet"] = subnet.text;
    if (typeof row["vpn_subnet"] === "string") row["vpn_subnet"] = checkCidr("site.vpn_subnet", row["vpn_subnet"]).text;
    if (typeof row["gateway_ip"] === "string") {
      const gateway = checkIp("site.gateway_ip", row["gateway_ip"]);
      row["gateway_ip"] = gateway.text;
      const problem = subnet ? gatewayProblem(subnet, gateway) : undefined;
      if (problem) throw invalidArgument("site.gateway_ip", problem);
    }
    const servers = textList(row["dns_servers"]);
    if (servers) row["dns_servers"] = servers.map((server, i) => checkIp(`site.dns_servers[${i}]`, server).text);
  },
};
