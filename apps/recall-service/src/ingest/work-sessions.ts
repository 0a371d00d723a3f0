import type { CallerContext, PeerClients } from "@msp/service-client";
import { createPeerIds } from "@msp/service-client";
import { SessionService } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";

/**
 * The work service's sessions, as the recall service sees them: it owns no session table, so it
 * asks the work service (GetSession) and remembers sessions found for a minute (createPeerIds).
 */
export interface WorkSessions {
  /** Throws INVALID_ARGUMENT naming `field` when the work service has no such session. */
  requireSession(ctx: CallerContext, id: string, field: string): Promise<void>;
}

export function createWorkSessions(peers: PeerClients, options: { ttlMs?: number; now?: () => number } = {}): WorkSessions {
  const sessions = createPeerIds((ctx, id) => peers.call(ctx, SessionService.method.getSession, { id }), {
    what: "work session",
    ...options,
  });
  return { requireSession: (ctx, id, field) => sessions.require(ctx, id, field) };
}
