import type { CallerContext, PeerClients, PeerIds } from "@msp/service-client";
import { createPeerIds } from "@msp/service-client";
import { AssetService } from "@msp/proto/src/gen/es/msp/infra/v1/asset_pb";
import { ServiceCatalogService } from "@msp/proto/src/gen/es/msp/infra/v1/service_pb";

/**
 * Asset and service ids of the infrastructure service, as deployments and database changes name
 * them: checked with that service (GetAsset, GetService), found ids kept a minute.
 */
export interface InfraIds {
  assets: PeerIds;
  services: PeerIds;
}

export function createInfraIds(peers: PeerClients): InfraIds {
  return {
    assets: createPeerIds((ctx, id) => peers.call(ctx, AssetService.method.getAsset, { id }), { what: "asset" }),
    services: createPeerIds((ctx, id) => peers.call(ctx, ServiceCatalogService.method.getService, { id }), { what: "service" }),
  };
}

/** Checks the asset and service a work detail names (either may be absent), naming the field on a miss. */
export async function requireInfraIds(
  ids: InfraIds,
  ctx: CallerContext,
  detail: { infrastructureId?: string | undefined; serviceId?: string | undefined } | undefined,
  prefix: string,
): Promise<void> {
  if (detail?.infrastructureId) await ids.assets.require(ctx, detail.infrastructureId, `${prefix}.infrastructure_id`);
  if (detail?.serviceId) await ids.services.require(ctx, detail.serviceId, `${prefix}.service_id`);
}
