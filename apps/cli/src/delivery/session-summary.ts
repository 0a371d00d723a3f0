import type { CompressedSession } from "@msp/transcript";

/** A work item the CLI writes for a session; the work service guesses its category from the text. */
export interface WorkItemDraft {
  title: string;
  problem?: string;
  cause?: string;
  fix?: string;
  verify?: string;
  status: "WORK_ITEM_STATUS_COMPLETED" | "WORK_ITEM_STATUS_IN_PROGRESS";
  affectedSystems: string[];
  technologiesUsed: string[];
}

const maxProblemItems = 10;

/**
 * The work items of a session, from its compressed transcript: one for the session's goal and
 * what was done, and one per problem met (Problem / Cause / Fix / Verify). Titles are stable
 * across later Stops of the same session, so a later event updates them instead of adding more.
 */
export function workItemDrafts(session: CompressedSession, ended: boolean): WorkItemDraft[] {
  const systems = unique([...session.hosts, ...session.services]).slice(0, 20);
  const technologies = session.tags.slice(0, 20);
  const open = session.state.open.length > 0 || session.state.blockers.length > 0;
  const done: string[] = [];
  const commands = session.commands.filter((command) => command.ok !== false).slice(0, 5);
  if (commands.length > 0) done.push(`ran ${commands.map((command) => command.command).join("; ")}`);
  const files = [...session.filesCreated, ...session.filesChanged];
  if (files.length > 0) done.push(`files ${files.slice(0, 8).join(", ")}${files.length > 8 ? ` and ${files.length - 8} more` : ""}`);
  const main: WorkItemDraft = {
    title: clip(session.title || session.goals[0] || "Claude Code session", 255),
    ...(session.goals.length > 0 ? { problem: clip(session.goals.slice(0, 3).join(" / "), 2000) } : {}),
    ...(done.length > 0 ? { fix: clip(done.join(". "), 4000) } : {}),
    ...(session.state.done.length > 0 ? { verify: clip(session.state.done.slice(0, 5).join("; "), 2000) } : {}),
    status: ended || !open ? "WORK_ITEM_STATUS_COMPLETED" : "WORK_ITEM_STATUS_IN_PROGRESS",
    affectedSystems: systems,
    technologiesUsed: technologies,
  };
  const problems = session.problems.slice(0, maxProblemItems).map(
    (problem): WorkItemDraft => ({
      title: clip(problem.problem, 255),
      problem: clip(problem.problem, 2000),
      ...(problem.cause ? { cause: clip(problem.cause, 2000) } : {}),
      ...(problem.fix ? { fix: clip(problem.fix, 2000) } : {}),
      ...(problem.verify ? { verify: clip(problem.verify, 2000) } : {}),
      status: problem.fix || ended ? "WORK_ITEM_STATUS_COMPLETED" : "WORK_ITEM_STATUS_IN_PROGRESS",
      affectedSystems: systems,
      technologiesUsed: technologies,
    }),
  );
  const seen = new Set<string>();
  return [main, ...problems].filter((draft) => {
    const key = draft.title.toLowerCase();
    if (draft.title.trim() === "" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items.filter((item) => item.trim() !== ""))];
}

function clip(text: string, max: number): string {
  const flat = text.trim();
  if (flat.length <= max) return flat;
  let end = max - 1;
  const code = flat.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${flat.slice(0, end)}…`;
}
