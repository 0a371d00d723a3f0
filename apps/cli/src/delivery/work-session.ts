import { basename } from "node:path";
import { loadSessionState, saveSessionState } from "../local/session-state";
import { ApiError } from "../platform/http-json";
import type { WorkSession } from "../platform/platform-types";
import type { WorkScope } from "../spool/spool-event";
import type { DeliveryContext } from "./delivery-context";

export interface OpenSessionOptions {
  scope: WorkScope;
  /** When the work started (SessionStart's time, or the event's when spooled). */
  startedAt: string;
  /** Create first and look up only on a clash: right for a brand-new Claude session. */
  createFirst?: boolean;
}

/**
 * The work session of a Claude session on this machine, opened when there is none yet. Safe to
 * run twice or from two hooks at once: sessions are unique per machine and Claude session id,
 * so the loser of a race gets ALREADY_EXISTS and finds the winner's. The id is remembered in the
 * session's state file.
 */
export async function ensureWorkSession(ctx: DeliveryContext, claudeSessionId: string, options: OpenSessionOptions): Promise<string> {
  const state = loadSessionState(ctx.paths.sessions, claudeSessionId);
  if (state.workSessionId) return state.workSessionId;
  let session: WorkSession | undefined;
  if (!options.createFirst) session = await findWorkSession(ctx, claudeSessionId);
  if (!session) {
    try {
      session = await ctx.platform.createWorkSession(newWorkSession(ctx, claudeSessionId, options), ctx.timeoutMs());
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 409)) throw error;
      session = await findWorkSession(ctx, claudeSessionId);
      if (!session) throw error;
    }
  }
  const latest = loadSessionState(ctx.paths.sessions, claudeSessionId);
  saveSessionState(ctx.paths.sessions, { ...latest, workSessionId: session.id });
  return session.id;
}

async function findWorkSession(ctx: DeliveryContext, claudeSessionId: string): Promise<WorkSession | undefined> {
  const page = await ctx.platform.findWorkSessions(ctx.config.machineId, claudeSessionId, ctx.timeoutMs());
  return page.items[0];
}

function newWorkSession(ctx: DeliveryContext, claudeSessionId: string, options: OpenSessionOptions): Partial<WorkSession> {
  const { scope } = options;
  const folder = scope.repoRoot ?? scope.cwd;
  return {
    machineId: ctx.config.machineId,
    externalSessionId: claudeSessionId,
    startedAt: options.startedAt,
    // A project or folder name, like the cwd in every scope: not redacted (nor worth the redactor's start-up).
    title: `Claude Code in ${scope.projectName ?? basename(folder)}`.slice(0, 255),
    ...(scope.projectId ? { projectId: scope.projectId } : {}),
    ...(scope.clientId ? { clientId: scope.clientId } : {}),
    ...(ctx.config.userName ? { technician: ctx.config.userName } : {}),
  };
}
