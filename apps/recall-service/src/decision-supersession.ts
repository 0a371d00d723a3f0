import type { Transaction } from "sequelize";
import { literal, Op } from "sequelize";
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

/**
 * Settles supersession around one decision: the earlier decisions on the same subject in the
 * same project (not superseded yet) are marked superseded by it, and it is itself marked
 * superseded by the newest later one, if any (an older decision edited onto a newer subject).
 * UUIDv7 ids are time-ordered, so "earlier" is a smaller id. Returns how many it superseded.
 */
export async function settleSupersession(decision: DecisionKey, transaction: Transaction): Promise<number> {
  const project = sameProject(decision);
  if (decision.subjectKey === null || decision.subjectKey === "" || project === undefined) return 0;
  const sameSubject = [project, { subject_key: decision.subjectKey }];
  const changed = { revision: literal("revision + 1"), updated_at: new Date() };
  const newer = await DecisionLogModel.findOne({
    where: { [Op.and]: [...sameSubject, { id: { [Op.gt]: decision.id } }] },
    order: [["id", "DESC"]],
    attributes: ["id"],
    raw: true,
    transaction,
  });
  if (newer) {
    await DecisionLogModel.update({ superseded_by_id: newer.id, ...changed }, { where: { id: decision.id }, transaction });
  }
  const [count] = await DecisionLogModel.update(
    { superseded_by_id: decision.id, ...changed },
    { where: { [Op.and]: [...sameSubject, { superseded_by_id: null, id: { [Op.lt]: decision.id } }] }, transaction },
  );
  return count;
}
