import type { CallerContext, PeerClients } from "@msp/service-client";
import { invalidArgument, isDomainError } from "@msp/errors";
import { SessionService } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";

/**
 * The work service's sessions, as the recall service sees them: it owns no session table, so it
 * asks the work service (GetSession) and remembers sessions found for a minute. A session
 * deleted within that minute may still be taken; one not found is asked about again each time.
 */
export interface WorkSessions {
  /** Throws INVALID_ARGUMENT naming `field` when the work service has no such session. */
  requireSession(ctx: CallerContext, id: string, field: string): Promise<void>;
}

export function createWorkSessions(peers: PeerClients, options: { ttlMs?: number; now?: () => number } = {}): WorkSessions {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const found = new Map<string, number>();
  return {
    async requireSession(ctx, id, field) {
      const until = found.get(id);
      if (until !== undefined && until > now()) return;
      try {
        await peers.call(ctx, SessionService.method.getSession, { id });
      } catch (error) {
        if (isDomainError(error) && error.code === "not_found") throw invalidArgument(field, "no work session with this id");
        throw error;
      }
      if (found.size >= 10_000) found.clear();
      found.set(id, now() + ttlMs);
    },
  };
}
