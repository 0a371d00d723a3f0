import type { Principal } from "@msp/auth";
import type { CallContext } from "@msp/grpc-kit";
import { DomainError } from "@msp/errors";
import type { WhereOptions } from "sequelize";
import { Op, literal } from "sequelize";
import type { Database } from "@msp/db";
import { CredentialPermissionModel } from "../models";

/** How much a principal may do with one credential; each level includes those before it. */
export type Level = "read" | "reveal" | "write" | "admin";

const levels: readonly Level[] = ["read", "reveal", "write", "admin"];

const rank: Record<Level, number> = { read: 1, reveal: 2, write: 3, admin: 4 };

export function atLeast(held: Level | undefined, needed: Level): boolean {
  return held !== undefined && rank[held] >= rank[needed];
}

/** The verified caller of a vault method (every vault method needs a token). */
export function callerOf(ctx: CallContext): Principal {
  if (!ctx.auth) throw new DomainError("unauthenticated", "the vault needs an authenticated caller");
  return ctx.auth;
}

/** The ids a permission row may name for this caller: their user id, and their API key's id. */
export function principalIds(principal: Principal): string[] {
  return [...new Set([principal.userId, principal.kind === "api_key" ? principal.subject : principal.userId])];
}

/** The highest level the caller holds on a credential (admins hold admin on every one). */
export async function levelOn(credentialId: string, principal: Principal): Promise<Level | undefined> {
  if (principal.role === "admin") return "admin";
  const rows = await CredentialPermissionModel.findAll({
    where: { credential_id: credentialId, principal: principalIds(principal) },
    attributes: ["level"],
    raw: true,
  });
  let best: Level | undefined;
  for (const row of rows) {
    const level = row.level as Level;
    if (!atLeast(best, level)) best = level;
  }
  return best;
}

/** Throws permission_denied unless the caller holds `needed` on the credential. */
export async function requireLevel(credentialId: string, principal: Principal, needed: Level): Promise<void> {
  if (!atLeast(await levelOn(credentialId, principal), needed)) throw noPermission(credentialId, needed);
}

export function noPermission(credentialId: string, needed: Level): DomainError {
  return new DomainError("permission_denied", `you need ${needed} permission on credential ${credentialId} (ask its admin to grant it)`);
}

/**
 * The credentials a caller may read, as a condition on credentials.id for List and the reports:
 * everything for admins, else those with a permission naming the caller.
 */
export function readableBy(db: Database, principal: Principal, idColumn = "id", minimum: Level = "read"): WhereOptions | undefined {
  if (principal.role === "admin") return undefined;
  const escape = (value: string) => db.sequelize.escape(value);
  const ids = principalIds(principal).map(escape).join(", ");
  const allowed = levels
    .filter((level) => atLeast(level, minimum))
    .map(escape)
    .join(", ");
  return {
    [idColumn]: {
      [Op.in]: literal(`(SELECT credential_id FROM credential_permissions WHERE principal IN (${ids}) AND level IN (${allowed}))`),
    },
  };
}
