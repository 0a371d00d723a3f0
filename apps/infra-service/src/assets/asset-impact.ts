import type { Database } from "@msp/db";
import { sqlPlaceholders } from "@msp/db";
import type { ResourceStore } from "@msp/resource-kit";
import type { Asset, AssetImpact, HostedAsset } from "@msp/proto/src/gen/ts/msp/infra/v1/asset";
import { walkDependencies } from "../services/dependency-walk";
import type { ServiceGraphStore } from "../services/service-graph-store";
import { impactedServices, maxDepthOf, serviceRefOf } from "../services/service-impact";

/**
 * What goes down with an asset: the assets that run on it (down the parent-host tree, breadth
 * first, up to the depth limit), the services on all of them, and every service elsewhere that
 * depends on those services (up to the same limit), each with its path.
 */
export async function assetImpact(
  db: Database,
  assets: ResourceStore<Asset>,
  graph: ServiceGraphStore,
  request: { id: string; maxDepth: number },
): Promise<AssetImpact> {
  const maxDepth = maxDepthOf(request.maxDepth);
  const row = await assets.getRow(request.id);
  const rootId = String(row["id"]);
  const hosted: HostedAsset[] = [];
  const paths = new Map<string, string[]>([[rootId, [rootId]]]);
  let truncated = false;
  let frontier = [rootId];
  for (let depth = 1; frontier.length > 0; depth++) {
    const children = await db.select<{ id: string; hostname: string; asset_type: string; parent_host_id: string }>(
      `SELECT id, hostname, asset_type, parent_host_id FROM infrastructure WHERE parent_host_id IN (${sqlPlaceholders(frontier.length)}) ORDER BY hostname`,
      frontier,
    );
    const fresh = children.filter((child) => !paths.has(child.id));
    if (fresh.length > 0 && depth > maxDepth) {
      truncated = true;
      break;
    }
    for (const child of fresh) {
      const path = [...(paths.get(child.parent_host_id) ?? []), child.id];
      paths.set(child.id, path);
      hosted.push({ id: child.id, hostname: child.hostname, assetType: child.asset_type, depth, path });
    }
    frontier = fresh.map((child) => child.id);
  }
  const services = await graph.servicesOnAssets([...paths.keys()]);
  const walk = await walkDependencies(
    services.map((s) => s.id),
    "dependents",
    maxDepth,
    (ids) => graph.edgesFrom(ids, "dependents"),
  );
  return {
    asset: assets.toMessage(row),
    hostedAssets: hosted,
    services: services.map(serviceRefOf),
    dependents: await impactedServices(graph, walk.reached),
    truncated: truncated || walk.truncated,
  };
}
