import { Op } from "sequelize";
import type { ResourceDefinition, StoredRecord } from "@msp/resource-kit";
import type { HookContext } from "@msp/resource-kit";
import { invalidArgument } from "@msp/errors";
import { NetworkSchema } from "@msp/proto/src/gen/es/msp/infra/v1/network_pb";
import { NetworkModel, SiteModel } from "../models";
import { checkCidr, gatewayProblem } from "../network/cidr";
import { checkIp } from "../network/ip";
import { requireSameClient } from "../same-client";
import { storedRange } from "./network-range";

/**
 * Networks. The CIDR is stored canonically (host bits refused, naming the network meant), with its
 * range for overlap queries; the gateway lies inside it; VLAN ids run from 1 to 4094; the site is
 * the client's; and a CIDR overlapping another network of the same site is refused unless this
 * network says overlap_allowed.
 */
export const networkResource: ResourceDefinition = {
  name: "network",
  model: NetworkModel,
  schema: NetworkSchema,
  required: ["client_id", "name", "cidr"],
  immutable: ["client_id"],
  filterable: ["client_id", "site_id", "name", "network_type", "cidr", "vlan_id", "created_at"],
  orderable: ["name", "cidr", "created_at", "updated_at"],
  defaultOrderBy: "name",
  async prepare(row, existing, hook) {
    row["network_type"] ??= "lan";
    row["overlap_allowed"] ??= false;
    if (typeof row["name"] === "string") row["name"] = row["name"].trim();
    const vlan = row["vlan_id"];
    if (typeof vlan === "number" && (vlan < 1 || vlan > 4094)) throw invalidArgument("network.vlan_id", "must be a VLAN id from 1 to 4094");
    if (typeof row["cidr"] !== "string") return;
    const cidr = checkCidr("network.cidr", row["cidr"]);
    row["cidr"] = cidr.text;
    Object.assign(row, storedRange(cidr));
    if (typeof row["gateway_ip"] === "string") {
      const gateway = checkIp("network.gateway_ip", row["gateway_ip"]);
      row["gateway_ip"] = gateway.text;
      const problem = gatewayProblem(cidr, gateway);
      if (problem) throw invalidArgument("network.gateway_ip", problem);
    }
    await requireSameClient(SiteModel, "site", "network.site_id", row["site_id"], row["client_id"], hook.transaction);
    await refuseOverlapInSite(row, existing, hook);
  },
};

/** Another network of the same site sharing addresses with this one, unless this one allows it. */
async function refuseOverlapInSite(row: StoredRecord, existing: StoredRecord | undefined, { transaction }: HookContext): Promise<void> {
  if (row["overlap_allowed"] === true || row["site_id"] === null || row["site_id"] === undefined) return;
  const other = (await NetworkModel.findOne({
    where: {
      site_id: row["site_id"],
      range_start: { [Op.lte]: row["range_end"] },
      range_end: { [Op.gte]: row["range_start"] },
      ...(existing ? { id: { [Op.ne]: existing["id"] } } : {}),
    },
    attributes: ["name", "cidr"],
    order: [["range_start", "ASC"]],
    raw: true,
    transaction,
  })) as { name: string; cidr: string } | null;
  if (other) {
    throw invalidArgument(
      "network.cidr",
      `${String(row["cidr"])} overlaps the network ${other.name} (${other.cidr}) of the same site; set overlap_allowed to record it on purpose`,
    );
  }
}
