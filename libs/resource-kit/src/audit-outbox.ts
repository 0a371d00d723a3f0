import type { Transaction } from "sequelize";
import { Column, DataType, Model, Table } from "sequelize-typescript";
import { uuidv7 } from "@msp/db";
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
    if (isSecretKey(key)) out[key] = redacted;
    else if (typeof value === "string" && value.length > 2000) out[key] = `${value.slice(0, 2000)}... (${value.length} characters)`;
    else out[key] = redactSecrets(value);
  }
  return out;
}

export async function writeAuditEvent(
  transaction: Transaction,
  ctx: MutationContext,
  event: {
    resourceType: string;
    resourceId: string | null;
    action: AuditAction;
    outcome?: "ok" | "denied" | "failed";
    summary?: Record<string, unknown>;
  },
): Promise<void> {
  await AuditOutboxModel.create(
    {
      id: uuidv7(),
      occurred_at: new Date(),
      service: ctx.service,
      method: ctx.method,
      principal: ctx.principal,
      resource_type: event.resourceType,
      resource_id: event.resourceId,
      action: event.action,
      outcome: event.outcome ?? "ok",
      request_summary: event.summary ? redactSummary(event.summary) : null,
      source_ip: ctx.sourceIp ?? null,
    },
    { transaction },
  );
}
