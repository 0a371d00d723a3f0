import { readLinks } from "../local/folder-links";
import type { ProjectCatalog } from "../local/project-catalog";
import { catalogIsFresh, readCatalog, refreshCatalog } from "../local/project-catalog";
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
  let catalog = readCatalog(ctx.paths.cache);
  if (refresh && !catalogIsFresh(catalog)) {
    const wait = Math.min(refreshWaitMs, ctx.timeoutMs());
    catalog = (await settleWithin(refreshCatalog(ctx.paths.cache, ctx.platform, wait), wait)) ?? catalog;
  }
  return { scope: resolveWorkScope(ctx.input.cwd, readLinks(ctx.paths.links), catalog), catalog };
}
