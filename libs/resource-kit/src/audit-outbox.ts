import type { Transaction } from "sequelize";
import { Column, DataType, Model, Table } from "sequelize-typescript";
import { uuidv7 } from "@msp/db";
import { redact } from "@msp/redaction";
import { isSecretKey, redactSecrets, redacted } from "./redact";

/** Who is changing what, carried from the RPC boundary into every mutation. */
export interface MutationContext {
  /** The service writing the event, such as work-service. */
  service: string;
  /** The full RPC name, such as msp.work.v1.ClientService/CreateClient. */
  method: string;
  /** The authenticated user or machine. */
  principal: string;
  sourceIp?: string | undefined;
}

export type AuditAction = "create" | "update" | "delete" | "reveal" | "login" | "logout" | "revoke" | "other";

/** A row of audit_outbox; written in the same transaction as the change it records. */
@Table({ tableName: "audit_outbox", timestamps: false })
export class AuditOutboxModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column({ type: DataType.DATE(3), allowNull: false }) declare occurred_at: Date;
  @Column({ type: DataType.STRING(64), allowNull: false }) declare service: string;
  @Column({ type: DataType.STRING(128), allowNull: false }) declare method: string;
  @Column({ type: DataType.STRING(255), allowNull: false }) declare principal: string;
  @Column({ type: DataType.STRING(64), allowNull: false }) declare resource_type: string;
  @Column({ type: DataType.STRING(64) }) declare resource_id: string | null;
  @Column({ type: DataType.STRING(16), allowNull: false }) declare action: AuditAction;
  @Column({ type: DataType.STRING(16), allowNull: false }) declare outcome: "ok" | "denied" | "failed";
  @Column({ type: DataType.JSON }) declare request_summary: Record<string, unknown> | null;
  @Column({ type: DataType.STRING(64) }) declare source_ip: string | null;
}

/**
 * Copies a change for the audit log with every secret replaced (secret-looking fields at the top,
 * and anything redactSecrets finds in nested JSON) and long text cut short.
 */
export function redactSummary(summary: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(summary)) {
    if (isSecretKey(key) && !describesSecret.test(key)) out[key] = redacted;
    else if (typeof value === "string") out[key] = shortened(redact(value));
    else out[key] = redactTexts(redactSecrets(value));
  }
  return out;
}

/** Keys that name something about a secret, not the secret: credential_type, token_count, api_key_id. */
const describesSecret = /_(type|id|ids|at|count|version|level)$/i;

function shortened(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}... (${text.length} characters)` : text;
}

/**
 * Free text may carry a secret whatever its key (a session summary with "the wifi password is
 * ...", a command with -p'...'): the hooks' redactor (libs/redaction) runs over every string.
 */
function redactTexts(value: unknown): unknown {
  if (typeof value === "string") return shortened(redact(value));
  if (Array.isArray(value)) return value.map(redactTexts);
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactTexts(item)]));
  }
  return value;
}

/** One change for the audit log: what was done to which resource, and what the request changed. */
export interface AuditEventInput {
  resourceType: string;
  resourceId: string | null;
  action: AuditAction;
  outcome?: "ok" | "denied" | "failed";
  summary?: Record<string, unknown>;
}

/** The audit_outbox row of one event, as writeAuditEvent writes it (for Database.insertTogether). */
export function outboxRow(ctx: MutationContext, event: AuditEventInput, at: Date): Record<string, unknown> {
  return {
    id: uuidv7(),
    occurred_at: at,
    service: ctx.service,
    method: ctx.method,
    principal: ctx.principal,
    resource_type: event.resourceType,
    resource_id: event.resourceId,
    action: event.action,
    outcome: event.outcome ?? "ok",
    request_summary: event.summary ? redactSummary(event.summary) : null,
    source_ip: ctx.sourceIp ?? null,
  };
}

export async function writeAuditEvent(transaction: Transaction, ctx: MutationContext, event: AuditEventInput): Promise<void> {
  await AuditOutboxModel.create(outboxRow(ctx, event, new Date()), { transaction });
}

/** Rows per INSERT of writeAuditEvents: keeps statements small on both dialects. */
const eventsPerInsert = 200;

/**
 * The events of the records one change rewrote besides its own (figures derived again, links
 * cleared): one per record, in the order given, under the same method and principal.
 */
export async function writeAuditEvents(transaction: Transaction, ctx: MutationContext, events: readonly AuditEventInput[]): Promise<void> {
  await writeCallsAuditEvents(
    transaction,
    events.map((event) => ({ ctx, event })),
  );
}

/** One call's change among several committed together, for writeCallsAuditEvents. */
export interface CallAuditEvent {
  ctx: MutationContext;
  event: AuditEventInput;
}

/**
 * The events of several calls' changes that commit in one transaction (a batch of creates written
 * together): each under its own call's method and principal, in the order given.
 */
export async function writeCallsAuditEvents(transaction: Transaction, events: readonly CallAuditEvent[]): Promise<void> {
  const at = new Date();
  for (let i = 0; i < events.length; i += eventsPerInsert) {
    await AuditOutboxModel.bulkCreate(
      events.slice(i, i + eventsPerInsert).map(({ ctx, event }) => outboxRow(ctx, event, at)),
      { transaction },
    );
  }
}
