import type { Transaction } from "sequelize";
import { literal, QueryTypes } from "sequelize";
import type { Database } from "@msp/db";
import { isUuid, uuidv7 } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import type { MutationContext, ResourceStore } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import type { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { SessionModel, SessionTagModel, TagModel } from "./models";
import { normalizeTagName } from "./tag-rules";

/** Counters and revisions move together, so etags change with what the message shows. */
const bump = (by: number) => ({ usage_count: literal(`usage_count + ${by}`), revision: literal("revision + 1"), updated_at: new Date() });

/**
 * Copies a session's tag names from session_tags onto the session row (sessions.tags), which
 * is what reads and the `tags:"x"` filter use. `withoutTagId` leaves out a tag being deleted.
 */
export async function refreshSessionTags(db: Database, sessionId: string, transaction: Transaction, withoutTagId?: string): Promise<void> {
  const rows = await db.sequelize.query<{ name: string }>(
    "SELECT t.name FROM session_tags st JOIN tags t ON t.id = st.tag_id WHERE st.session_id = ? AND t.id <> ? ORDER BY t.name",
    { replacements: [sessionId, withoutTagId ?? ""], type: QueryTypes.SELECT, transaction },
  );
  await SessionModel.update(
    { tags: rows.map((r) => r.name), revision: literal("revision + 1"), updated_at: new Date() },
    { where: { id: sessionId }, transaction },
  );
}

/** Tags a session, creating the tag on first use. Tagging twice changes nothing. */
export async function addSessionTag(
  sessions: ResourceStore<Session>,
  sessionId: string,
  tag: string,
  ctx: MutationContext,
): Promise<Session> {
  const id = checkSessionId(sessionId);
  const name = normalizeTagName("tag", tag);
  await sessions.mutate(ctx, async ({ db, transaction }) => {
    await sessions.get(id);
    let found = await TagModel.findOne({ where: { name }, attributes: ["id"], raw: true, transaction });
    if (!found) {
      const now = new Date();
      found = await TagModel.create({ id: uuidv7(), name, revision: 1, usage_count: 0, created_at: now, updated_at: now }, { transaction });
    }
    const tagId = found.id;
    const already = await SessionTagModel.findOne({ where: { session_id: id, tag_id: tagId }, attributes: ["id"], raw: true, transaction });
    if (already) return;
    await SessionTagModel.create({ id: uuidv7(), session_id: id, tag_id: tagId, created_at: new Date() }, { transaction });
    await TagModel.update(bump(1), { where: { id: tagId }, transaction });
    await refreshSessionTags(db, id, transaction);
    await writeAuditEvent(transaction, ctx, { resourceType: "session", resourceId: id, action: "update", summary: { add_tag: name } });
  });
  return sessions.get(id);
}

/** Removes a tag from a session; removing a tag the session does not have changes nothing. */
export async function removeSessionTag(
  sessions: ResourceStore<Session>,
  sessionId: string,
  tag: string,
  ctx: MutationContext,
): Promise<Session> {
  const id = checkSessionId(sessionId);
  const name = normalizeTagName("tag", tag);
  await sessions.mutate(ctx, async ({ db, transaction }) => {
    await sessions.get(id);
    const found = await TagModel.findOne({ where: { name }, attributes: ["id"], raw: true, transaction });
    if (!found) return;
    const removed = await SessionTagModel.destroy({ where: { session_id: id, tag_id: found.id }, transaction });
    if (removed === 0) return;
    await TagModel.update(bump(-1), { where: { id: found.id }, transaction });
    await refreshSessionTags(db, id, transaction);
    await writeAuditEvent(transaction, ctx, { resourceType: "session", resourceId: id, action: "update", summary: { remove_tag: name } });
  });
  return sessions.get(id);
}

function checkSessionId(sessionId: string): string {
  if (sessionId === "") throw invalidArgument("session_id", "is required");
  if (!isUuid(sessionId)) throw invalidArgument("session_id", "must be a UUID");
  return sessionId.toLowerCase();
}
