import type { CallerContext, PeerClients } from "@msp/service-client";
import { CredentialService, CredentialType } from "@msp/proto/src/gen/es/msp/vault/v1/credential_pb";
import type { CredentialPointer } from "../credential-pointer";

/** What ingest asks the vault: the client, and the hosts and accounts seen around redacted secrets. */
export interface CredentialLookup {
  clientId: string;
  hosts: string[];
  usernames: string[];
}

/**
 * The vault's credentials, as the recall service sees them: it keeps no secret and no credential
 * table, so it asks the vault (FindCredentialReferences), as the user it serves, which of the
 * client's credentials that user may read match what a session saw.
 */
export interface VaultCredentials {
  /** Throws whatever went wrong (the vault down, refusing, or slower than the budget). */
  findReferences(ctx: CallerContext, lookup: CredentialLookup): Promise<CredentialPointer[]>;
}

/** How long an ingest waits for the vault before it stores the memory without credential references. */
export const defaultVaultBudgetMs = 2_000;

export function createVaultCredentials(peers: PeerClients, options: { budgetMs?: number } = {}): VaultCredentials {
  const budgetMs = options.budgetMs ?? defaultVaultBudgetMs;
  return {
    async findReferences(ctx, lookup) {
      const answer = await withinBudget(peers.call(ctx, CredentialService.method.findCredentialReferences, lookup), budgetMs);
      return answer.references.map((reference) => ({
        id: reference.id,
        name: reference.name,
        host: reference.host.toLowerCase(),
        username: reference.username,
        type: typeName(reference.credentialType),
      }));
    },
  };
}

/** password for CREDENTIAL_TYPE_PASSWORD; "" for unspecified or unknown values. */
function typeName(type: CredentialType): string {
  const name = (CredentialType as unknown as Record<number, string | undefined>)[type];
  return name === undefined || type === CredentialType.UNSPECIFIED ? "" : name.toLowerCase();
}

/** `promise`, or a rejection once `budgetMs` have passed (the call itself runs on to its own deadline). */
function withinBudget<T>(promise: Promise<T>, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the vault did not answer within ${budgetMs} ms`)), budgetMs);
    timer.unref();
  });
  // A late failure, after the budget ran out, must not become an unhandled rejection.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
