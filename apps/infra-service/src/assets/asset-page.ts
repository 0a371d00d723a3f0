import type { Database } from "@msp/db";
import { isUuid } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import type { Logger } from "@msp/logging";
import type { ResourceStore, StoredRecord } from "@msp/resource-kit";
import type { CallerContext } from "@msp/service-client";
import type { Asset, AssetPage, OpenIncident } from "@msp/proto/src/gen/ts/msp/infra/v1/asset";
import type { InfrastructureChange } from "@msp/proto/src/gen/ts/msp/infra/v1/infrastructure_change";
import type { Network } from "@msp/proto/src/gen/ts/msp/infra/v1/network";
import type { Service } from "@msp/proto/src/gen/ts/msp/infra/v1/service";
import { parseIp } from "../network/ip";
import { storedRange } from "../networks/network-range";
import type { OpenIncidentsOf } from "./open-incidents";

export interface PageStores {
  db: Database;
  assets: ResourceStore<Asset>;
  services: ResourceStore<Service>;
  networks: ResourceStore<Network>;
  changes: ResourceStore<InfrastructureChange>;
  openIncidents: OpenIncidentsOf;
  logger: Logger;
}

const maxChildren = 500;

function recentChangesOf(asked: number): number {
  if (asked === 0) return 10;
  if (!Number.isInteger(asked) || asked < 1 || asked > 100) throw invalidArgument("recent_changes", "must be from 1 to 100 (default 10)");
  return asked;
}

/**
 * An asset's page: the asset, its parent and children, services, the networks its address lies in
 * (most specific first), open incidents (from the vault service; marked unavailable when it cannot
 * answer, never failing the page), recent changes and its firewall rule count, read in parallel.
 */
export async function assetPage(
  stores: PageStores,
  ctx: CallerContext,
  request: { id: string; recentChanges: number },
): Promise<AssetPage> {
  const { db } = stores;
  const limit = recentChangesOf(request.recentChanges);
  // The vault is asked at once, beside the asset's own read (its answer is dropped if there is no such asset).
  const incidentsAsked = isUuid(request.id) ? openIncidentsOrReason(stores, ctx, request.id.toLowerCase()) : undefined;
  const row = await stores.assets.getRow(request.id);
  const id = String(row["id"]);
  const parentId = row["parent_host_id"];
  const ip = typeof row["ip_address"] === "string" ? parseIp(row["ip_address"]) : undefined;
  const point = ip ? storedRange({ version: ip.version, first: ip.value, last: ip.value }) : undefined;
  const [parent, children, services, networks, changes, ruleCount, incidents] = await Promise.all([
    typeof parentId === "string" ? db.select<StoredRecord>("SELECT * FROM infrastructure WHERE id = ?", [parentId]) : [],
    db.select<StoredRecord>(`SELECT * FROM infrastructure WHERE parent_host_id = ? ORDER BY hostname LIMIT ${maxChildren}`, [id]),
    db.select<StoredRecord>("SELECT * FROM services WHERE infrastructure_id = ? ORDER BY name", [id]),
    point
      ? db.select<StoredRecord>(
          "SELECT * FROM networks WHERE client_id = ? AND range_start <= ? AND range_end >= ? ORDER BY range_start DESC, range_end ASC",
          [row["client_id"], point.range_start, point.range_start],
        )
      : [],
    db.select<StoredRecord>(
      `SELECT * FROM infrastructure_changes WHERE infrastructure_id = ? ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
      [id],
    ),
    db.select<{ n: number }>("SELECT COUNT(*) AS n FROM firewall_rules WHERE infrastructure_id = ?", [id]),
    incidentsAsked ?? openIncidentsOrReason(stores, ctx, id),
  ]);
  return {
    asset: stores.assets.toMessage(row),
    parent: parent[0] ? stores.assets.toMessage(parent[0]) : undefined,
    children: children.map((r) => stores.assets.toMessage(r)),
    services: services.map((r) => stores.services.toMessage(r)),
    networks: networks.map((r) => stores.networks.toMessage(r)),
    openIncidents: incidents.list,
    recentChanges: changes.map((r) => stores.changes.toMessage(r)),
    openIncidentsUnavailable: incidents.unavailable,
    firewallRuleCount: Number(ruleCount[0]?.n ?? 0),
  };
}

async function openIncidentsOrReason(
  stores: PageStores,
  ctx: CallerContext,
  id: string,
): Promise<{ list: OpenIncident[]; unavailable: string }> {
  try {
    return { list: await stores.openIncidents(ctx, id), unavailable: "" };
  } catch (error) {
    stores.logger.warn({ err: error, infrastructure_id: id }, "asset page: the vault service did not answer for open incidents");
    return { list: [], unavailable: `the vault service did not answer: ${error instanceof Error ? error.message : String(error)}` };
  }
}
