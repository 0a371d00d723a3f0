import type { WorkScope } from "../spool/spool-event";
import type { FolderLinks } from "./folder-links";
import { linkFor } from "./folder-links";
import { displayRemoteUrl } from "./git-remote";
import { findGitRepository } from "./git-repository";
import type { ProjectCatalog } from "./project-catalog";
import { projectForRepository } from "./project-catalog";

/**
 * Where work in `cwd` belongs: a folder linked with `msp link` wins, then the project whose
 * repo_url is the folder's git remote. An unknown repository still scopes memory by its
 * normalized remote, so two clones share memory before anyone creates the project.
 */
export function resolveWorkScope(cwd: string, links: FolderLinks, catalog: ProjectCatalog | undefined): WorkScope {
  const repo = findGitRepository(cwd);
  const scope: WorkScope = { cwd };
  if (repo) {
    scope.repoRoot = repo.root;
    // Without the credentials a remote URL may hold (https://user:token@host/...): scopes are spooled and sent.
    if (repo.remoteUrl) scope.remoteUrl = displayRemoteUrl(repo.remoteUrl);
    if (repo.repository) scope.repository = repo.repository;
  }
  const linked = linkFor(links, cwd);
  if (linked) {
    scope.projectId = linked.link.projectId;
    const clientId = linked.link.clientId ?? catalog?.projects.find((p) => p.id === linked.link.projectId)?.clientId;
    if (clientId) scope.clientId = clientId;
    if (linked.link.projectName) scope.projectName = linked.link.projectName;
    return scope;
  }
  const project = projectForRepository(catalog, scope.repository);
  if (project) {
    scope.projectId = project.id;
    if (project.clientId) scope.clientId = project.clientId;
    if (project.name) scope.projectName = project.name;
  }
  return scope;
}
