import type { Transaction } from "sequelize";
import { Op } from "sequelize";
import { uuidv7 } from "@msp/db";
import { ContextTagModel } from "./models";

export type TagOwnerType = "context" | "snippet";

/** A context or snippet whose tags the index mirrors. */
export interface TagOwner {
  type: TagOwnerType;
  id: string;
  tags: readonly string[];
  projectId: string | null;
  clientId: string | null;
}

/** Makes the tag index of one owner match its tags (already normalized). */
export async function syncTagIndex(owner: TagOwner, transaction: Transaction): Promise<void> {
  await ContextTagModel.destroy({ where: { owner_type: owner.type, owner_id: owner.id }, transaction });
  await addToTagIndex([owner], transaction);
}

/** Indexes the tags of new owners (none of them indexed yet), in one insert. */
export async function addToTagIndex(owners: readonly TagOwner[], transaction: Transaction): Promise<void> {
  const now = new Date();
  const rows = owners.flatMap((owner) =>
    owner.tags.map((tag) => ({
      id: uuidv7(),
      revision: 1,
      created_at: now,
      updated_at: now,
      owner_type: owner.type,
      owner_id: owner.id,
      tag,
      project_id: owner.projectId,
      client_id: owner.clientId,
    })),
  );
  if (rows.length > 0) await ContextTagModel.bulkCreate(rows, { transaction });
}

/** Removes the tags of the given owners from the index. */
export async function removeFromTagIndex(type: TagOwnerType, ownerIds: readonly string[], transaction: Transaction): Promise<void> {
  if (ownerIds.length === 0) return;
  await ContextTagModel.destroy({ where: { owner_type: type, owner_id: { [Op.in]: [...ownerIds] } }, transaction });
}
