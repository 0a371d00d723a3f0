import type { Transaction } from "sequelize";
import { literal } from "sequelize";
import { uuidv7 } from "@msp/db";
import type { MutationContext, ResourceStore } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import type { CallerContext } from "@msp/service-client";
import type { Asset } from "@msp/proto/src/gen/ts/msp/infra/v1/asset";
import { AssetModel, AssetTagModel } from "../models";
import type { WorkPeers } from "../work-peers";

type Context = MutationContext & CallerContext;

/** Copies an asset's tag names from infrastructure_tags onto the asset (its `tags`), bumping its revision. */
async function refreshTags(assetId: string, transaction: Transaction): Promise<void> {
  const rows = (await AssetTagModel.findAll({
    where: { infrastructure_id: assetId },
    attributes: ["tag_name"],
    raw: true,
    transaction,
  })) as {
    tag_name: string;
  }[];
  await AssetModel.update(
    { tags: rows.map((r) => r.tag_name).sort(), revision: literal("revision + 1"), updated_at: new Date() },
    { where: { id: assetId }, transaction },
  );
}

/** AddAssetTag: the tag (made in the work service when new) linked to the asset once; adding it again changes nothing. */
export async function addAssetTag(
  assets: ResourceStore<Asset>,
  work: WorkPeers,
  request: { infrastructureId: string; tag: string },
  ctx: Context,
): Promise<Asset> {
  const asset = await assets.getRow(request.infrastructureId);
  const id = String(asset["id"]);
  const tag = await work.tag(ctx, request.tag);
  // Answered from inside the transaction: once it commits, nothing is left to fail.
  return assets.mutate(ctx, async ({ transaction }) => {
    const existing = await AssetTagModel.findOne({
      where: { infrastructure_id: id, tag_id: tag.id },
      attributes: ["id"],
      raw: true,
      transaction,
    });
    if (existing) return assets.getWithin(transaction, id);
    await AssetTagModel.create(
      { id: uuidv7(), infrastructure_id: id, tag_id: tag.id, tag_name: tag.name, created_at: new Date() },
      { transaction },
    );
    await refreshTags(id, transaction);
    await writeAuditEvent(transaction, ctx, { resourceType: "asset", resourceId: id, action: "update", summary: { tag_added: tag.name } });
    return assets.getWithin(transaction, id);
  });
}

/** RemoveAssetTag: the link removed (the tag itself stays in the work service); removing a tag the asset lacks changes nothing. */
export async function removeAssetTag(
  assets: ResourceStore<Asset>,
  request: { infrastructureId: string; tag: string },
  ctx: Context,
): Promise<Asset> {
  const asset = await assets.getRow(request.infrastructureId);
  const id = String(asset["id"]);
  const name = request.tag.trim().toLowerCase();
  return assets.mutate(ctx, async ({ transaction }) => {
    const removed = await AssetTagModel.destroy({ where: { infrastructure_id: id, tag_name: name }, transaction });
    if (removed === 0) return assets.getWithin(transaction, id);
    await refreshTags(id, transaction);
    await writeAuditEvent(transaction, ctx, { resourceType: "asset", resourceId: id, action: "update", summary: { tag_removed: name } });
    return assets.getWithin(transaction, id);
  });
}
