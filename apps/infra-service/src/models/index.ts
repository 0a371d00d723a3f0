import { AuditOutboxModel } from "@msp/resource-kit";
import { AssetModel, AssetTagModel } from "./asset.model";
import { FirewallRuleModel, NetworkModel } from "./network.model";
import { ServiceModel, ServiceRelationshipModel } from "./service.model";
import { SiteModel } from "./site.model";
import { InfrastructureChangeModel, M365TenantModel } from "./tenant.model";

export {
  AssetModel,
  AssetTagModel,
  FirewallRuleModel,
  InfrastructureChangeModel,
  M365TenantModel,
  NetworkModel,
  ServiceModel,
  ServiceRelationshipModel,
  SiteModel,
};

/** The infrastructure service's tables, and the audit outbox every mutation writes to. */
export const infraModels = [
  SiteModel,
  AssetModel,
  AssetTagModel,
  ServiceModel,
  ServiceRelationshipModel,
  NetworkModel,
  FirewallRuleModel,
  M365TenantModel,
  InfrastructureChangeModel,
  AuditOutboxModel,
];
