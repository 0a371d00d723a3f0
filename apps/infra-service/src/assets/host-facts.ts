import type { Database } from "@msp/db";
import { isUuid } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import type { ResourceStore, StoredRecord } from "@msp/resource-kit";
import { normalizeRow } from "@msp/resource-kit";
import type { Asset, HostFacts, MatchHostsRequest } from "@msp/proto/src/gen/ts/msp/infra/v1/asset";
import type { InfrastructureChange } from "@msp/proto/src/gen/ts/msp/infra/v1/infrastructure_change";
import { serviceRefOf } from "../services/service-impact";
import type { ServiceGraphStore } from "../services/service-graph-store";
import { matchHosts, maxTextLength } from "./host-names";

const defaultLimit = 3;
const maxLimit = 20;

/**
 * MatchHosts: the client's assets (not decommissioned) that the texts name, with their services and
 * three most recent changes: the facts Claude's memory injects when a prompt names a host.
 */
export async function hostFacts(
  db: Database,
  stores: { assets: ResourceStore<Asset>; changes: ResourceStore<InfrastructureChange> },
  graph: ServiceGraphStore,
  request: MatchHostsRequest,
): Promise<HostFacts[]> {
  if (request.clientId === "") throw invalidArgument("client_id", "is required");
  if (!isUuid(request.clientId)) throw invalidArgument("client_id", "must be a UUID");
  if (request.texts.some((text) => text.length > maxTextLength))
    throw invalidArgument("texts", `each text must be at most ${maxTextLength} characters`);
  const limit = request.limit === 0 ? defaultLimit : request.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    throw invalidArgument("limit", `must be from 1 to ${maxLimit} (default ${defaultLimit})`);
  const rows = await db.select<StoredRecord>("SELECT * FROM infrastructure WHERE client_id = ? AND status <> 'decommissioned'", [
    request.clientId.toLowerCase(),
  ]);
  const byId = new Map(rows.map((row) => [String(row["id"]), normalizeRow(stores.assets.fields, row)]));
  const matches = matchHosts(
    request.texts,
    [...byId.values()].map((row) => ({
      id: String(row["id"]),
      hostname: String(row["hostname"]),
      ipAddress: typeof row["ip_address"] === "string" ? row["ip_address"] : null,
      aliases: Array.isArray(row["aliases"]) ? row["aliases"].filter((a): a is string => typeof a === "string") : [],
    })),
    limit,
  );
  if (matches.length === 0) return [];
  const ids = matches.map((m) => m.id);
  const [services, ...changes] = await Promise.all([
    graph.servicesOnAssets(ids),
    ...ids.map((id) =>
      db.select<StoredRecord>(
        "SELECT * FROM infrastructure_changes WHERE infrastructure_id = ? ORDER BY created_at DESC, id DESC LIMIT 3",
        [id],
      ),
    ),
  ]);
  return matches.map((match, i) => ({
    asset: stores.assets.toMessage(byId.get(match.id)!),
    matchedBy: match.matchedBy,
    matchedText: match.matchedText,
    services: services.filter((s) => s.infrastructure_id === match.id).map(serviceRefOf),
    recentChanges: (changes[i] ?? []).map((c) => stores.changes.toMessage(c)),
  }));
}
