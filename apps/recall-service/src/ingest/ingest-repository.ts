import type { Transaction, WhereOptions } from "sequelize";
import { literal, Op, UniqueConstraintError } from "sequelize";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";
import type { MutationContext } from "@msp/resource-kit";
import { writeAuditEvent, writeAuditEvents } from "@msp/resource-kit";
import type { SupersededDecision } from "../decision-supersession";
import { settleSupersession, supersessionEvents } from "../decision-supersession";
import {
  ContextSnippetModel,
  ConversationContextModel,
  DecisionLogModel,
  IngestPartModel,
  IngestReceiptModel,
  ProjectStateModel,
} from "../models";
import { jsonList } from "../json-list";
import { projectStateKey, sameProject } from "../project-scope";
import type { TagOwner } from "../tag-index";
import { addToTagIndex, removeFromTagIndex } from "../tag-index";
import type { IngestCommand } from "./ingest-request";
import type { IngestPlan, ProjectStatePlan } from "./ingest-plan";
import { mergeProjectState } from "./project-state-rules";
import { replacesStoredContext } from "./replacement-rule";

/** How an ingest ended in the database. */
export interface StoredIngest {
  status: "stored" | "updated" | "duplicate";
  /** The context written, or for a duplicate the one the key (or the session) already has; null if gone. */
  contextId: string | null;
  decisions: number;
  snippets: number;
}

/** The receipt of an idempotency key already spent, if it was. */
export async function findReceipt(db: Database, idempotencyKey: string): Promise<{ contextId: string | null } | undefined> {
  const receipt = await IngestReceiptModel.findOne({ where: { idempotency_key: idempotencyKey }, attributes: ["context_id"], raw: true });
  return receipt ? { contextId: receipt.context_id } : undefined;
}

/**
 * Stores one ingest in one transaction: spends the idempotency key (a key spent meanwhile makes
 * it a duplicate), writes or replaces the Claude session's context and everything derived from
 * it (decisions, snippets, tags), brings the project state up to date, drops the upload's parts
 * and writes the audit event (which never holds transcript text).
 */
export async function storeIngest(db: Database, command: IngestCommand, plan: IngestPlan, ctx: MutationContext): Promise<StoredIngest> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((transaction) => storeIn(transaction, command, plan, ctx));
    } catch (error) {
      if (error instanceof UniqueConstraintError && isReceiptClash(error)) {
        const receipt = await findReceipt(db, command.idempotencyKey);
        return { status: "duplicate", contextId: receipt?.contextId ?? null, decisions: 0, snippets: 0 };
      }
      // Two saves of one new session at once: the loser finds the winner's context on its next try.
      // (A lost deadlock is run again by db.transaction itself.)
      if (attempt < maxAttempts && error instanceof UniqueConstraintError) continue;
      throw error;
    }
  }
}

/** How many times an ingest that lost a race is tried. */
const maxAttempts = 3;

function isReceiptClash(error: UniqueConstraintError): boolean {
  const text = `${error.message} ${String((error.parent as { message?: string } | undefined)?.message ?? "")}`;
  return text.includes("ingest_receipts");
}

async function storeIn(transaction: Transaction, command: IngestCommand, plan: IngestPlan, ctx: MutationContext): Promise<StoredIngest> {
  const now = new Date();
  const receiptId = uuidv7();
  await IngestReceiptModel.create(
    {
      id: receiptId,
      idempotency_key: command.idempotencyKey,
      claude_session_id: command.claudeSessionId,
      context_id: null,
      status: "stored",
      created_at: now,
    },
    { transaction },
  );
  const scope = command.scope;
  const scopeColumns = {
    project_id: scope.projectId,
    client_id: scope.clientId,
    machine_id: scope.machineId,
    machine_name: scope.machineName,
    repository: scope.repository,
  };
  const c = plan.context;
  const contextColumns = {
    ...scopeColumns,
    session_id: command.workSessionId,
    claude_session_id: command.claudeSessionId,
    idempotency_key: command.idempotencyKey,
    cwd: c.cwd ?? scope.cwd,
    git_branch: c.gitBranch,
    context_type: "session_summary",
    title: c.title,
    dense_summary: c.denseSummary,
    key_decisions: c.keyDecisions,
    current_state: c.currentState,
    tags: c.tags,
    importance: c.importance,
    source_tokens: c.sourceTokens,
    summary_tokens: c.summaryTokens,
    content_hash: c.contentHash,
    started_at: c.startedAt,
    ended_at: c.endedAt,
    updated_at: now,
  };
  const claim = await claimContext(command.claudeSessionId, contextColumns, transaction);
  const existing = claim.existing;
  const contextId = claim.id;
  if (existing && !replacesStoredContext(c.sourceTokens, existing.sourceTokens)) {
    // An earlier, shorter save of a session already stored further: nothing to add.
    await IngestReceiptModel.update({ context_id: existing.id, status: "stale" }, { where: { id: receiptId }, transaction });
    await dropParts(command, transaction);
    return { status: "duplicate", contextId: existing.id, decisions: 0, snippets: 0 };
  }
  if (existing) {
    await removeDerivedRows(contextId, plan.keepStoredCredentialReferences === true, transaction);
    await ConversationContextModel.update(
      { ...contextColumns, revision: existing.revision + 1 },
      { where: { id: contextId }, transaction },
    );
  }

  // Snippets and decisions are dated by the session's work, not by when it reached the platform.
  const occurredAt = c.endedAt ?? c.startedAt ?? null;
  const { count: decisions, superseded } = await insertDecisions(contextId, command, plan, occurredAt, transaction);
  const snippetOwners = await insertSnippets(contextId, scopeColumns, plan, occurredAt, transaction);
  const contextOwner: TagOwner = { type: "context", id: contextId, tags: c.tags, projectId: scope.projectId, clientId: scope.clientId };
  await addToTagIndex([contextOwner, ...snippetOwners], transaction);
  if (plan.projectState) await upsertProjectState(command, contextId, plan.projectState, occurredAt, transaction);

  const status = existing ? "updated" : "stored";
  await IngestReceiptModel.update({ context_id: contextId, status }, { where: { id: receiptId }, transaction });
  await dropParts(command, transaction);
  await writeAuditEvent(transaction, ctx, {
    resourceType: "conversation_context",
    resourceId: contextId,
    action: existing ? "update" : "create",
    summary: {
      claude_session_id: command.claudeSessionId,
      idempotency_key: command.idempotencyKey,
      trigger: command.trigger,
      parts: command.partCount,
      source_tokens: c.sourceTokens,
      summary_tokens: c.summaryTokens,
      decisions,
      snippets: snippetOwners.length,
    },
  });
  // Earlier decisions (of other sessions too) that this session's decisions superseded.
  await writeAuditEvents(transaction, ctx, supersessionEvents(superseded));
  return { status, contextId, decisions, snippets: snippetOwners.length };
}

/** The context of a Claude session as it was before this ingest. */
interface StoredContext {
  id: string;
  revision: number;
  sourceTokens: number;
}

/**
 * Writes the Claude session's context when it has none yet, else locks the one it has and hands
 * it back for replacement. The insert comes first because locking a row that does not exist yet
 * (SELECT ... FOR UPDATE) takes gap locks on MariaDB, and two new saves of one session would
 * deadlock on them; a second insert simply waits for the first and then finds its row.
 */
async function claimContext(
  claudeSessionId: string,
  columns: Record<string, unknown>,
  transaction: Transaction,
): Promise<{ id: string; existing: StoredContext | undefined }> {
  const find = (lock: boolean) =>
    ConversationContextModel.findOne({
      where: { claude_session_id: claudeSessionId },
      attributes: ["id", "revision", "source_tokens"],
      raw: true,
      transaction,
      ...(lock ? { lock: transaction.LOCK.UPDATE } : {}),
    });
  if (!(await find(false))) {
    const id = uuidv7();
    try {
      await ConversationContextModel.create({ ...columns, id, revision: 1, created_at: columns["updated_at"] }, { transaction });
      return { id, existing: undefined };
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
    }
  }
  const row = await find(true);
  if (!row) throw new Error(`the context of Claude session ${claudeSessionId} disappeared during the ingest`);
  return { id: row.id, existing: { id: row.id, revision: Number(row.revision), sourceTokens: Number(row.source_tokens) } };
}

/**
 * The snippets, decisions and tags written from a context, before its replacement is written;
 * its credential references stay when `keepCredentialReferences` (the vault could not be asked).
 */
async function removeDerivedRows(contextId: string, keepCredentialReferences: boolean, transaction: Transaction): Promise<void> {
  const derived: WhereOptions = keepCredentialReferences
    ? { context_id: contextId, category: { [Op.ne]: "credential_reference" } }
    : { context_id: contextId };
  const snippets = await ContextSnippetModel.findAll({ where: derived, attributes: ["id"], raw: true, transaction });
  await removeFromTagIndex(
    "snippet",
    snippets.map((s) => s.id),
    transaction,
  );
  await removeFromTagIndex("context", [contextId], transaction);
  await ContextSnippetModel.destroy({ where: derived, transaction });
  // Decisions these superseded are freed by ON DELETE SET NULL and superseded again below.
  await DecisionLogModel.destroy({ where: { context_id: contextId }, transaction });
}

/** Writes the plan's decisions; returns how many, and the earlier decisions they superseded. */
async function insertDecisions(
  contextId: string,
  command: IngestCommand,
  plan: IngestPlan,
  occurredAt: Date | null,
  transaction: Transaction,
): Promise<{ count: number; superseded: SupersededDecision[] }> {
  if (plan.decisions.length === 0) return { count: 0, superseded: [] };
  const now = new Date();
  const scope = command.scope;
  const rows = plan.decisions.map((d) => ({
    id: uuidv7(),
    revision: 1,
    created_at: now,
    updated_at: now,
    project_id: scope.projectId,
    client_id: scope.clientId,
    session_id: command.workSessionId,
    context_id: contextId,
    repository: scope.repository,
    machine_id: scope.machineId,
    machine_name: scope.machineName,
    decision_type: d.decisionType,
    decision: d.decision,
    rationale: d.rationale,
    alternatives: [],
    impact: "medium",
    tags: d.tags,
    subject: d.subject,
    subject_key: d.subjectKey,
    occurred_at: occurredAt,
  }));
  await DecisionLogModel.bulkCreate(rows, { transaction });
  // The newest decision of each subject supersedes every earlier one (this session's included).
  const newest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (row.subject_key !== null) newest.set(row.subject_key, row);
  const superseded: SupersededDecision[] = [];
  for (const row of newest.values()) {
    superseded.push(
      ...(await settleSupersession(
        { id: row.id, subjectKey: row.subject_key, projectId: row.project_id, repository: row.repository },
        transaction,
      )),
    );
  }
  return { count: rows.length, superseded };
}

async function insertSnippets(
  contextId: string,
  scope: {
    project_id: string | null;
    client_id: string | null;
    machine_id: string | null;
    machine_name: string | null;
    repository: string | null;
  },
  plan: IngestPlan,
  occurredAt: Date | null,
  transaction: Transaction,
): Promise<TagOwner[]> {
  const known = await storedHashes(plan, scope, transaction);
  const now = new Date();
  const rows = [];
  for (const s of plan.snippets) {
    if (known.has(s.contentHash)) continue;
    known.add(s.contentHash);
    rows.push({
      id: uuidv7(),
      revision: 1,
      created_at: now,
      updated_at: now,
      ...scope,
      context_id: contextId,
      category: s.category,
      title: s.title,
      dense_content: s.denseContent,
      structured_data: s.structuredData,
      tags: s.tags,
      importance: s.importance,
      content_hash: s.contentHash,
      occurred_at: occurredAt,
    });
  }
  if (rows.length > 0) await ContextSnippetModel.bulkCreate(rows, { transaction });
  return rows.map((r) => ({ type: "snippet" as const, id: r.id, tags: r.tags, projectId: scope.project_id, clientId: scope.client_id }));
}

/**
 * The content hashes among the plan's snippets that are stored already: in the same project for
 * most snippets; anywhere in the client for credential references, which point to the client's
 * vault and so are the same fact whichever of its projects a session was for.
 */
async function storedHashes(
  plan: IngestPlan,
  scope: { project_id: string | null; client_id: string | null; repository: string | null },
  transaction: Transaction,
): Promise<Set<string>> {
  const known = new Set<string>();
  const hashesOf = (credentialReferences: boolean) => [
    ...new Set(plan.snippets.filter((s) => (s.category === "credential_reference") === credentialReferences).map((s) => s.contentHash)),
  ];
  const project = sameProject({ projectId: scope.project_id, repository: scope.repository });
  const client: WhereOptions | undefined =
    scope.client_id === null ? project : { client_id: scope.client_id, category: "credential_reference" };
  // One read per index: (project_id or repository, content_hash) and content_hash within the client.
  for (const [where, hashes] of [
    [project, hashesOf(false)],
    [client, hashesOf(true)],
  ] as const) {
    if (where === undefined || hashes.length === 0) continue;
    const rows = await ContextSnippetModel.findAll({
      where: { [Op.and]: [where, { content_hash: { [Op.in]: hashes } }] },
      attributes: ["content_hash"],
      raw: true,
      transaction,
    });
    for (const row of rows) known.add(row.content_hash);
  }
  return known;
}

/** The later of two times, either of which may be unknown. */
function newest(a: Date | string | null, b: Date | null): Date | null {
  const first = a === null ? null : new Date(a);
  if (first === null || Number.isNaN(first.getTime())) return b;
  return b === null || first.getTime() > b.getTime() ? first : b;
}

/**
 * Brings the project's state (by project, or by repository until the project is known) up to
 * date. A state kept by repository is adopted by the project once the session names it.
 */
async function upsertProjectState(
  command: IngestCommand,
  contextId: string,
  plan: ProjectStatePlan,
  occurredAt: Date | null,
  transaction: Transaction,
): Promise<void> {
  const scope = command.scope;
  const key = projectStateKey(scope);
  if (key === undefined) return;
  const byRepository = scope.repository === null ? undefined : projectStateKey({ projectId: null, repository: scope.repository });
  const keys = byRepository !== undefined && byRepository !== key ? [key, byRepository] : [key];
  const candidates = await ProjectStateModel.findAll({
    where: { scope_key: { [Op.in]: keys } },
    raw: true,
    transaction,
    lock: transaction.LOCK.UPDATE,
  });
  const current = candidates.find((s) => s.scope_key === key) ?? candidates[0];
  const now = new Date();
  const merged = mergeProjectState(
    current
      ? {
          current_phase: current.current_phase,
          next_actions: jsonList(current.next_actions),
          blockers: jsonList(current.blockers),
          summary: current.summary,
          key_files: jsonList(current.key_files),
          important_decisions: jsonList(current.important_decisions),
        }
      : undefined,
    plan,
  );
  const columns = {
    ...merged,
    project_id: scope.projectId,
    repository: scope.repository ?? current?.repository ?? null,
    scope_key: key,
    client_id: scope.clientId ?? current?.client_id ?? null,
    last_session_id: command.workSessionId ?? current?.last_session_id ?? null,
    last_context_id: contextId,
    machine_id: scope.machineId,
    machine_name: scope.machineName,
    occurred_at: newest(current?.occurred_at ?? null, occurredAt),
    updated_at: now,
  };
  if (current) {
    await ProjectStateModel.update({ ...columns, revision: literal("revision + 1") }, { where: { id: current.id }, transaction });
  } else {
    await ProjectStateModel.create({ ...columns, id: uuidv7(), revision: 1, created_at: now }, { transaction });
  }
}

async function dropParts(command: IngestCommand, transaction: Transaction): Promise<void> {
  if (command.partCount > 1) await IngestPartModel.destroy({ where: { idempotency_key: command.idempotencyKey }, transaction });
}
