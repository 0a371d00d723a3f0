import type { DescEnum } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { CallerContext, PeerClients } from "@msp/service-client";
import type { OpenIncident } from "@msp/proto/src/gen/ts/msp/infra/v1/asset";
import {
  IncidentSeveritySchema,
  IncidentStatusSchema,
  IncidentTypeSchema,
  SecurityIncidentService,
} from "@msp/proto/src/gen/es/msp/vault/v1/security_incident_pb";

/** An asset's security incidents that are not resolved, newest first, asked of the vault service. */
export type OpenIncidentsOf = (ctx: CallerContext, infrastructureId: string) => Promise<OpenIncident[]>;

/** "malware" for INCIDENT_TYPE_MALWARE: the stored word of an enum value. */
function enumWord(schema: DescEnum, value: number | undefined): string {
  return schema.values.find((v) => v.number === value)?.localName.toLowerCase() ?? "";
}

export function createOpenIncidents(peers: PeerClients): OpenIncidentsOf {
  return async (ctx, infrastructureId) => {
    const page = await peers.call(ctx, SecurityIncidentService.method.listSecurityIncidents, {
      pageSize: 20,
      filter: `infrastructure_id = "${infrastructureId}" AND status != "resolved"`,
      orderBy: "occurred_at desc",
    });
    return page.securityIncidents.map((incident) => ({
      id: incident.id,
      incidentType: enumWord(IncidentTypeSchema, incident.incidentType),
      severity: enumWord(IncidentSeveritySchema, incident.severity),
      status: enumWord(IncidentStatusSchema, incident.status),
      occurredAt: incident.occurredAt ? timestampDate(incident.occurredAt) : undefined,
      description: incident.description ?? "",
    }));
  };
}
