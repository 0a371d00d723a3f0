import type { Transaction } from "sequelize";
import type { CallContext } from "@msp/grpc-kit";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";
import { redact } from "@msp/redaction";
import type { MutationContext } from "@msp/resource-kit";
import { writeAuditEvent } from "@msp/resource-kit";
import { CredentialAccessModel } from "../models";

export type AccessAction = "reveal" | "create" | "update" | "rotate" | "delete" | "totp";
export type AccessOutcome = "ok" | "denied" | "failed";

/** One access to a credential, as the access log keeps it. */
export interface AccessEntry {
  credentialId: string;
  action: AccessAction;
  outcome: AccessOutcome;
  reason?: string | undefined;
  detail?: string | undefined;
  version?: number | undefined;
}

/** The user id of the caller, when the context carries a verified principal. */
function principalIdOf(ctx: MutationContext): string | null {
  const auth = (ctx as Partial<CallContext>).auth;
  return auth ? auth.userId : null;
}

/**
 * Text a caller gave (a reveal's reason, its user agent) as the access log keeps it: secrets
 * redacted as in every other free-text field (libs/resource-kit free-text.ts), then cut to `max`.
 */
function redactedText(text: string | undefined, max: number): string | null {
  return text === undefined ? null : redact(text).slice(0, max);
}

/** Writes an access-log row in `transaction`. */
export async function logAccess(transaction: Transaction, ctx: MutationContext, entry: AccessEntry): Promise<void> {
  await CredentialAccessModel.create(accessRow(ctx, entry), { transaction });
}

/** The access-log row of one access, as logAccess writes it. */
export function accessRow(ctx: MutationContext, entry: AccessEntry): Record<string, unknown> {
  return {
    id: uuidv7(),
    credential_id: entry.credentialId,
    action: entry.action,
    principal: ctx.principal.slice(0, 255),
    principal_id: principalIdOf(ctx),
    source_ip: ctx.sourceIp?.slice(0, 64) ?? null,
    user_agent: redactedText((ctx as Partial<CallContext>).userAgent, 255),
    reason: redactedText(entry.reason, 500),
    outcome: entry.outcome,
    detail: redactedText(entry.detail, 500),
    version: entry.version ?? null,
    at: new Date(),
  };
}

/**
 * Records an access that did not go through (refused, or a secret that would not decrypt): the
 * access-log row and its audit event, in a transaction of their own.
 */
export async function logRefusal(db: Database, ctx: MutationContext, entry: AccessEntry): Promise<void> {
  await db.transaction(async (transaction) => {
    await logAccess(transaction, ctx, entry);
    await writeAuditEvent(transaction, ctx, {
      resourceType: "credential",
      resourceId: entry.credentialId,
      action: entry.action === "reveal" || entry.action === "totp" ? "reveal" : "other",
      outcome: entry.outcome,
      summary: {
        access: entry.action,
        ...(entry.reason ? { reason: entry.reason } : {}),
        ...(entry.detail ? { detail: entry.detail } : {}),
      },
    });
  });
}
