import { validate as isUuid } from "uuid";
import { invalidArgument, isDomainError } from "@msp/errors";
import type { CallerContext } from "./peer-clients";

/**
 * Ids of records another service owns (a work session, a client), as a service that refers to
 * them sees them: it asks the owner (`ask` throws not_found for an unknown id) and remembers ids
 * found for `ttlMs`. An id deleted within that time may still be taken; one not found is asked
 * about again each time. Other errors (the owner unavailable) come through as they are.
 */
export interface PeerIds {
  /** Throws INVALID_ARGUMENT naming `field` when `id` is no UUID or the owner has no such record. */
  require(ctx: CallerContext, id: string, field: string): Promise<void>;
}

export interface PeerIdsOptions {
  /** What the id names, for the error: "work session", "client". */
  what: string;
  ttlMs?: number;
  now?: () => number;
}

export function createPeerIds(ask: (ctx: CallerContext, id: string) => Promise<unknown>, options: PeerIdsOptions): PeerIds {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const found = new Map<string, number>();
  return {
    async require(ctx, id, field) {
      // Checked here, so that the error names the caller's field rather than the owner's `id`.
      if (!isUuid(id)) throw invalidArgument(field, "must be a UUID");
      const until = found.get(id);
      if (until !== undefined && until > now()) return;
      try {
        await ask(ctx, id);
      } catch (error) {
        if (isDomainError(error) && error.code === "not_found") throw invalidArgument(field, `no ${options.what} with this id`);
        throw error;
      }
      if (found.size >= 10_000) found.clear();
      found.set(id, now() + ttlMs);
    },
  };
}
