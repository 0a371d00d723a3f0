import { invalidArgument } from "@msp/errors";
import type { ResourceStore } from "@msp/resource-kit";
import type { ImpactedService, PathStep, ServiceImpact, ServiceRef } from "@msp/proto/src/gen/ts/msp/infra/v1/service";
import type { Service } from "@msp/proto/src/gen/ts/msp/infra/v1/service";
import type { Reached, WalkDirection } from "./dependency-walk";
import { dependencyOf, dependentOf, walkDependencies } from "./dependency-walk";
import type { ServiceGraphStore, ServiceRow } from "./service-graph-store";

export const defaultMaxDepth = 10;
const maxMaxDepth = 50;

/** The depth limit asked for: 0 means the default; beyond 50 is refused. */
export function maxDepthOf(asked: number): number {
  if (asked === 0) return defaultMaxDepth;
  if (!Number.isInteger(asked) || asked < 1 || asked > maxMaxDepth)
    throw invalidArgument("max_depth", `must be from 1 to ${maxMaxDepth} (default ${defaultMaxDepth})`);
  return asked;
}

export function serviceRefOf(row: ServiceRow): ServiceRef {
  return { id: row.id, name: row.name, infrastructureId: row.infrastructure_id, hostname: row.hostname, status: row.status };
}

/** The walk's results with their services named, nearest first (then by name). */
export async function impactedServices(graph: ServiceGraphStore, reached: readonly Reached[]): Promise<ImpactedService[]> {
  return impactedFrom(await graph.servicesById(reached.map((r) => r.id)), reached);
}

function impactedFrom(rows: ReadonlyMap<string, ServiceRow>, reached: readonly Reached[]): ImpactedService[] {
  const named: ImpactedService[] = [];
  for (const r of reached) {
    const row = rows.get(r.id);
    if (!row) continue;
    named.push({
      service: serviceRefOf(row),
      depth: r.depth,
      path: r.path.map(
        (edge): PathStep => ({
          relationshipId: edge.id,
          dependentServiceId: dependentOf(edge),
          dependencyServiceId: dependencyOf(edge),
          relationship: edge.relationship,
        }),
      ),
    });
  }
  return named.sort((a, b) => a.depth - b.depth || (a.service?.name ?? "").localeCompare(b.service?.name ?? ""));
}

/** GetServiceImpact (dependents) and GetServiceDependencies (dependencies) of one service. */
export async function serviceWalk(
  services: ResourceStore<Service>,
  graph: ServiceGraphStore,
  request: { id: string; maxDepth: number },
  direction: WalkDirection,
): Promise<ServiceImpact> {
  const maxDepth = maxDepthOf(request.maxDepth);
  const start = await services.getRow(request.id);
  const id = String(start["id"]);
  const walk = await walkDependencies([id], direction, maxDepth, (ids) => graph.edgesFrom(ids, direction));
  // The service asked about and those reached, named in one read.
  const rows = await graph.servicesById([id, ...walk.reached.map((r) => r.id)]);
  const self = rows.get(id);
  return { service: self ? serviceRefOf(self) : undefined, services: impactedFrom(rows, walk.reached), truncated: walk.truncated };
}
