import type { Database } from "@msp/db";
import { sqlPlaceholders } from "@msp/db";
import type { RelationshipEdge, WalkDirection } from "./dependency-walk";
import { reversedRelationships } from "./dependency-walk";

/** Ids per IN list: well under both dialects' bound-parameter limits. */
const chunkSize = 400;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += chunkSize) out.push(items.slice(i, i + chunkSize));
  return out;
}

/** A service as impact answers name it: with its asset's hostname. */
export interface ServiceRow {
  id: string;
  name: string;
  infrastructure_id: string;
  hostname: string;
  status: string;
}

/** Reads of the service graph for the walks: edges by endpoint, services by id or by asset. */
export class ServiceGraphStore {
  constructor(private readonly db: Database) {}

  /**
   * The relationships that make one step of a walk from `ids`: for "dependents", those whose needed
   * end is in `ids`; for "dependencies", those whose needing end is. Each half is one index lookup
   * (an OR across both columns would scan the table on MariaDB); in id order, so walks are repeatable.
   */
  async edgesFrom(ids: readonly string[], direction: WalkDirection): Promise<RelationshipEdge[]> {
    const edges: RelationshipEdge[] = [];
    const reversed = reversedRelationships.map((r) => `'${r}'`).join(", ");
    // Dependents of X: "a needs X" is (to = X, a normal kind) or (from = X, a reversed kind).
    const [normalEnd, reversedEnd] =
      direction === "dependents" ? ["to_service_id", "from_service_id"] : ["from_service_id", "to_service_id"];
    for (const part of chunks(ids)) {
      const list = sqlPlaceholders(part.length);
      const rows = await this.db.selectRows(
        `SELECT id, from_service_id, to_service_id, relationship FROM service_relationships
           WHERE ${normalEnd} IN (${list}) AND relationship NOT IN (${reversed})
         UNION ALL
         SELECT id, from_service_id, to_service_id, relationship FROM service_relationships
           WHERE ${reversedEnd} IN (${list}) AND relationship IN (${reversed})
         ORDER BY id`,
        [...part, ...part],
      );
      for (const [id, from, to, relationship] of rows) {
        edges.push({ id: String(id), from: String(from), to: String(to), relationship: String(relationship) });
      }
    }
    return edges;
  }

  async servicesById(ids: readonly string[]): Promise<Map<string, ServiceRow>> {
    const found = new Map<string, ServiceRow>();
    for (const part of chunks(ids)) {
      const rows = await this.db.select<ServiceRow>(
        `SELECT s.id, s.name, s.infrastructure_id, s.status, i.hostname FROM services s
         JOIN infrastructure i ON i.id = s.infrastructure_id WHERE s.id IN (${sqlPlaceholders(part.length)})`,
        part,
      );
      for (const row of rows) found.set(row.id, row);
    }
    return found;
  }

  /** The services on the given assets, by hostname then name. */
  async servicesOnAssets(assetIds: readonly string[]): Promise<ServiceRow[]> {
    const found: ServiceRow[] = [];
    for (const part of chunks(assetIds)) {
      found.push(
        ...(await this.db.select<ServiceRow>(
          `SELECT s.id, s.name, s.infrastructure_id, s.status, i.hostname FROM services s
           JOIN infrastructure i ON i.id = s.infrastructure_id WHERE s.infrastructure_id IN (${sqlPlaceholders(part.length)})`,
          part,
        )),
      );
    }
    return found.sort((a, b) => a.hostname.localeCompare(b.hostname) || a.name.localeCompare(b.name));
  }
}
