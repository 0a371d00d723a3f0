import type { Handlers } from "@msp/grpc-kit";
import type { ResourceStore } from "@msp/resource-kit";
import { standardMethods } from "@msp/resource-kit";
import type { PeerIds } from "@msp/service-client";
import type { SecurityIncident } from "@msp/proto/src/gen/ts/msp/vault/v1/security_incident";
import { SecurityIncidentServiceService } from "@msp/proto/src/gen/ts/msp/vault/v1/security_incident";

/** SecurityIncidentService: the standard methods, with the incident's client checked with the work service. */
export function incidentHandlers(
  store: ResourceStore<SecurityIncident>,
  clients: PeerIds,
): Handlers<typeof SecurityIncidentServiceService> {
  const standard = standardMethods(SecurityIncidentServiceService, store, { singular: "SecurityIncident", plural: "SecurityIncidents" });
  return {
    ...standard,
    createSecurityIncident: async (request, ctx) => {
      if (request.securityIncident?.clientId) await clients.require(ctx, request.securityIncident.clientId, "security_incident.client_id");
      return standard.createSecurityIncident(request, ctx);
    },
    updateSecurityIncident: async (request, ctx) => {
      if (request.securityIncident?.clientId) await clients.require(ctx, request.securityIncident.clientId, "security_incident.client_id");
      return standard.updateSecurityIncident(request, ctx);
    },
  };
}
