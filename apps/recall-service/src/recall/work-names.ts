import type { PeerClients } from "@msp/service-client";
import { ClientService } from "@msp/proto/src/gen/es/msp/work/v1/client_pb";
import { ProjectService } from "@msp/proto/src/gen/es/msp/work/v1/project_pb";
import type { WorkNames } from "./scope-names";

/** Clients' and projects' names from the work service (GetClient, GetProject), as the user served. */
export function createWorkNames(peers: PeerClients): WorkNames {
  return {
    clientName: async (ctx, id) => (await peers.call(ctx, ClientService.method.getClient, { id })).name ?? "",
    projectName: async (ctx, id) => (await peers.call(ctx, ProjectService.method.getProject, { id })).name ?? "",
  };
}
