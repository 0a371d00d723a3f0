import type { Transaction } from "sequelize";
import type { ResourceDefinition, StoredRecord } from "@msp/resource-kit";
import { invalidArgument } from "@msp/errors";
import { AssetSchema } from "@msp/proto/src/gen/es/msp/infra/v1/asset_pb";
import { AssetModel, SiteModel } from "../models";
import { checkHostname, checkIp, normalizeMac } from "../network/ip";
import { requireSameClient } from "../same-client";
import { textList } from "../text-list";

/** A parent-host chain longer than this is refused: no real host tree is that deep, and the walk stays bounded. */
const maxHostDepth = 64;

/**
 * Assets (rows of the infrastructure table). Hostnames are unique within a client and stored in
 * lower case; addresses canonically; the site and the parent host are of the same client, and the
 * parent-host tree has no cycle.
 */
export const assetResource: ResourceDefinition = {
  name: "asset",
  model: AssetModel,
  schema: AssetSchema,
  outputOnly: ["tags"],
  required: ["client_id", "asset_type", "hostname"],
  immutable: ["client_id"],
  unique: [["client_id", "hostname"]],
  fieldOverrides: { maxLength: { shell_type: 64, package_manager: 64 } },
  filterable: [
    "client_id",
    "site_id",
    "parent_host_id",
    "asset_type",
    "status",
    "hostname",
    "ip_address",
    "mac_address",
    "os",
    "role",
    "tags",
    "created_at",
  ],
  orderable: ["hostname", "created_at", "updated_at"],
  defaultOrderBy: "hostname",
  async prepare(row, existing, { transaction }) {
    row["status"] ??= "active";
    if (typeof row["hostname"] === "string") row["hostname"] = checkHostname("asset.hostname", row["hostname"]);
    if (typeof row["ip_address"] === "string") row["ip_address"] = checkIp("asset.ip_address", row["ip_address"]).text;
    if (typeof row["mac_address"] === "string") row["mac_address"] = normalizeMac("asset.mac_address", row["mac_address"]);
    const limitations = textList(row["limitations"]);
    if (limitations) row["limitations"] = limitations;
    const aliases = textList(row["aliases"]);
    if (aliases) row["aliases"] = aliases.map((alias, i) => checkHostname(`asset.aliases[${i}]`, alias));
    await requireSameClient(SiteModel, "site", "asset.site_id", row["site_id"], row["client_id"], transaction);
    await checkParentHost(row, existing, transaction);
  },
};

/** The parent host is an asset of the same client, and never the asset itself or one that runs on it. */
async function checkParentHost(row: StoredRecord, existing: StoredRecord | undefined, transaction: Transaction): Promise<void> {
  const parentId = row["parent_host_id"];
  if (parentId === null || parentId === undefined) return;
  const field = "asset.parent_host_id";
  await requireSameClient(AssetModel, "asset", field, parentId, row["client_id"], transaction);
  const selfId = existing?.["id"];
  if (selfId === undefined) return;
  let current: unknown = parentId;
  for (let depth = 0; current !== null && current !== undefined; depth++) {
    if (current === selfId) throw invalidArgument(field, "would make the asset run on itself (a cycle in the host tree)");
    if (depth >= maxHostDepth) throw invalidArgument(field, `makes a host tree deeper than ${maxHostDepth} levels`);
    const up = (await AssetModel.findOne({ where: { id: current }, attributes: ["parent_host_id"], raw: true, transaction })) as {
      parent_host_id: string | null;
    } | null;
    current = up?.parent_host_id ?? null;
  }
}
