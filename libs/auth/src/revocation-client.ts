import type { ServiceError } from "@grpc/grpc-js";
import { Metadata, credentials, status } from "@grpc/grpc-js";
import { DomainError } from "@msp/errors";
import { AuthServiceClient } from "@msp/proto/src/gen/ts/msp/identity/v1/auth";
import type { KeyToken } from "./api-keys";
import type { Principal } from "./principal";

/**
 * Says whether a token was revoked before it expired; `bearer` is the token itself, sent as
 * credentials, and `principal` what it says (for a checker that compares it with the user's
 * current state: the identity service's own, in the gateway process). A checker may also refuse
 * the token with an unauthenticated DomainError saying why (the user was disabled, the API key revoked).
 */
export interface RevocationChecker {
  isRevoked(tokenId: string, expiresAt: Date, bearer: string, principal?: Principal): Promise<boolean>;
}

export interface RevocationClientOptions {
  /** Where the identity service listens (IDENTITY_ADDRESS), host:port. */
  address: string;
  /** How long a "not revoked" answer is trusted; a revocation takes effect within it. */
  cacheTtlMs?: number;
  /**
   * How long one CheckRevocation (or one API key's exchange) may take; a CheckRevocation that took
   * longer is asked once more, for twice as long, before the caller is refused.
   */
  deadlineMs?: number;
  /** At most this many answers are kept; the oldest go first. */
  maxEntries?: number;
}

interface Answer {
  revoked: boolean;
  /** The identity service refused the token itself (it names why): given again until the token expires. */
  refusal?: DomainError;
  /** Epoch milliseconds after which the answer is asked again. */
  until: number;
}

const roundRobin = JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] });

/**
 * Asks the identity service's AuthService/CheckRevocation, caching each answer per token id
 * (a revoked token stays revoked until it expires) and sharing one call among concurrent
 * lookups of the same token. Fails closed: no answer means the call is refused. Also exchanges
 * an API key sent straight to a service for an access token (AuthService/CreateToken), for
 * createApiKeyExchanger (api-keys.ts).
 */
export function createRevocationClient(
  options: RevocationClientOptions,
): RevocationChecker & { exchangeApiKey(key: string): Promise<KeyToken>; close(): void } {
  const cacheTtlMs = options.cacheTtlMs ?? 5000;
  const deadlineMs = options.deadlineMs ?? 2000;
  const maxEntries = options.maxEntries ?? 100_000;
  // Reconnects within half a second of a restarted gateway (the identity service) listening, as
  // @msp/service-client's channels do: grpc-js's default backoff grows to 120 s, and every call
  // would be refused "identity service unreachable" meanwhile.
  const client = new AuthServiceClient(options.address, credentials.createInsecure(), {
    "grpc.service_config": roundRobin,
    "grpc.initial_reconnect_backoff_ms": 100,
    "grpc.min_reconnect_backoff_ms": 100,
    "grpc.max_reconnect_backoff_ms": 500,
  });
  const answers = new Map<string, Answer>();
  const pending = new Map<string, Promise<boolean>>();
  let closed = false;

  const askOnce = (tokenId: string, bearer: string, waitMs: number) =>
    new Promise<boolean>((resolve, reject) => {
      const metadata = new Metadata();
      metadata.set("authorization", `Bearer ${bearer}`);
      client.checkRevocation({ tokenId }, metadata, { deadline: Date.now() + waitMs }, (error, response) =>
        error ? reject(error) : resolve(response.revoked),
      );
    });
  // An identity service that is up but slow to answer (the gateway busy with a burst of requests
  // on loaded cores) is asked once more, waiting twice as long, before the caller is refused: one
  // slow answer should not turn a valid call into a 503. One that is down is not asked again.
  const ask = (tokenId: string, bearer: string) =>
    askOnce(tokenId, bearer, deadlineMs)
      .catch((error: ServiceError) => {
        if (error.code !== status.DEADLINE_EXCEEDED || closed) throw error;
        return askOnce(tokenId, bearer, 2 * deadlineMs);
      })
      .catch((error: ServiceError) => {
        throw refusalOf(error);
      });

  // AuthService/CreateToken with the key, as a caller exchanging it at the gateway would.
  const exchangeApiKey = (key: string) =>
    new Promise<KeyToken>((resolve, reject) => {
      if (closed) {
        reject(unreachable());
        return;
      }
      client.createToken(
        { username: "", password: "", apiKey: key },
        new Metadata(),
        { deadline: Date.now() + deadlineMs },
        (error, response) => {
          if (error) reject(keyRefusalOf(error));
          else if (!response.expiresAt || response.accessToken === "")
            reject(new DomainError("unavailable", "the identity service issued no token for the API key"));
          else resolve({ token: response.accessToken, expiresAt: response.expiresAt });
        },
      );
    });

  const remember = (tokenId: string, answer: Answer) => {
    if (answers.size >= maxEntries) {
      const oldest = answers.keys().next();
      if (oldest.done !== true) answers.delete(oldest.value);
    }
    answers.set(tokenId, answer);
  };

  return {
    isRevoked(tokenId, expiresAt, bearer) {
      const known = answers.get(tokenId);
      if (known !== undefined) {
        if (known.until > Date.now()) return known.refusal ? Promise.reject(known.refusal) : Promise.resolve(known.revoked);
        answers.delete(tokenId);
      }
      const inFlight = pending.get(tokenId);
      if (inFlight !== undefined) return inFlight;
      if (closed) return Promise.reject(unreachable());
      const expires = expiresAt.getTime();
      const lookup = ask(tokenId, bearer)
        .then(
          (revoked) => {
            remember(tokenId, { revoked, until: revoked ? expires : Math.min(Date.now() + cacheTtlMs, expires) });
            return revoked;
          },
          (error: unknown) => {
            // A token the identity service refused stays refused (revocations and security
            // versions never go back): no need to ask again before it expires.
            if (error instanceof DomainError && error.code === "unauthenticated") {
              remember(tokenId, { revoked: true, refusal: error, until: expires });
            }
            throw error;
          },
        )
        .finally(() => pending.delete(tokenId));
      pending.set(tokenId, lookup);
      return lookup;
    },
    exchangeApiKey,
    close() {
      closed = true;
      client.close();
    },
  };
}

function unreachable(cause?: unknown): DomainError {
  return new DomainError("unavailable", "cannot check token revocation: identity service unreachable", [], { cause });
}

/** Why the identity service would not exchange an API key: the key refused (in its words: "API key revoked"), or no answer. */
function keyRefusalOf(error: ServiceError): DomainError {
  if (error.code === status.UNAUTHENTICATED) return new DomainError("unauthenticated", error.details, [], { cause: error });
  // An address that failed to log in too often is refused for a while (login-throttle.ts), and so is its exchange.
  if (error.code === status.RESOURCE_EXHAUSTED) return new DomainError("resource_exhausted", error.details, [], { cause: error });
  if (error.code === status.UNAVAILABLE || error.code === status.DEADLINE_EXCEEDED || error.code === status.CANCELLED) {
    return new DomainError("unavailable", "cannot exchange the API key: identity service unreachable", [], { cause: error });
  }
  return new DomainError("unavailable", `cannot exchange the API key: identity service answered ${status[error.code]}`, [], {
    cause: error,
  });
}

function refusalOf(error: ServiceError): DomainError {
  if (error.code === status.UNAUTHENTICATED) {
    // The identity service says why in the platform's words ("invalid token: the user was
    // disabled"): the caller learns it about their own token.
    const reason = error.details.startsWith("invalid token: ") ? error.details : "invalid token: refused by the identity service";
    return new DomainError("unauthenticated", reason, [], { cause: error });
  }
  if (error.code === status.UNAVAILABLE || error.code === status.DEADLINE_EXCEEDED || error.code === status.CANCELLED) {
    return unreachable(error);
  }
  const answered = `cannot check token revocation: identity service answered ${status[error.code]}`;
  return new DomainError("unavailable", answered, [], { cause: error });
}
