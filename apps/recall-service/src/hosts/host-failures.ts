import { sqlPlaceholders } from "@msp/db";
import type { ReadRows } from "../recall/read-rows";
import type { HostFailure, KnownHost } from "./known-host";

/** Failure patterns read per recall at most, for all its hosts together: a line shows two per host. */
const maxFailureRows = 12;

interface FailureRow {
  id: string;
  infrastructure_id: string | null;
  host: string | null;
  error_pattern: string | null;
  description: string | null;
  recommended_solution: string | null;
  occurrence_count: number | string | null;
}

const columns = "id, infrastructure_id, host, error_pattern, description, recommended_solution, occurrence_count";

/**
 * The active failure patterns of these hosts (the recall service's own table): those learned on
 * their assets (infrastructure_id), and those learned on their names within the same client
 * (failures recorded before the asset was documented, or without it). Two reads, each on its
 * index, most frequent first.
 */
export async function activeFailuresOf(read: ReadRows, clientId: string, hosts: readonly KnownHost[]): Promise<HostFailure[]> {
  if (hosts.length === 0) return [];
  const ids = [...new Set(hosts.map((host) => host.id))];
  const names = [...new Set(hosts.flatMap((host) => [host.hostname, ...host.aliases]).map((name) => name.toLowerCase()))].filter(
    (name) => name !== "",
  );
  const order = `ORDER BY occurrence_count DESC, last_seen_at DESC LIMIT ${maxFailureRows}`;
  const [byAsset, byName] = await Promise.all([
    read<FailureRow>(
      `SELECT ${columns} FROM failure_patterns WHERE infrastructure_id IN (${sqlPlaceholders(ids.length)}) AND is_active = 1 ${order}`,
      ids,
    ),
    names.length === 0
      ? Promise.resolve([])
      : read<FailureRow>(
          `SELECT ${columns} FROM failure_patterns WHERE host IN (${sqlPlaceholders(names.length)}) AND client_id = ? AND infrastructure_id IS NULL AND is_active = 1 ${order}`,
          [...names, clientId],
        ),
  ]);
  const seen = new Set<string>();
  const failures: HostFailure[] = [];
  for (const row of [...byAsset, ...byName]) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    failures.push({
      id: row.id,
      infrastructureId: row.infrastructure_id ? row.infrastructure_id.toLowerCase() : null,
      host: row.host ? row.host.toLowerCase() : null,
      errorPattern: row.error_pattern ?? "",
      description: row.description ?? "",
      recommendedSolution: row.recommended_solution ?? "",
      occurrenceCount: Number(row.occurrence_count ?? 1) || 1,
    });
  }
  return failures;
}
