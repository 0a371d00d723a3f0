import type { ProjectStatePlan } from "./ingest-plan";

/** At most this many files and decisions are kept on a project state. */
export const maxKeyFiles = 50;
export const maxImportantDecisions = 20;

/** The columns of a project state that a session changes. */
export interface ProjectStateColumns {
  current_phase: string | null;
  next_actions: string[];
  blockers: string[];
  summary: string | null;
  key_files: string[];
  important_decisions: string[];
}

/** Recent sessions listed in a project state's summary, newest first. */
export const maxRecentSessions = 6;
/** Next actions and blockers kept when a short session adds its own to the earlier ones. */
export const maxNextActions = 8;
export const maxBlockers = 5;

/**
 * A project's state after a session. Where the work stands (phase, next actions, blockers) is
 * the session's when it said anything about it, unless the session was short: a quick question
 * after a long session adds its next actions and blockers before the earlier ones and keeps the
 * earlier phase. The summary lists the recent sessions, newest first, each once. The session's
 * files and decisions come first, followed by the earlier ones, without duplicates and within
 * limits.
 */
export function mergeProjectState(current: ProjectStateColumns | undefined, plan: ProjectStatePlan): ProjectStateColumns {
  const saysWhereItStands = plan.currentPhase !== null || plan.nextActions.length > 0 || plan.blockers.length > 0;
  const keep = current !== undefined && (!saysWhereItStands || plan.short);
  const adds = current !== undefined && plan.short;
  return {
    current_phase: keep ? (current.current_phase ?? plan.currentPhase) : plan.currentPhase,
    next_actions: adds
      ? unique([...plan.nextActions, ...current.next_actions]).slice(0, maxNextActions)
      : keep
        ? current.next_actions
        : plan.nextActions,
    blockers: adds ? unique([...plan.blockers, ...current.blockers]).slice(0, maxBlockers) : keep ? current.blockers : plan.blockers,
    summary: recentSessions(plan.summary, current?.summary ?? null),
    key_files: unique([...plan.keyFiles, ...(current?.key_files ?? [])]).slice(0, maxKeyFiles),
    important_decisions: unique([...plan.importantDecisions, ...(current?.important_decisions ?? [])]).slice(0, maxImportantDecisions),
  };
}

/**
 * The summary's list of recent sessions: this session's line first, then the earlier lines
 * each once.
 */
function recentSessions(line: string, earlier: string | null): string | null {
  // A summary stored before this list existed is a cut session summary: it is replaced, not listed.
  const legacy = earlier !== null && /(^|\n)#{1,2} /.test(earlier);
  const earlierLines = (legacy ? "" : (earlier ?? ""))
    .split("\n")
    .map((text) => text.trim())
    .filter((text) => text !== "" && !text.startsWith("#") && !text.startsWith("##"));
  const lines = unique([line.trim(), ...earlierLines].filter((text) => text !== "")).slice(0, maxRecentSessions);
  return lines.length === 0 ? null : lines.map((text) => (text.length > 300 ? `${text.slice(0, 299)}…` : text)).join("\n");
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
