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

/**
 * A project's state after a session: where the work stands (phase, next actions, blockers) is
 * the session's when it said anything about it, else it stays; the summary is the session's;
 * the session's files and decisions come first, followed by the earlier ones, without
 * duplicates and within limits.
 */
export function mergeProjectState(current: ProjectStateColumns | undefined, plan: ProjectStatePlan): ProjectStateColumns {
  const saysWhereItStands = plan.currentPhase !== null || plan.nextActions.length > 0 || plan.blockers.length > 0;
  const keep = !saysWhereItStands && current !== undefined;
  return {
    current_phase: keep ? current.current_phase : plan.currentPhase,
    next_actions: keep ? current.next_actions : plan.nextActions,
    blockers: keep ? current.blockers : plan.blockers,
    summary: plan.summary === "" ? (current?.summary ?? null) : plan.summary,
    key_files: unique([...plan.keyFiles, ...(current?.key_files ?? [])]).slice(0, maxKeyFiles),
    important_decisions: unique([...plan.importantDecisions, ...(current?.important_decisions ?? [])]).slice(0, maxImportantDecisions),
  };
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
