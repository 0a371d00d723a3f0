import { join } from "node:path";
import { normalizeRemoteUrl } from "./git-remote";
import { writeFileAtomic } from "./atomic-file";
import { readJsonFile } from "./json-file";
import type { Client, Project } from "../platform/platform-types";
import type { PlatformClient } from "../platform/platform-client";
import { allPages } from "../platform/platform-client";

/** A project as the hooks need it: found by its normalized repository. */
export interface CatalogProject {
  id: string;
  clientId?: string;
  name?: string;
  slug?: string;
  repository?: string;
}

/**
 * The platform's projects and clients, cached on disk so SessionStart resolves a folder to a
 * project without a round trip; refreshed when older than `catalogMaxAgeMs`, or sooner for a
 * repository it has no project for (`catalogNeedsRefresh`).
 */
export interface ProjectCatalog {
  fetchedAt: string;
  projects: CatalogProject[];
  clients: Array<{ id: string; name: string }>;
}

export const catalogMaxAgeMs = 10 * 60_000;

/**
 * A repository the catalog has no project for is looked up again once the catalog is this old: a
 * project made (or given its repo_url) after the last fetch is found by the next session, not up
 * to ten minutes later with the session recorded under no client. Folders that match a project
 * never pay for it.
 */
export const missRefreshAfterMs = 30_000;

export function catalogPath(cacheDir: string): string {
  return join(cacheDir, "projects.json");
}

export function readCatalog(cacheDir: string): ProjectCatalog | undefined {
  const catalog = readJsonFile<Partial<ProjectCatalog>>(catalogPath(cacheDir), {});
  if (typeof catalog.fetchedAt !== "string" || !Array.isArray(catalog.projects) || !Array.isArray(catalog.clients)) return undefined;
  return catalog as ProjectCatalog;
}

export function catalogIsFresh(catalog: ProjectCatalog | undefined, now = Date.now()): catalog is ProjectCatalog {
  return catalog !== undefined && now - Date.parse(catalog.fetchedAt) < catalogMaxAgeMs;
}

/** Whether the catalog should be fetched again before resolving a folder whose scope (from the cached catalog) is this. */
export function catalogNeedsRefresh(
  catalog: ProjectCatalog | undefined,
  scope: { repository?: string; projectId?: string },
  now = Date.now(),
): boolean {
  if (!catalogIsFresh(catalog, now)) return true;
  return scope.repository !== undefined && scope.projectId === undefined && now - Date.parse(catalog.fetchedAt) >= missRefreshAfterMs;
}

/** Fetches every project and client (a few pages at most for a shop) and stores the catalog. */
export async function refreshCatalog(cacheDir: string, platform: PlatformClient, timeoutMs: number): Promise<ProjectCatalog> {
  const [projects, clients] = await Promise.all([
    allPages<Project>((token) => platform.listProjects(token, timeoutMs)),
    allPages<Client>((token) => platform.listClients(token, timeoutMs)),
  ]);
  const catalog = catalogOf(projects, clients);
  writeFileAtomic(catalogPath(cacheDir), JSON.stringify(catalog));
  return catalog;
}

/** The catalog of API projects and clients, with each repo_url normalized. */
export function catalogOf(projects: readonly Project[], clients: readonly Client[], now = new Date()): ProjectCatalog {
  return {
    fetchedAt: now.toISOString(),
    projects: projects.map((project) => {
      const repository = project.repoUrl ? normalizeRemoteUrl(project.repoUrl) : undefined;
      return {
        id: project.id,
        ...(project.clientId ? { clientId: project.clientId } : {}),
        ...(project.name ? { name: project.name } : {}),
        ...(project.slug ? { slug: project.slug } : {}),
        ...(repository ? { repository } : {}),
      };
    }),
    clients: clients.filter((client) => client.name).map((client) => ({ id: client.id, name: client.name! })),
  };
}

/** The project whose repo_url is this repository (the oldest, when several are). */
export function projectForRepository(catalog: ProjectCatalog | undefined, repository: string | undefined): CatalogProject | undefined {
  if (!catalog || !repository) return undefined;
  return catalog.projects.find((project) => project.repository === repository);
}
