import type { ResourceDefinition, StoredRecord } from "@msp/resource-kit";
import type { HookContext } from "@msp/resource-kit";
import { invalidArgument } from "@msp/errors";
import { FirewallRuleSchema } from "@msp/proto/src/gen/es/msp/infra/v1/firewall_rule_pb";
import { AssetModel, FirewallRuleModel } from "../models";
import { checkAddressOrCidr } from "../network/cidr";
import { checkRuleFamilies } from "../network/firewall-analysis";
import { parsePortRange } from "../network/ports";

/** New rules without a position go this far after the last one, leaving room to insert between. */
const positionStep = 10;

/**
 * Firewall rules. Source and destination are CIDRs (a plain address is a /32 or /128; empty or
 * "any" is anywhere) of one IP version; ports are for TCP and UDP only; positions are unique on
 * the asset and default to after the last rule.
 */
export const firewallRuleResource: ResourceDefinition = {
  name: "firewall_rule",
  model: FirewallRuleModel,
  schema: FirewallRuleSchema,
  required: ["infrastructure_id", "action"],
  immutable: ["infrastructure_id"],
  unique: [["infrastructure_id", "position"]],
  references: { infrastructure_id: [AssetModel, "asset"] },
  fieldOverrides: { maxLength: { port_range: 1024 } },
  filterable: ["infrastructure_id", "action", "protocol", "is_enabled", "position", "created_at"],
  orderable: ["position", "created_at", "updated_at"],
  defaultOrderBy: "position",
  async prepare(row, _existing, hook) {
    row["protocol"] ??= "any";
    row["is_enabled"] ??= true;
    settleAddresses(row);
    const ports = parsePortRange("firewall_rule.port_range", typeof row["port_range"] === "string" ? row["port_range"] : null);
    if (ports.text !== null && row["protocol"] !== "tcp" && row["protocol"] !== "udp") {
      throw invalidArgument(
        "firewall_rule.port_range",
        `applies only to tcp and udp rules (this rule's protocol is ${String(row["protocol"])})`,
      );
    }
    row["port_range"] = ports.text;
    if (row["position"] === undefined || row["position"] === null) row["position"] = await nextPosition(row["infrastructure_id"], hook);
    else if (typeof row["position"] === "number" && row["position"] < 0)
      throw invalidArgument("firewall_rule.position", "must be 0 or more");
  },
};

/** Canonical source and destination (null for anywhere), of one IP version when both are given. */
function settleAddresses(row: StoredRecord): void {
  const source = checkAddressOrCidr("firewall_rule.source_cidr", typeof row["source_cidr"] === "string" ? row["source_cidr"] : "");
  const destination = checkAddressOrCidr(
    "firewall_rule.destination_cidr",
    typeof row["destination_cidr"] === "string" ? row["destination_cidr"] : "",
  );
  checkRuleFamilies("firewall_rule.source_cidr", source, "firewall_rule.destination_cidr", destination);
  row["source_cidr"] = source === "any" ? null : source.text;
  row["destination_cidr"] = destination === "any" ? null : destination.text;
}

async function nextPosition(infrastructureId: unknown, { transaction }: HookContext): Promise<number> {
  if (typeof infrastructureId !== "string") return positionStep;
  const last: unknown = await FirewallRuleModel.max("position", { where: { infrastructure_id: infrastructureId }, transaction });
  return (typeof last === "number" ? last : Number(last ?? 0)) + positionStep;
}
