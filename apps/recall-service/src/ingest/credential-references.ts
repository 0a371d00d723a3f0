import type { CallContext } from "@msp/grpc-kit";
import type { RedactionContext } from "@msp/redaction";
import { redactionContexts } from "@msp/redaction";
import { contentHash } from "../content-hash";
import type { CredentialPointer } from "../credential-pointer";
import { accountAtHost, credentialPointerTag, revealCommand } from "../credential-pointer";
import { redactDeep } from "../redact-stored";
import { normalizeTags } from "../tags";
import type { IngestPlan, SnippetPlan } from "./ingest-plan";
import type { CredentialLookup, VaultCredentials } from "./vault-credentials";

/** The vault takes at most this many hosts and as many accounts in one lookup. */
export const maxLookupNames = 50;
/** A transcript's redaction contexts kept at most (each distinct one once). */
const maxContexts = 200;
/** Characters of texts remembered as read: a transcript redacts the same command many times. */
const maxRememberedChars = 4_000_000;

/**
 * The hosts and accounts seen around the secrets of one transcript, gathered while its texts are
 * redacted: each redacted text is read for markers (new ones, or those the machine put there).
 */
export class RedactionSightings {
  private readonly contexts = new Map<string, RedactionContext>();
  private readonly read = new Set<string>();
  private readChars = 0;

  /** Reads a redacted text's markers; texts without any cost one search. */
  note(redacted: string): void {
    if (!redacted.includes("[REDACTED:") || this.contexts.size >= maxContexts || this.read.has(redacted)) return;
    if (this.readChars + redacted.length <= maxRememberedChars) {
      this.read.add(redacted);
      this.readChars += redacted.length;
    }
    for (const context of redactionContexts(redacted, maxContexts)) {
      if (context.hosts.length === 0 && context.usernames.length === 0) continue;
      const key = JSON.stringify([context.hosts, context.usernames]);
      if (!this.contexts.has(key)) this.contexts.set(key, context);
      if (this.contexts.size >= maxContexts) return;
    }
  }

  /** The distinct contexts that name a host or an account, in the order first seen. */
  list(): RedactionContext[] {
    return [...this.contexts.values()];
  }
}

/** What an ingest found to point to, and whether the vault could be asked at all. */
export interface FoundReferences {
  snippets: SnippetPlan[];
  /** The vault was down, refused or slow: nothing is known, so nothing stored before is dropped. */
  lookupFailed: boolean;
}

/**
 * The credential_reference snippets of an ingest: when the session's scope names a client and
 * its redacted secrets had hosts or accounts around them, the client's vault credentials for
 * those (that the caller may read). Fail-soft: if the vault is down, refuses or is slow, the
 * ingest goes on without new ones (keeping those stored before) and a warning is logged.
 */
export async function credentialReferences(
  vault: VaultCredentials,
  ctx: CallContext,
  clientId: string | null,
  contexts: readonly RedactionContext[],
): Promise<FoundReferences> {
  const none: FoundReferences = { snippets: [], lookupFailed: false };
  if (clientId === null || contexts.length === 0) return none;
  const lookup = vaultLookupOf(clientId, contexts);
  if (lookup.hosts.length === 0 && lookup.usernames.length === 0) return none;
  try {
    const pointers = pointedCredentials(await vault.findReferences(ctx, lookup), contexts);
    return { snippets: pointers.map(credentialSnippet), lookupFailed: false };
  } catch (error) {
    ctx.logger.warn(
      { err: error, clientId, hosts: lookup.hosts.length, usernames: lookup.usernames.length },
      "no new credential references for this ingest: the vault lookup failed (the memory is stored without them)",
    );
    return { snippets: [], lookupFailed: true };
  }
}

/** The plan with the references added, each once (by content hash, as withKeys keeps the others). */
export function withReferences(plan: IngestPlan, found: FoundReferences): IngestPlan {
  if (found.lookupFailed) return { ...plan, keepStoredCredentialReferences: true };
  if (found.snippets.length === 0) return plan;
  const seen = new Set(plan.snippets.map((s) => s.contentHash));
  const fresh = found.snippets.filter((s) => !seen.has(s.contentHash) && seen.add(s.contentHash));
  return { ...plan, snippets: [...plan.snippets, ...fresh] };
}

/**
 * The lookup of a set of contexts: their hosts (and the short name of each dotted name, as
 * a credential may be kept under `dc01` for `dc01.contoso.local`) and their accounts (and the
 * bare account of `CONTOSO\svc` and `svc@contoso.com`), at most 50 of each, in order seen.
 */
export function vaultLookupOf(clientId: string, contexts: readonly RedactionContext[]): CredentialLookup {
  const hosts = new Set<string>();
  const usernames = new Set<string>();
  for (const context of contexts) {
    for (const host of context.hosts) for (const name of [host, shortName(host)]) if (name) hosts.add(name);
    for (const user of context.usernames) for (const name of [user, bareAccount(user)]) usernames.add(name);
  }
  return { clientId, hosts: [...hosts].slice(0, maxLookupNames), usernames: [...usernames].slice(0, maxLookupNames) };
}

/**
 * The vault's matches worth pointing to: a credential of a host one context saw, or of an
 * account a context saw with no host (an account alone, next to a host, may be another host's).
 */
export function pointedCredentials(pointers: readonly CredentialPointer[], contexts: readonly RedactionContext[]): CredentialPointer[] {
  const kept = new Map<string, CredentialPointer>();
  for (const pointer of pointers) {
    const host = pointer.host.toLowerCase();
    const account = pointer.username.toLowerCase();
    const pointed = contexts.some(
      (context) =>
        (host !== "" && context.hosts.some((seen) => sameHost(seen, host))) ||
        (context.hosts.length === 0 && account !== "" && context.usernames.some((seen) => sameAccount(seen, account))),
    );
    if (pointed && !kept.has(pointer.id)) kept.set(pointer.id, pointer);
  }
  return [...kept.values()];
}

/** The snippet that points to one credential: its name, id, where it is used, and how to reveal it. */
export function credentialSnippet(pointer: CredentialPointer): SnippetPlan {
  const who = accountAtHost(pointer);
  const kind = pointer.type ? `${pointer.type.replace(/_/g, " ")} ` : "";
  const denseContent = [
    `Vault credential "${pointer.name}" (${kind}for ${who}), id ${pointer.id}.`,
    `Reveal it when needed: ${revealCommand(pointer.id)}. Memory never holds the secret itself.`,
  ].join(" ");
  const { value } = redactDeep({
    title: `Credential for ${who}: ${pointer.name}`.slice(0, 512),
    denseContent,
    structuredData: {
      credential_id: pointer.id,
      name: pointer.name,
      host: pointer.host,
      username: pointer.username,
      credential_type: pointer.type,
    },
  });
  return {
    category: "credential_reference",
    ...value,
    tags: normalizeTags(
      [credentialPointerTag, pointer.host, shortName(pointer.host) ?? "", bareAccount(pointer.username)].filter((t) => t !== ""),
    ),
    // Above a command (4) or a plain snippet (5): a way in to a client system saves a session the most.
    importance: 7,
    contentHash: contentHash(value.denseContent),
  };
}

/** dc01 for dc01.contoso.local; undefined for a single label or an IP address. */
function shortName(host: string): string | undefined {
  if (!host.includes(".") || /^[\d.]+$/.test(host) || host.includes(":")) return undefined;
  return host.slice(0, host.indexOf("."));
}

/** administrator for CONTOSO\administrator or administrator@contoso.local. */
function bareAccount(account: string): string {
  return account.replace(/^.*\\/, "").replace(/@.*$/, "");
}

function sameHost(seen: string, host: string): boolean {
  return seen === host || shortName(seen) === host || shortName(host) === seen;
}

function sameAccount(seen: string, account: string): boolean {
  return seen === account || bareAccount(seen) === bareAccount(account);
}
