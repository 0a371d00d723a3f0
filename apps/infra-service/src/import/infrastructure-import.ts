import type { Database } from "@msp/db";
import { isUuid } from "@msp/db";
import { invalidArgument, isDomainError } from "@msp/errors";
import type { HookContext, MutationContext, ResourceStore } from "@msp/resource-kit";
import type { Asset } from "@msp/proto/src/gen/ts/msp/infra/v1/asset";
import type { ImportInfrastructureRequest, ImportInfrastructureResponse, ImportRowError } from "@msp/proto/src/gen/ts/msp/infra/v1/import";
import { ImportKind } from "@msp/proto/src/gen/ts/msp/infra/v1/import";
import type { Network } from "@msp/proto/src/gen/ts/msp/infra/v1/network";
import type { Service } from "@msp/proto/src/gen/ts/msp/infra/v1/service";
import { AssetModel, SiteModel } from "../models";
import type { ImportKindName } from "./column-map";
import { mapColumns } from "./column-map";
import { readCsv } from "./csv-table";
import type { RowProblem } from "./import-rows";
import { parentsFirst, rowMessage } from "./import-rows";

export interface ImportStores {
  db: Database;
  assets: ResourceStore<Asset>;
  networks: ResourceStore<Network>;
  services: ResourceStore<Service>;
}

const kinds: Partial<Record<ImportKind, ImportKindName>> = {
  [ImportKind.IMPORT_KIND_ASSETS]: "assets",
  [ImportKind.IMPORT_KIND_NETWORKS]: "networks",
  [ImportKind.IMPORT_KIND_SERVICES]: "services",
};

/** Thrown inside the import's transaction to roll it back (a dry run, or a file with errors). */
class RollBack extends Error {}

interface PreparedRow {
  line: number;
  message: Record<string, unknown>;
  lookups: Map<string, string>;
  hostname: string;
  parent: string | undefined;
}

/**
 * ImportInfrastructure: every record of the file created through its resource's own checks, in one
 * transaction, against the stored records and the file's earlier rows (assets after their parents).
 * Any row's problem, or a dry run, rolls everything back; the answer lists every row's problems.
 */
export async function importInfrastructure(
  stores: ImportStores,
  request: ImportInfrastructureRequest,
  ctx: MutationContext,
): Promise<ImportInfrastructureResponse> {
  const clientId = request.clientId.trim().toLowerCase();
  if (clientId === "") throw invalidArgument("client_id", "is required");
  if (!isUuid(clientId)) throw invalidArgument("client_id", "must be a UUID");
  const kind = kinds[request.kind];
  if (kind === undefined) throw invalidArgument("kind", "must be IMPORT_KIND_ASSETS, IMPORT_KIND_NETWORKS or IMPORT_KIND_SERVICES");
  const table = readCsv(request.csv);
  const columns = mapColumns(kind, table.header);
  if (columns.missing.length > 0) {
    throw invalidArgument("csv", `has no column for ${columns.missing.join(", ")} (headers: ${table.header.join(", ")})`);
  }
  const store = kind === "assets" ? stores.assets : kind === "networks" ? stores.networks : stores.services;
  const prefix = kind === "assets" ? "asset" : kind === "networks" ? "network" : "service";
  const errors: ImportRowError[] = [];
  const rows: PreparedRow[] = [];
  for (const record of table.records) {
    const cells = new Map<string, string>();
    for (const [index, field] of columns.fields) cells.set(field, record.values[index] ?? "");
    const { message, lookups, problems } = rowMessage(store.fields, cells, prefix);
    if (kind !== "services") message["clientId"] = clientId;
    errors.push(...problems.map((p) => ({ line: record.line, ...p })));
    rows.push({
      line: record.line,
      message,
      lookups,
      hostname: (cells.get("hostname") ?? "").toLowerCase(),
      parent: lookups.get("parent_host")?.toLowerCase(),
    });
  }
  const ids: string[] = [];
  try {
    await stores.db.transaction(async (transaction) => {
      ids.length = 0;
      const runErrors: ImportRowError[] = [];
      const hook: HookContext = { db: stores.db, transaction, ctx, given: new Set(), now: new Date() };
      const ordered = kind === "assets" ? parentsFirst(rows) : rows;
      const written = new Map<PreparedRow, string>();
      for (const row of ordered) {
        if (errors.some((e) => e.line === row.line)) continue;
        const problems = await resolveLookups(kind, prefix, row, clientId, hook);
        if (problems.length > 0) {
          runErrors.push(...problems.map((p) => ({ line: row.line, ...p })));
          continue;
        }
        try {
          written.set(row, await store.createWithin(hook, row.message as never, prefix));
        } catch (error) {
          if (!isDomainError(error)) throw error;
          const violations = error.violations.length > 0 ? error.violations : [{ field: "", description: error.message }];
          runErrors.push(...violations.map((v) => ({ line: row.line, field: v.field, description: v.description })));
        }
      }
      errors.push(...runErrors);
      for (const row of rows) if (written.has(row)) ids.push(written.get(row)!);
      if (request.dryRun || errors.length > 0) throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  errors.sort((a, b) => a.line - b.line);
  const imported = !request.dryRun && errors.length === 0;
  return {
    dryRun: request.dryRun,
    rows: table.records.length,
    imported: imported ? ids.length : 0,
    ids: imported ? ids : [],
    errors,
    columns: columns.described,
    ignoredColumns: columns.ignored,
  };
}

/** Sites by name, parent hosts and service hosts by hostname, within the client; problems name the row's column. */
async function resolveLookups(
  kind: ImportKindName,
  prefix: string,
  row: PreparedRow,
  clientId: string,
  hook: HookContext,
): Promise<RowProblem[]> {
  const problems: RowProblem[] = [];
  const { transaction } = hook;
  const site = row.lookups.get("site");
  if (site !== undefined) {
    const found = (await SiteModel.findOne({ where: { client_id: clientId, name: site }, attributes: ["id"], raw: true, transaction })) as {
      id: string;
    } | null;
    if (found) row.message["siteId"] = found.id;
    else problems.push({ field: `${prefix}.site`, description: `the client has no site named "${site}"` });
  }
  const hostField = kind === "assets" ? "parent_host" : kind === "services" ? "host" : undefined;
  const host = hostField ? row.lookups.get(hostField) : undefined;
  if (hostField && host !== undefined) {
    const found = (await AssetModel.findOne({
      where: { client_id: clientId, hostname: host.toLowerCase() },
      attributes: ["id"],
      raw: true,
      transaction,
    })) as { id: string } | null;
    if (!found) problems.push({ field: `${prefix}.${hostField}`, description: `the client has no asset with hostname "${host}"` });
    else row.message[kind === "assets" ? "parentHostId" : "infrastructureId"] = found.id;
  } else if (kind === "services") {
    problems.push({ field: "service.host", description: "is required: the hostname of the asset the service runs on" });
  }
  return problems;
}
