import type { Principal } from "@msp/auth";
import type { Database } from "@msp/db";
import { isUuid } from "@msp/db";
import { invalidArgument } from "@msp/errors";
import type { ResourceStore, StoredRecord } from "@msp/resource-kit";
import type { WhereOptions } from "sequelize";
import { Op } from "sequelize";
import type {
  Credential,
  CredentialReference,
  ListExpiringCredentialsRequest,
  ListRevealedSinceChangeRequest,
  RevealedSecret,
} from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { CredentialType } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { CredentialModel } from "../models";
import { readableBy } from "./access";
import { checkId } from "./credential-secrets";

const dayMs = 86_400_000;

/** Active credentials the caller may read whose expires_at falls within `within_days` (or has passed). */
export async function expiringCredentials(
  db: Database,
  store: ResourceStore<Credential>,
  request: ListExpiringCredentialsRequest,
  caller: Principal,
): Promise<Credential[]> {
  const days = request.withinDays === 0 ? 30 : request.withinDays;
  if (days < 0 || days > 3650) throw invalidArgument("within_days", "must be between 0 and 3650");
  const where: WhereOptions[] = [{ is_active: true }, { expires_at: { [Op.ne]: null, [Op.lte]: new Date(Date.now() + days * dayMs) } }];
  if (request.clientId !== "") where.push({ client_id: checkId(request.clientId, "client_id") });
  const readable = readableBy(db, caller);
  if (readable) where.push(readable);
  const rows = await CredentialModel.findAll({ where: { [Op.and]: where }, order: [["expires_at", "ASC"]], limit: 500, raw: true });
  return rows.map((row) => store.toMessage(row as unknown as StoredRecord));
}

interface RevealRow {
  credential_id: string;
  credential_name: string;
  principal: string;
  principal_id: string | null;
  reveal_count: number | string;
  last_revealed_at: Date | string;
  rotated_at: Date | string | null;
}

/**
 * Who revealed a credential's current secret, or which current secrets a principal has seen: reveals
 * that succeeded of the version still in use (a rotated secret is off the list).
 */
export async function revealedSinceChange(db: Database, request: ListRevealedSinceChangeRequest): Promise<RevealedSecret[]> {
  const byCredential = request.credentialId !== "";
  const byPrincipal = request.principalId !== "";
  if (byCredential === byPrincipal) throw invalidArgument("credential_id", "give exactly one of credential_id and principal_id");
  const id = byCredential ? checkId(request.credentialId, "credential_id") : request.principalId.trim();
  if (!byCredential && (id.length > 64 || !isUuid(id))) throw invalidArgument("principal_id", "must be a user or API key id (a UUID)");
  const rows = await db.select<RevealRow>(
    `SELECT c.id AS credential_id, c.name AS credential_name, MAX(l.principal) AS principal, l.principal_id,
            COUNT(*) AS reveal_count, MAX(l.at) AS last_revealed_at, c.rotated_at
       FROM credential_access_log l JOIN credentials c ON c.id = l.credential_id
      WHERE l.action = 'reveal' AND l.outcome = 'ok' AND l.version = c.secret_version
        AND ${byCredential ? "c.id = ?" : "l.principal_id = ?"}
      GROUP BY c.id, c.name, l.principal_id, c.rotated_at
      ORDER BY last_revealed_at DESC
      LIMIT 1000`,
    [id],
  );
  return rows.map((row) => ({
    credentialId: row.credential_id,
    credentialName: row.credential_name,
    principal: row.principal,
    principalId: row.principal_id ?? "",
    revealCount: Number(row.reveal_count),
    lastRevealedAt: new Date(row.last_revealed_at),
    rotatedAt: row.rotated_at === null ? undefined : new Date(row.rotated_at),
  }));
}

/** Normalized names to match: trimmed, lower-case, at most 50 of each. */
function namesOf(values: readonly string[], field: string): string[] {
  if (values.length > 50) throw invalidArgument(field, "at most 50");
  return [...new Set(values.map((v) => v.trim().toLowerCase()).filter((v) => v !== "" && v.length <= 255))];
}

/**
 * The client's active credentials (that the caller may read) whose host or username matches what a
 * session saw: names and ids only, for memory to point to.
 */
export async function credentialReferences(
  db: Database,
  request: { clientId: string; hosts: string[]; usernames: string[] },
  caller: Principal,
): Promise<CredentialReference[]> {
  const clientId = checkId(request.clientId, "client_id");
  const hosts = namesOf(request.hosts, "hosts");
  const usernames = namesOf(request.usernames, "usernames");
  if (hosts.length === 0 && usernames.length === 0) return [];
  const match: WhereOptions[] = [];
  if (hosts.length > 0) match.push({ host: hosts });
  // A short name ("dc01") also matches the host's full name ("dc01.contoso.local").
  const shortNames = hosts.filter((h) => /^[a-z0-9-]+$/.test(h));
  for (const name of shortNames) match.push({ host: { [Op.like]: `${name}.%` } });
  if (usernames.length > 0) match.push(db.sequelize.where(db.sequelize.fn("LOWER", db.sequelize.col("username")), { [Op.in]: usernames }));
  const where: WhereOptions[] = [{ client_id: clientId }, { is_active: true }, { [Op.or]: match }];
  const readable = readableBy(db, caller);
  if (readable) where.push(readable);
  const rows = await CredentialModel.findAll({
    where: { [Op.and]: where },
    attributes: ["id", "name", "username", "host", "credential_type"],
    limit: 100,
    raw: true,
  });
  const scored = rows.map((row) => {
    const onHost = row.host !== null && (hosts.includes(row.host) || shortNames.some((name) => row.host?.startsWith(`${name}.`)));
    const asUser = row.username !== null && usernames.includes(row.username.toLowerCase());
    return { row, onHost, asUser, score: (onHost ? 2 : 0) + (asUser ? 1 : 0) };
  });
  scored.sort((a, b) => b.score - a.score || a.row.name.localeCompare(b.row.name));
  return scored.slice(0, 20).map(({ row, onHost, asUser }) => ({
    id: row.id,
    name: row.name,
    username: row.username ?? "",
    host: row.host ?? "",
    credentialType: credentialTypeOf(row.credential_type),
    matched: onHost && asUser ? "host and username" : onHost ? "host" : "username",
  }));
}

function credentialTypeOf(stored: string): CredentialType {
  const value = (CredentialType as unknown as Record<string, CredentialType>)[`CREDENTIAL_TYPE_${stored.toUpperCase()}`];
  return value ?? CredentialType.CREDENTIAL_TYPE_UNSPECIFIED;
}
