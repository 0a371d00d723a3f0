import { createHash } from "node:crypto";
import { DomainError } from "@msp/errors";

/** Whether a bearer token is an API key (`msp_<prefix>_<secret>`, as the identity service makes them) rather than a JWT. */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith("msp_");
}

/** An access token issued for an API key: kind api_key, its subject the key's id. */
export interface KeyToken {
  token: string;
  expiresAt: Date;
}

/**
 * Turns an API key sent as a bearer token into an access token of the key, which a service then
 * checks as any token (signature, revocation, role, scope): the identity service issues it, and
 * refuses an unknown, revoked or expired key, or one whose user is disabled.
 */
export interface ApiKeyExchanger {
  /** The key's access token: one issued before while it lives (`reused`), else a new one. */
  tokenFor(key: string): Promise<{ token: string; reused: boolean }>;
  /** Forgets the key's token, once it was refused: the next call asks for a new one. */
  forget(key: string): void;
}

export interface ApiKeyExchangerOptions {
  /** Asks for a new access token for the key; throws unauthenticated when the key is refused. */
  exchange(key: string): Promise<KeyToken>;
  /** How long a refusal of a key is given again without asking (a revoked key used in a loop asks once per while). */
  refusalTtlMs?: number;
  /** A token is reused until this long before it expires. */
  reuseMarginMs?: number;
  /** At most this many keys are remembered; past that the memory starts over. */
  maxEntries?: number;
  now?: () => number;
}

interface Remembered {
  token?: KeyToken;
  refusal?: DomainError;
  /** Epoch milliseconds after which the identity service is asked again. */
  until: number;
}

/**
 * Exchanges each API key once and reuses its token (15 minutes by default) rather than asking the
 * identity service on every call: a reused token is still checked for revocation on every call
 * (within the revocation client's cache time), and that check refuses it once its key is revoked,
 * deleted or expired. A refused token is forgotten and the key exchanged again, so the caller
 * hears why the key no longer works (`API key revoked`), and a key whose user logged out
 * everywhere keeps working with a new token, as it does through the gateway. Keys are remembered
 * by their SHA-256; concurrent calls with one key share one exchange.
 */
export function createApiKeyExchanger(options: ApiKeyExchangerOptions): ApiKeyExchanger {
  const now = options.now ?? Date.now;
  const refusalTtlMs = options.refusalTtlMs ?? 5000;
  const reuseMarginMs = options.reuseMarginMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const remembered = new Map<string, Remembered>();
  const pending = new Map<string, Promise<string>>();
  const idOf = (key: string) => createHash("sha256").update(key).digest("base64url");

  const exchange = (id: string, key: string): Promise<string> => {
    const inFlight = pending.get(id);
    if (inFlight) return inFlight;
    const asked = options
      .exchange(key)
      .then(
        (token) => {
          remember(id, { token, until: token.expiresAt.getTime() - reuseMarginMs });
          return token.token;
        },
        (error: unknown) => {
          if (error instanceof DomainError && error.code === "unauthenticated")
            remember(id, { refusal: error, until: now() + refusalTtlMs });
          throw error;
        },
      )
      .finally(() => pending.delete(id));
    pending.set(id, asked);
    return asked;
  };

  const remember = (id: string, entry: Remembered) => {
    if (remembered.size >= maxEntries) remembered.clear();
    remembered.set(id, entry);
  };

  return {
    async tokenFor(key) {
      const id = idOf(key);
      const known = remembered.get(id);
      if (known && known.until > now()) {
        if (known.refusal) throw known.refusal;
        if (known.token) return { token: known.token.token, reused: true };
      }
      return { token: await exchange(id, key), reused: false };
    },
    forget(key) {
      remembered.delete(idOf(key));
    },
  };
}
