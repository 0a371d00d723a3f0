import type { Transaction } from "sequelize";
import { literal, QueryTypes } from "sequelize";
import type { Model, ModelCtor } from "sequelize-typescript";
import type { Database } from "@msp/db";
import { isUuid, uuidv7 } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import type { MutationContext, ResourceStore } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import { SessionModel, SessionTagModel, TagModel, WorkItemModel, WorkItemTagModel } from "./models";
import { normalizeTagName } from "./tag-rules";

/**
 * Where the tags of one kind of record live: a link table (session_tags) and a copy of the tag
 * names on the record itself (sessions.tags), which reads and the `tags:"x"` filter use.
 */
export interface TagLinks {
  /** The tagged resource, as audit events name it: session. */
  resource: string;
  /** The request field carrying the record's id: session_id. */
  idField: string;
  ownerModel: ModelCtor<Model>;
  linkModel: ModelCtor<Model>;
  linkTable: string;
  /** The link table's column pointing at the record: session_id. */
  ownerColumn: string;
}

export const sessionTagLinks: TagLinks = {
  resource: "session",
  idField: "session_id",
  ownerModel: SessionModel,
  linkModel: SessionTagModel,
  linkTable: "session_tags",
  ownerColumn: "session_id",
};

export const workItemTagLinks: TagLinks = {
  resource: "work_item",
  idField: "work_item_id",
  ownerModel: WorkItemModel,
  linkModel: WorkItemTagModel,
  linkTable: "work_item_tags",
  ownerColumn: "work_item_id",
};

/** Counters and revisions move together, so etags change with what the message shows. */
const bump = (by: number) => ({ usage_count: literal(`usage_count + ${by}`), revision: literal("revision + 1"), updated_at: new Date() });

/**
 * Copies a record's tag names from its link table onto the record. `withoutTagId` leaves out a
 * tag being deleted.
 */
export async function refreshTags(
  db: Database,
  links: TagLinks,
  ownerId: string,
  transaction: Transaction,
  withoutTagId?: string,
): Promise<void> {
  const rows = await db.sequelize.query<{ name: string }>(
    `SELECT t.name FROM ${links.linkTable} l JOIN tags t ON t.id = l.tag_id WHERE l.${links.ownerColumn} = ? AND t.id <> ? ORDER BY t.name`,
    { replacements: [ownerId, withoutTagId ?? ""], type: QueryTypes.SELECT, transaction },
  );
  await links.ownerModel.update(
    { tags: rows.map((r) => r.name), revision: literal("revision + 1"), updated_at: new Date() },
    { where: { id: ownerId }, transaction },
  );
}

/** Tags a record, creating the tag on first use. Tagging twice changes nothing. */
export async function addTag<M>(store: ResourceStore<M>, links: TagLinks, ownerId: string, tag: string, ctx: MutationContext): Promise<M> {
  const id = checkOwnerId(links, ownerId);
  const name = normalizeTagName("tag", tag);
  // Answered from inside the transaction: once it commits, nothing is left to fail.
  return store.mutate(ctx, async ({ db, transaction }) => {
    await store.get(id);
    let found = await TagModel.findOne({ where: { name }, attributes: ["id"], raw: true, transaction });
    if (!found) {
      const now = new Date();
      found = await TagModel.create({ id: uuidv7(), name, revision: 1, usage_count: 0, created_at: now, updated_at: now }, { transaction });
    }
    const tagId = found.id;
    const where = { [links.ownerColumn]: id, tag_id: tagId };
    const already = await links.linkModel.findOne({ where, attributes: ["id"], raw: true, transaction });
    if (already) return store.getWithin(transaction, id);
    await links.linkModel.create({ id: uuidv7(), ...where, created_at: new Date() }, { transaction });
    await TagModel.update(bump(1), { where: { id: tagId }, transaction });
    await refreshTags(db, links, id, transaction);
    await writeAuditEvent(transaction, ctx, { resourceType: links.resource, resourceId: id, action: "update", summary: { add_tag: name } });
    return store.getWithin(transaction, id);
  });
}

/** Removes a tag from a record; removing a tag the record does not have changes nothing. */
export async function removeTag<M>(
  store: ResourceStore<M>,
  links: TagLinks,
  ownerId: string,
  tag: string,
  ctx: MutationContext,
): Promise<M> {
  const id = checkOwnerId(links, ownerId);
  const name = normalizeTagName("tag", tag);
  return store.mutate(ctx, async ({ db, transaction }) => {
    await store.get(id);
    const found = await TagModel.findOne({ where: { name }, attributes: ["id"], raw: true, transaction });
    if (!found) return store.getWithin(transaction, id);
    const removed = await links.linkModel.destroy({ where: { [links.ownerColumn]: id, tag_id: found.id }, transaction });
    if (removed === 0) return store.getWithin(transaction, id);
    await TagModel.update(bump(-1), { where: { id: found.id }, transaction });
    await refreshTags(db, links, id, transaction);
    await writeAuditEvent(transaction, ctx, {
      resourceType: links.resource,
      resourceId: id,
      action: "update",
      summary: { remove_tag: name },
    });
    return store.getWithin(transaction, id);
  });
}

/**
 * Lowers the usage counts of the tags on the records `ownerIdsSql` selects, before those records'
 * links go with them (ON DELETE CASCADE). `ownerIdsSql` is a subquery with one `?`.
 */
export async function releaseTags(
  db: Database,
  links: TagLinks,
  ownerIdsSql: string,
  ownerKey: string,
  transaction: Transaction,
): Promise<void> {
  const linked = `SELECT l.tag_id FROM ${links.linkTable} l WHERE l.${links.ownerColumn} IN (${ownerIdsSql})`;
  const uses = `SELECT COUNT(*) FROM ${links.linkTable} l WHERE l.tag_id = tags.id AND l.${links.ownerColumn} IN (${ownerIdsSql})`;
  await db.sequelize.query(
    `UPDATE tags SET usage_count = CASE WHEN usage_count > (${uses}) THEN usage_count - (${uses}) ELSE 0 END, revision = revision + 1 WHERE id IN (${linked})`,
    { replacements: [ownerKey, ownerKey, ownerKey], transaction },
  );
}

/** Every record of this kind carrying the tag gets its names copied again, without the tag. */
export async function detachTag(db: Database, links: TagLinks, tagId: string, transaction: Transaction): Promise<void> {
  const rows = (await links.linkModel.findAll({
    where: { tag_id: tagId },
    attributes: [links.ownerColumn],
    raw: true,
    transaction,
  })) as unknown as Record<string, string>[];
  for (const row of rows) {
    const ownerId = row[links.ownerColumn];
    if (ownerId !== undefined) await refreshTags(db, links, ownerId, transaction, tagId);
  }
}

function checkOwnerId(links: TagLinks, ownerId: string): string {
  if (ownerId === "") throw invalidArgument(links.idField, "is required");
  if (!isUuid(ownerId)) throw invalidArgument(links.idField, "must be a UUID");
  return ownerId.toLowerCase();
}
