import { readLinks } from "../local/folder-links";
import type { ProjectCatalog } from "../local/project-catalog";
import { catalogNeedsRefresh, readCatalog, refreshCatalog } from "../local/project-catalog";
import { resolveWorkScope } from "../local/work-scope";
import type { WorkScope } from "../spool/spool-event";
import { settleWithin } from "./deadline";
import type { HookContext } from "./hook-context";

/** The longest SessionStart waits for a catalog refresh before it goes on with the cached one. */
const refreshWaitMs = 700;

/**
 * The scope of the hook's folder. SessionStart refreshes a stale project catalog first (briefly:
 * an unreachable platform costs nothing, a slow one at most `refreshWaitMs`); later hooks use the
 * scope SessionStart stored, or the cached catalog.
 */
export async function hookScope(ctx: HookContext, refresh: boolean): Promise<{ scope: WorkScope; catalog: ProjectCatalog | undefined }> {
  const links = readLinks(ctx.paths.links);
  let catalog = readCatalog(ctx.paths.cache);
  let scope = resolveWorkScope(ctx.input.cwd, links, catalog);
  if (refresh && catalogNeedsRefresh(catalog, scope)) {
    const wait = Math.min(refreshWaitMs, ctx.timeoutMs());
    const fetched = await settleWithin(refreshCatalog(ctx.paths.cache, ctx.platform, wait), wait);
    if (fetched) {
      catalog = fetched;
      scope = resolveWorkScope(ctx.input.cwd, links, catalog);
    }
  }
  return { scope, catalog };
}
