import type { WhereOptions } from "sequelize";

/** The work service's project, or the repository standing in for it before the project exists. */
export interface ProjectScope {
  projectId: string | null;
  repository: string | null;
}

/**
 * Rows of the same project as `scope`: the same project_id when it has one, else the same
 * repository. Undefined when the scope names neither (nothing is "the same project" then).
 */
export function sameProject(scope: ProjectScope): WhereOptions | undefined {
  if (scope.projectId !== null) return { project_id: scope.projectId };
  if (scope.repository !== null) return { repository: scope.repository };
  return undefined;
}

/** The key of a project's state row: one per project, or per repository while the project is unknown. */
export function projectStateKey(scope: ProjectScope): string | undefined {
  if (scope.projectId !== null) return `project:${scope.projectId}`;
  if (scope.repository !== null) return `repository:${scope.repository}`;
  return undefined;
}

/** The scope a failure signature is unique in: client and asset, absent ones included. */
export function failureScopeKey(clientId: string | null, infrastructureId: string | null): string {
  return `${clientId ?? "-"}:${infrastructureId ?? "-"}`;
}

/** A stored value as a non-empty string or null. */
export function textOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
