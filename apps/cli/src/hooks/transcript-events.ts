import { statSync } from "node:fs";
import { readLinks } from "../local/folder-links";
import { readCatalog } from "../local/project-catalog";
import { loadSessionState, saveSessionState } from "../local/session-state";
import { resolveWorkScope } from "../local/work-scope";
import { eventKey } from "../spool/event-key";
import type { TranscriptData } from "../spool/spool-event";
import type { HookContext } from "./hook-context";

const triggers = { "pre-compact": "pre_compact", stop: "stop", "session-end": "session_end" } as const;

/**
 * PreCompact, Stop and SessionEnd: note how far the transcript goes now, spool that, and hand
 * the upload to the detached background sender. The hook itself reads no transcript and sends
 * nothing, so it returns in milliseconds whatever the transcript's size.
 */
export function transcriptEvent(ctx: HookContext): void {
  const { input, paths } = ctx;
  if (ctx.event !== "pre-compact" && ctx.event !== "stop" && ctx.event !== "session-end") return;
  const trigger = triggers[ctx.event];
  if (!input.transcriptPath) throw new Error(`${ctx.event} without transcript_path`);
  const endOffset = statSync(input.transcriptPath).size;
  const state = loadSessionState(paths.sessions, input.sessionId);
  // A Stop with no new turns since the last queued upload has nothing to add.
  if (trigger === "stop" && state.queuedOffset !== undefined && endOffset <= state.queuedOffset) return;
  const scope = state.scope ?? resolveWorkScope(input.cwd, readLinks(paths.links), readCatalog(paths.cache));
  const data: TranscriptData = { scope, transcriptPath: input.transcriptPath, endOffset, trigger };
  if (input.reason) data.reason = input.reason;
  ctx.spool({
    id: eventKey(input.sessionId, `transcript-${trigger}`, String(endOffset)),
    kind: "transcript",
    at: new Date().toISOString(),
    claudeSessionId: input.sessionId,
    data,
  });
  saveSessionState(paths.sessions, { ...state, scope, queuedOffset: Math.max(endOffset, state.queuedOffset ?? 0) });
  ctx.startSender(true);
}
