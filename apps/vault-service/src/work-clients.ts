import type { PeerClients, PeerIds } from "@msp/service-client";
import { createPeerIds } from "@msp/service-client";
import { ClientService } from "@msp/proto/src/gen/es/msp/work/v1/client_pb";

/**
 * The work service's clients, as the vault sees them: it owns no client table, so a credential's
 * or an incident's client_id is checked with the work service (GetClient), found ids kept a minute.
 */
export function createWorkClients(peers: PeerClients): PeerIds {
  return createPeerIds((ctx, id) => peers.call(ctx, ClientService.method.getClient, { id }), { what: "client" });
}
