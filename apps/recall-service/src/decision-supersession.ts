import type { Transaction } from "sequelize";
import { literal, Op } from "sequelize";
import type { AuditEventInput } from "@msp/resource-kit";
import { DecisionLogModel } from "./models";
import type { ProjectScope } from "./project-scope";
import { sameProject } from "./project-scope";

/**
 * A decision's subject as compared for supersession: lower-case words and digits, single
 * spaces, at most 255 characters; "" when nothing is left.
 */
export function normalizeSubject(subject: string): string {
  return subject
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .slice(0, 255)
    .trim();
}

/** A decision just written: its id, project and normalized subject. */
export interface DecisionKey extends ProjectScope {
  id: string;
  subjectKey: string | null;
}

/** A decision supersession rewrote: its id and what now supersedes it. */
export interface SupersededDecision {
  id: string;
  supersededById: string;
}

/**
 * Settles supersession around one decision: the earlier decisions on the same subject in the
 * same project (not superseded yet) are marked superseded by it, and it is itself marked
 * superseded by the newest later one, if any (an older decision edited onto a newer subject).
 * UUIDv7 ids are time-ordered, so "earlier" is a smaller id. Returns the decisions it rewrote
 * (for their audit events).
 */
export async function settleSupersession(decision: DecisionKey, transaction: Transaction): Promise<SupersededDecision[]> {
  const project = sameProject(decision);
  if (decision.subjectKey === null || decision.subjectKey === "" || project === undefined) return [];
  const sameSubject = [project, { subject_key: decision.subjectKey }];
  const changed = { revision: literal("revision + 1"), updated_at: new Date() };
  const rewritten: SupersededDecision[] = [];
  const newer = await DecisionLogModel.findOne({
    where: { [Op.and]: [...sameSubject, { id: { [Op.gt]: decision.id } }] },
    order: [["id", "DESC"]],
    attributes: ["id"],
    raw: true,
    transaction,
  });
  if (newer) {
    await DecisionLogModel.update({ superseded_by_id: newer.id, ...changed }, { where: { id: decision.id }, transaction });
    rewritten.push({ id: decision.id, supersededById: newer.id });
  }
  const older = await DecisionLogModel.findAll({
    where: { [Op.and]: [...sameSubject, { superseded_by_id: null, id: { [Op.lt]: decision.id } }] },
    order: [["id", "ASC"]],
    attributes: ["id"],
    raw: true,
    transaction,
    lock: transaction.LOCK.UPDATE,
  });
  if (older.length > 0) {
    const ids = older.map((row) => row.id);
    await DecisionLogModel.update({ superseded_by_id: decision.id, ...changed }, { where: { id: { [Op.in]: ids } }, transaction });
    rewritten.push(...ids.map((id) => ({ id, supersededById: decision.id })));
  }
  return rewritten;
}

/** The audit events of decisions supersession rewrote. */
export function supersessionEvents(rewritten: readonly SupersededDecision[]): AuditEventInput[] {
  return rewritten.map((d) => ({
    resourceType: "decision_log",
    resourceId: d.id,
    action: "update",
    summary: { superseded_by_id: d.supersededById },
  }));
}
