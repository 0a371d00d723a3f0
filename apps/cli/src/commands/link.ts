import { findGitRepository } from "../local/git-repository";
import { displayRemoteUrl } from "../local/git-remote";
import { readLinks, writeLinks } from "../local/folder-links";
import { refreshCatalog } from "../local/project-catalog";
import { createPlatformClient } from "../platform/platform-client";
import { ApiError } from "../platform/http-json";
import type { PlatformClient } from "../platform/platform-client";
import type { Project } from "../platform/platform-types";
import type { CommonOptions } from "./command-support";
import { CommandError, emit, pathsOf, requireConfig } from "./command-support";
import { resolve } from "node:path";

export interface LinkOptions extends CommonOptions {
  project?: string;
  client?: string;
  folder?: string;
  remove?: boolean;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `msp link --project <id|slug> [--client <id>]`: ties this folder (its repository's top folder)
 * to a project, for folders whose git remote names no project. A project without a repo_url
 * gets this folder's remote, so the other machines find it by their clones too.
 */
export async function linkCommand(options: LinkOptions): Promise<void> {
  const paths = pathsOf(options);
  const config = requireConfig(paths);
  const cwd = resolve(options.folder ?? process.cwd());
  const repo = findGitRepository(cwd);
  const folder = repo?.root ?? cwd;
  const links = readLinks(paths.links);
  if (options.remove) {
    const had = folder in links;
    delete links[folder];
    writeLinks(paths.links, links);
    emit(options, { folder, removed: had }, had ? `${folder} is no longer linked.` : `${folder} was not linked.`);
    return;
  }
  if (!options.project) throw new CommandError("--project <id|slug> is required (or --remove)");
  const platform = createPlatformClient(config.server, config.apiKey);
  const project = await findProject(platform, options.project);
  let clientId = project.clientId;
  let clientName: string | undefined;
  if (options.client) {
    try {
      const client = await platform.getClient(options.client);
      clientId = client.id;
      clientName = client.name;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400))
        throw new CommandError(`--client: no client ${options.client}`, "not_found");
      throw error;
    }
  }
  links[folder] = {
    projectId: project.id,
    ...(clientId ? { clientId } : {}),
    ...(project.name ? { projectName: project.name } : {}),
    linkedAt: new Date().toISOString(),
  };
  writeLinks(paths.links, links);
  let repoUrlSet: string | undefined;
  if (!project.repoUrl && repo?.remoteUrl) {
    repoUrlSet = displayRemoteUrl(repo.remoteUrl);
    await platform.updateProject(project.id, { repoUrl: repoUrlSet });
  }
  const catalog = await refreshCatalog(paths.cache, platform, 15_000);
  clientName ??= catalog.clients.find((client) => client.id === clientId)?.name;
  emit(
    options,
    { folder, projectId: project.id, projectName: project.name, clientId, clientName, repoUrlSet },
    [
      `${folder} is linked to project ${project.name ?? project.id}${clientId ? ` (client ${clientName ?? clientId})` : ""}.`,
      repoUrlSet ? `The project's repository is now ${repoUrlSet}, so clones on other machines find it too.` : "",
    ].filter(Boolean),
  );
}

async function findProject(platform: PlatformClient, idOrSlug: string): Promise<Project> {
  if (uuidPattern.test(idOrSlug)) {
    try {
      return await platform.getProject(idOrSlug);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) throw new CommandError(`--project: no project ${idOrSlug}`, "not_found");
      throw error;
    }
  }
  const found = (await platform.findProjectsBySlug(idOrSlug.toLowerCase())).items;
  if (found.length === 0) throw new CommandError(`--project: no project with the slug "${idOrSlug}"`, "not_found");
  return found[0]!;
}
