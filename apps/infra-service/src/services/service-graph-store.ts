import type { Database } from "@msp/db";
import { sqlPlaceholders } from "@msp/db";
import type { RelationshipEdge } from "./dependency-walk";

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

  /** Every relationship with either end in `ids`, in id order (so walks are repeatable). */
  async edgesTouching(ids: readonly string[]): Promise<RelationshipEdge[]> {
    const edges: RelationshipEdge[] = [];
    for (const part of chunks(ids)) {
      const list = sqlPlaceholders(part.length);
      const rows = await this.db.selectRows(
        `SELECT id, from_service_id, to_service_id, relationship FROM service_relationships
         WHERE from_service_id IN (${list}) OR to_service_id IN (${list}) ORDER BY id`,
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
