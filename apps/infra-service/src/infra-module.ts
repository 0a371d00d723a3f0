import { isUuid } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import type { Handlers } from "@msp/grpc-kit";
import { createResourceStore, standardMethods } from "@msp/resource-kit";
import type { CallerContext } from "@msp/service-client";
import type { ServiceModule } from "@msp/service-runtime";
import { noSettings } from "@msp/service-runtime";
import type { Asset } from "@msp/proto/src/gen/ts/msp/infra/v1/asset";
import { AssetServiceService } from "@msp/proto/src/gen/ts/msp/infra/v1/asset";
import { FirewallRuleServiceService } from "@msp/proto/src/gen/ts/msp/infra/v1/firewall_rule";
import type { InfrastructureChange } from "@msp/proto/src/gen/ts/msp/infra/v1/infrastructure_change";
import { InfrastructureChangeServiceService } from "@msp/proto/src/gen/ts/msp/infra/v1/infrastructure_change";
import { InfrastructureImportServiceService } from "@msp/proto/src/gen/ts/msp/infra/v1/import";
import { M365TenantServiceService } from "@msp/proto/src/gen/ts/msp/infra/v1/m365_tenant";
import type { Network } from "@msp/proto/src/gen/ts/msp/infra/v1/network";
import { NetworkServiceService } from "@msp/proto/src/gen/ts/msp/infra/v1/network";
import type { Service } from "@msp/proto/src/gen/ts/msp/infra/v1/service";
import { ServiceCatalogServiceService, ServiceRelationshipServiceService } from "@msp/proto/src/gen/ts/msp/infra/v1/service";
import { SiteServiceService } from "@msp/proto/src/gen/ts/msp/infra/v1/site";
import { assetImpact } from "./assets/asset-impact";
import { assetPage } from "./assets/asset-page";
import { assetResource } from "./assets/asset.resource";
import { addAssetTag, removeAssetTag } from "./assets/asset-tags";
import { hostFacts } from "./assets/host-facts";
import { createOpenIncidents } from "./assets/open-incidents";
import { changeHandlers } from "./changes/change-service";
import { importInfrastructure } from "./import/infrastructure-import";
import { infrastructureChangeResource } from "./changes/infrastructure-change.resource";
import { analyzeAssetFirewall } from "./firewall/firewall-analysis-handler";
import { firewallRuleResource } from "./firewall/firewall-rule.resource";
import { infraModels } from "./models";
import { networkOverlaps } from "./networks/network-overlaps";
import { networkResource } from "./networks/network.resource";
import { ServiceGraphStore } from "./services/service-graph-store";
import { serviceWalk } from "./services/service-impact";
import { serviceRelationshipResource, serviceResource } from "./services/service.resource";
import { siteResource } from "./sites/site.resource";
import { m365TenantResource } from "./tenants/m365-tenant.resource";
import { createWorkPeers } from "./work-peers";

/**
 * The infrastructure service: sites, assets and their tags, services and their relationships,
 * networks, firewall rules, M365 tenants and infrastructure changes; and the questions asked of
 * them: impact and dependencies, overlaps, firewall analysis, an asset's page, the hosts a prompt
 * names. Client, session, work item and tag ids are the work service's, checked through it.
 */
export const infraModule: ServiceModule<Record<string, never>> = {
  name: "infra-service",
  models: infraModels,
  config: noSettings,
  // Ids checked (and tags made) in the work service; open incidents read from the vault.
  peerScopes: ["work:read", "work:write", "vault:read"],
  setUp(host, { db, peers, logger }) {
    const work = createWorkPeers(peers);
    const assets = createResourceStore<Asset>(db, assetResource);
    const services = createResourceStore<Service>(db, serviceResource);
    const networks = createResourceStore<Network>(db, networkResource);
    const changes = createResourceStore<InfrastructureChange>(db, infrastructureChangeResource);
    const graph = new ServiceGraphStore(db);
    const openIncidents = createOpenIncidents(peers);
    // client_id cannot change after a create, so only creates ask the work service.
    const requireClient = async (ctx: CallerContext, clientId: string | undefined, field: string) => {
      if (!clientId) return;
      if (!isUuid(clientId)) throw invalidArgument(field, "must be a UUID");
      await work.clients.require(ctx, clientId, field);
    };

    const standardAssets = standardMethods(AssetServiceService, assets, { singular: "Asset", plural: "Assets" });
    const assetHandlers: Handlers<typeof AssetServiceService> = {
      ...standardAssets,
      createAsset: async (request, ctx) => {
        await requireClient(ctx, request.asset?.clientId, "asset.client_id");
        return standardAssets.createAsset(request, ctx);
      },
      addAssetTag: (request, ctx) => addAssetTag(assets, work, request, ctx),
      removeAssetTag: (request, ctx) => removeAssetTag(assets, request, ctx),
      getAssetPage: (request, ctx) => assetPage({ db, assets, services, networks, changes, openIncidents, logger }, ctx, request),
      getAssetImpact: (request) => assetImpact(db, assets, graph, request),
      matchHosts: async (request) => ({ hosts: await hostFacts(db, { assets, changes }, graph, request) }),
    };
    host.serve(AssetServiceService, assetHandlers);
    const standardSites = standardMethods(SiteServiceService, createResourceStore(db, siteResource), { singular: "Site", plural: "Sites" });
    host.serve(SiteServiceService, {
      ...standardSites,
      createSite: async (request, ctx) => {
        await requireClient(ctx, request.site?.clientId, "site.client_id");
        return standardSites.createSite(request, ctx);
      },
    });
    host.serve(ServiceCatalogServiceService, {
      ...standardMethods(ServiceCatalogServiceService, services, { singular: "Service", plural: "Services" }),
      getServiceImpact: (request) => serviceWalk(services, graph, request, "dependents"),
      getServiceDependencies: (request) => serviceWalk(services, graph, request, "dependencies"),
    });
    host.serve(
      ServiceRelationshipServiceService,
      standardMethods(ServiceRelationshipServiceService, createResourceStore(db, serviceRelationshipResource), {
        singular: "ServiceRelationship",
        plural: "ServiceRelationships",
      }),
    );
    const standardNetworks = standardMethods(NetworkServiceService, networks, { singular: "Network", plural: "Networks" });
    host.serve(NetworkServiceService, {
      ...standardNetworks,
      createNetwork: async (request, ctx) => {
        await requireClient(ctx, request.network?.clientId, "network.client_id");
        return standardNetworks.createNetwork(request, ctx);
      },
      listNetworkOverlaps: (request) => networkOverlaps(db, request),
    });
    host.serve(FirewallRuleServiceService, {
      ...standardMethods(FirewallRuleServiceService, createResourceStore(db, firewallRuleResource), {
        singular: "FirewallRule",
        plural: "FirewallRules",
      }),
      analyzeFirewallRules: (request) => analyzeAssetFirewall(db, assets, request),
    });
    const standardTenants = standardMethods(M365TenantServiceService, createResourceStore(db, m365TenantResource), {
      singular: "M365Tenant",
      plural: "M365Tenants",
    });
    host.serve(M365TenantServiceService, {
      ...standardTenants,
      createM365Tenant: async (request, ctx) => {
        await requireClient(ctx, request.m365Tenant?.clientId, "m365_tenant.client_id");
        return standardTenants.createM365Tenant(request, ctx);
      },
    });
    host.serve(InfrastructureChangeServiceService, changeHandlers(changes, work));
    host.serve(InfrastructureImportServiceService, {
      importInfrastructure: async (request, ctx) => {
        await requireClient(ctx, request.clientId, "client_id");
        return importInfrastructure({ db, assets, networks, services }, request, ctx);
      },
    });
  },
};
