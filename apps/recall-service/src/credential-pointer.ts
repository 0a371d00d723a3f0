import { isUuid } from "@msp/db";

/**
 * A vault credential that memory points to: what names it, never its secret. Kept in the
 * structured_data of a credential_reference snippet; recall shows it as one pointer line.
 */
export interface CredentialPointer {
  id: string;
  name: string;
  /** Lower-case; "" when the credential names no host. */
  host: string;
  /** "" when it names no account. */
  username: string;
  /** password, api_key, ssh_key...; "" when unspecified. */
  type: string;
}

/**
 * The tag every credential_reference snippet carries: recall finds a client's pointers through
 * the tag index (tag, client_id) by it, whatever else the client's memory holds.
 */
export const credentialPointerTag = "vault-credential";

/** The command that reveals a credential (the vault asks for a reason and logs it). */
export function revealCommand(credentialId: string): string {
  return `msp cred reveal ${credentialId} --reason "<why you need it>"`;
}

/** administrator@dc01, dc01 or administrator: what the credential is for, in one word. */
export function accountAtHost(pointer: Pick<CredentialPointer, "host" | "username" | "name">): string {
  if (pointer.username && pointer.host) return `${pointer.username}@${pointer.host}`;
  return pointer.username || pointer.host || pointer.name;
}

/**
 * What recall shows of a pointer: the credential's name, what it is for, and how to reveal it (by
 * id). Name and account are cut short so the command always fits in a recalled line (480 characters).
 */
export function pointerText(pointer: CredentialPointer): string {
  const kind = pointer.type ? `${pointer.type.replace(/_/g, " ")} ` : "";
  const name = cut(pointer.name, 100);
  const what = cut(accountAtHost(pointer), 120);
  return `vault credential "${name}" (${kind}for ${what}); the secret is never in memory: ${revealCommand(pointer.id)}`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The pointer a snippet's structured data holds ({credential_id, name, host, username}), or undefined. */
export function credentialPointerOf(data: unknown): CredentialPointer | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const fields = data as Record<string, unknown>;
  const text = (key: string) => {
    const value = fields[key];
    return typeof value === "string" ? value.trim() : "";
  };
  const id = text("credential_id").toLowerCase();
  if (!isUuid(id)) return undefined;
  return {
    id,
    name: text("name") || "unnamed",
    host: text("host").toLowerCase(),
    username: text("username"),
    type: text("credential_type"),
  };
}
