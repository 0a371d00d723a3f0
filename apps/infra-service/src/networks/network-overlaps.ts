import type { Database } from "@msp/db";
import { isUuid } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import type { ListNetworkOverlapsRequest, ListNetworkOverlapsResponse, NetworkRef } from "@msp/proto/src/gen/ts/msp/infra/v1/network";
import type { NetworkInput } from "../network/overlaps";
import { findOverlaps } from "../network/overlaps";

const defaultLimit = 500;
const maxLimit = 5000;

interface NetworkRow {
  id: string;
  name: string;
  cidr: string;
  client_id: string;
  site_id: string | null;
  overlap_allowed: boolean | number;
}

/**
 * ListNetworkOverlaps: the networks of one client (or of every client, or one client's against
 * everyone's) whose CIDRs share addresses, found by a sweep over the ranges.
 */
export async function networkOverlaps(db: Database, request: ListNetworkOverlapsRequest): Promise<ListNetworkOverlapsResponse> {
  const clientId = request.clientId.trim().toLowerCase();
  if (clientId === "" && !request.acrossClients) throw invalidArgument("client_id", "is required unless across_clients is set");
  if (clientId !== "" && !isUuid(clientId)) throw invalidArgument("client_id", "must be a UUID");
  const limit = request.limit === 0 ? defaultLimit : request.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    throw invalidArgument("limit", `must be from 1 to ${maxLimit} (default ${defaultLimit})`);
  const columns = "id, name, cidr, client_id, site_id, overlap_allowed";
  const rows =
    clientId !== "" && !request.acrossClients
      ? await db.select<NetworkRow>(`SELECT ${columns} FROM networks WHERE client_id = ?`, [clientId])
      : await db.select<NetworkRow>(`SELECT ${columns} FROM networks`, []);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const inputs: NetworkInput[] = rows.map((row) => ({ id: row.id, cidr: row.cidr, clientId: row.client_id, siteId: row.site_id }));
  // One client against everyone: only pairs with that client on one side count.
  const wanted = (a: NetworkInput, b: NetworkInput) =>
    clientId === "" || !request.acrossClients || a.clientId === clientId || b.clientId === clientId;
  const found = findOverlaps(inputs, clientId !== "" && request.acrossClients ? Number.MAX_SAFE_INTEGER : limit);
  const pairs = found.pairs.filter((pair) => wanted(pair.first, pair.second));
  const ref = (input: NetworkInput): NetworkRef => {
    const row = byId.get(input.id)!;
    return {
      id: row.id,
      name: row.name,
      cidr: row.cidr,
      clientId: row.client_id,
      siteId: row.site_id ?? "",
      overlapAllowed: Boolean(row.overlap_allowed),
    };
  };
  return {
    overlaps: pairs.slice(0, limit).map((pair) => ({
      first: ref(pair.first),
      second: ref(pair.second),
      shared: pair.shared,
      sameSite: pair.first.siteId !== null && pair.first.siteId === pair.second.siteId,
      sameClient: pair.first.clientId === pair.second.clientId,
    })),
    truncated: found.truncated || pairs.length > limit,
  };
}
