import type { CliConfig } from "../local/cli-config";
import { summaryPreferenceOf } from "../local/cli-config";
import { readLinks } from "../local/folder-links";
import type { MspPaths } from "../local/msp-home";
import type { ProjectCatalog } from "../local/project-catalog";
import { catalogNeedsRefresh, readCatalog, refreshCatalog } from "../local/project-catalog";
import { resolveWorkScope } from "../local/work-scope";
import type { PlatformClient } from "../platform/platform-client";
import type { RecallResponse } from "../platform/platform-types";
import type { WorkScope } from "../spool/spool-event";
import { memoryScopeOf } from "../spool/spool-event";

/**
 * The scope of a folder, with the project catalog refreshed when it is stale or has no project for
 * the folder's repository yet (commands have time for that).
 */
export async function folderScope(paths: MspPaths, platform: PlatformClient, cwd: string, forceRefresh = false): Promise<WorkScope> {
  const links = readLinks(paths.links);
  const cached = readCatalog(paths.cache);
  const scope = resolveWorkScope(cwd, links, cached);
  if (!forceRefresh && !catalogNeedsRefresh(cached, scope)) return scope;
  return resolveWorkScope(cwd, links, await refreshCatalog(paths.cache, platform, 15_000));
}

export interface FolderRecallOptions {
  query?: string;
  explain?: boolean;
  budgetChars?: number;
  maxItems?: number;
}

/** What a session in a folder of this scope would be recalled with (or what a query finds there). */
export function recallForScope(
  config: CliConfig,
  platform: PlatformClient,
  scope: WorkScope,
  options: FolderRecallOptions = {},
): Promise<RecallResponse> {
  return platform.recall(
    {
      scope: memoryScopeOf(scope, config),
      ...(options.query ? { query: options.query } : {}),
      ...(options.explain ? { explain: true } : {}),
      ...(options.maxItems ? { maxItems: options.maxItems } : {}),
      budgetChars: options.budgetChars ?? 8_000,
      ...summaryPreferenceOf(config),
    },
    30_000,
  );
}

/** The name of a client, from the cached catalog (undefined when unknown there). */
export function clientNameOf(catalog: ProjectCatalog | undefined, clientId: string | undefined): string | undefined {
  return clientId ? catalog?.clients.find((client) => client.id === clientId)?.name : undefined;
}

/** One line naming where a folder's work goes, for people: the project and its client by name (the id when unknown). */
export function describeScope(scope: WorkScope, clientName?: string): string {
  const where = scope.repository ? `repository ${scope.repository}` : `folder ${scope.cwd}`;
  const client = scope.clientId ? `, client ${clientName ?? scope.clientId}` : "";
  if (scope.projectId) return `${where}, project ${scope.projectName ?? scope.projectId}${client}`;
  if (scope.repository)
    return `${where} (no project has this repository yet: memory is kept by repository; msp link --project ... ties it to one)`;
  return `${where} (no git remote and no link: msp link --project ... ties it to a project)`;
}
