import type { Database } from "@msp/db";
import type { ResourceStore } from "@msp/resource-kit";
import type { Asset } from "@msp/proto/src/gen/ts/msp/infra/v1/asset";
import type { AnalyzeFirewallRulesRequest, FirewallAnalysis } from "@msp/proto/src/gen/ts/msp/infra/v1/firewall_rule";
import { FindingKind } from "@msp/proto/src/gen/ts/msp/infra/v1/firewall_rule";
import type { RuleInput } from "../network/firewall-analysis";
import { analyzeFirewallRules } from "../network/firewall-analysis";

interface RuleRow {
  id: string;
  position: number;
  name: string | null;
  source_cidr: string | null;
  destination_cidr: string | null;
  port_range: string | null;
  protocol: RuleInput["protocol"];
  action: RuleInput["action"];
  is_enabled: boolean | number;
}

const kinds = {
  shadowed: FindingKind.FINDING_KIND_SHADOWED,
  redundant: FindingKind.FINDING_KIND_REDUNDANT,
  conflicting: FindingKind.FINDING_KIND_CONFLICTING,
};

/** AnalyzeFirewallRules: one asset's rules read in position order and analysed exactly. */
export async function analyzeAssetFirewall(
  db: Database,
  assets: ResourceStore<Asset>,
  request: AnalyzeFirewallRulesRequest,
): Promise<FirewallAnalysis> {
  const asset = await assets.getRow(request.infrastructureId);
  const id = String(asset["id"]);
  const rows = await db.select<RuleRow>(
    "SELECT id, position, name, source_cidr, destination_cidr, port_range, protocol, action, is_enabled FROM firewall_rules WHERE infrastructure_id = ? ORDER BY position",
    [id],
  );
  const analysis = analyzeFirewallRules(
    rows.map((row) => ({
      id: row.id,
      position: Number(row.position),
      name: row.name ?? "",
      sourceCidr: row.source_cidr,
      destinationCidr: row.destination_cidr,
      portRange: row.port_range,
      protocol: row.protocol,
      action: row.action,
      isEnabled: Boolean(row.is_enabled),
    })),
  );
  return {
    infrastructureId: id,
    rulesAnalyzed: analysis.rulesAnalyzed,
    rulesDisabled: analysis.rulesDisabled,
    findings: analysis.findings.map((finding) => ({
      ruleId: finding.ruleId,
      position: finding.position,
      name: finding.name,
      kind: kinds[finding.kind],
      relatedRuleIds: finding.relatedRuleIds,
      explanation: finding.explanation,
    })),
  };
}
