import type { Database } from "@msp/db";
import { isDomainError } from "@msp/errors";
import type { Logger } from "@msp/logging";
import type { MutationContext, ResourceStore } from "@msp/resource-kit";
import { etagOf, toDate } from "@msp/resource-kit";
import type { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { SessionStatus } from "@msp/proto/src/gen/ts/msp/work/v1/session";

/** Sessions closed per pass; a longer backlog is closed by the next passes. */
const batchSize = 100;

/** How often the service looks for idle sessions. */
export const idleCheckMs = 60_000;

/** Who closes idle sessions, in the audit log. */
const idleCloser: MutationContext = {
  service: "work-service",
  method: "msp.work.v1.SessionService/UpdateSession",
  principal: "work-service:idle-close",
};

/**
 * The last activity of a session opened by a Claude Code SessionStart: ended_at, which every Stop
 * moves to its transcript's last record, else started_at.
 */
export function lastActivityOf(row: { started_at: unknown; ended_at: unknown }): Date {
  return toDate(row.ended_at ?? row.started_at);
}

/**
 * Closes the Claude Code sessions (those with an external_session_id) still in progress with no
 * activity for `idleMinutes`, neither in their times nor in any change to the row: status
 * completed, ended at their last activity. Each is an ordinary update (audited, under the
 * service's name); one changed meanwhile (stale etag) is left for the next pass. Returns how many
 * were closed.
 */
export async function closeIdleSessions(
  db: Database,
  sessions: ResourceStore<Session>,
  idleMinutes: number,
  now = new Date(),
): Promise<number> {
  if (idleMinutes <= 0) return 0;
  const cutoff = new Date(now.getTime() - idleMinutes * 60_000);
  const cut = db.sequelize.escape(cutoff);
  const rows = await db.select<{ id: string; revision: unknown; started_at: unknown; ended_at: unknown }>(
    `SELECT id, revision, started_at, ended_at FROM sessions
     WHERE status = 'in_progress' AND external_session_id IS NOT NULL
       AND COALESCE(ended_at, started_at) < ${cut} AND updated_at < ${cut}
     ORDER BY updated_at LIMIT ${batchSize}`,
    [],
  );
  let closed = 0;
  for (const row of rows) {
    const session: Partial<Session> = {
      id: row.id,
      status: SessionStatus.SESSION_STATUS_COMPLETED,
      endedAt: lastActivityOf(row),
      etag: etagOf(row.id, Number(row.revision)),
    };
    try {
      await sessions.update(session as Session, ["status", "ended_at"], idleCloser);
      closed++;
    } catch (error) {
      // Changed or deleted since it was read: the next pass looks again.
      if (isDomainError(error) && (error.code === "aborted" || error.code === "not_found")) continue;
      throw error;
    }
  }
  return closed;
}

/** Closes idle sessions every minute while the service runs; a failed pass is logged and the next one tries again. */
export function createIdleSessionCloser(db: Database, sessions: ResourceStore<Session>, idleMinutes: number, logger: Logger) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    try {
      const closed = await closeIdleSessions(db, sessions, idleMinutes);
      if (closed > 0) logger.info({ closed, idleMinutes }, "closed idle Claude Code sessions");
    } catch (err) {
      logger.warn({ err }, "closing idle sessions failed; trying again in a minute");
    }
  };
  return {
    start() {
      if (idleMinutes <= 0) return;
      timer = setInterval(() => {
        running = running.then(pass);
      }, idleCheckMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
