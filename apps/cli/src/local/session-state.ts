import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { PrivateDigests } from "@msp/redaction/src/private-text";
import type { WorkScope } from "../spool/spool-event";
import { writeFileAtomic } from "./atomic-file";
import { readJsonFile } from "./json-file";

/** What the hooks of one Claude session remember between their processes. */
export interface SessionState {
  claudeSessionId: string;
  /** The work service's session, once opened. */
  workSessionId?: string;
  scope?: WorkScope;
  /** When SessionStart first saw the session. */
  startedAt?: string;
  /** Short ids of memory items already injected, so UserPromptSubmit never repeats them. */
  injectedShortIds: string[];
  /** Names the last recall mentioned (clients, hosts, projects), for UserPromptSubmit's cheap local check. */
  knownTerms: string[];
  /** Transcript bytes already handed to the spool, so a Stop without new turns sends nothing. */
  queuedOffset?: number;
  /** Keyed digests of what the prompts marked <private>, so commands that repeat it record [private]. */
  privateTerms?: PrivateDigests;
}

/** The state file of a Claude session (its id made safe as a file name). */
export function sessionStatePath(sessionsDir: string, claudeSessionId: string): string {
  if (/^[A-Za-z0-9._-]{1,100}$/.test(claudeSessionId)) return join(sessionsDir, `${claudeSessionId}.json`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const safe = createHash("sha256").update(claudeSessionId).digest("hex");
  return join(sessionsDir, `${safe}.json`);
}

/** The state of a Claude session; a fresh one when none is stored. */
export function loadSessionState(sessionsDir: string, claudeSessionId: string): SessionState {
  const stored = readJsonFile<Partial<SessionState>>(sessionStatePath(sessionsDir, claudeSessionId), {});
  return {
    ...stored,
    claudeSessionId,
    injectedShortIds: Array.isArray(stored.injectedShortIds) ? stored.injectedShortIds : [],
    knownTerms: Array.isArray(stored.knownTerms) ? stored.knownTerms : [],
  };
}

/**
 * Saves the state, without an fsync unless it holds <private> digests: every hook saves it, and the fsync was one
 * of the two in a SessionStart or Stop with the platform down. What a power cut in the seconds
 * after a save can undo is rebuilt: the scope is resolved again, the work session found again by
 * its Claude session id, a transcript event spooled again under the same key (sent once), an
 * item injected once more. The digests of <private> terms are not: a state that holds them is
 * always saved durably (a later save replaces the file, and some file systems can leave an empty
 * file after a power cut if it was not fsynced).
 */
export function saveSessionState(sessionsDir: string, state: SessionState): void {
  const path = sessionStatePath(sessionsDir, state.claudeSessionId);
  writeFileAtomic(path, JSON.stringify(state), 0o600, state.privateTerms !== undefined);
}

/** Deletes state files untouched for `maxAgeDays` (run by the background sender, not by hooks). */
export function pruneSessionStates(sessionsDir: string, maxAgeDays = 30): number {
  let removed = 0;
  let files: string[];
  try {
    files = readdirSync(sessionsDir);
  } catch {
    return 0;
  }
  const cutoff = Date.now() - maxAgeDays * 86_400_000;
  for (const file of files) {
    const path = join(sessionsDir, file);
    try {
      if (statSync(path).mtimeMs < cutoff) {
        rmSync(path, { force: true });
        removed++;
      }
    } catch {
      // gone already
    }
  }
  return removed;
}
