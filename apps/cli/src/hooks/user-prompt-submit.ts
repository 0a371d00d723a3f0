import { readLinks } from "../local/folder-links";
import { readCatalog } from "../local/project-catalog";
import { loadSessionState, saveSessionState } from "../local/session-state";
import { resolveWorkScope } from "../local/work-scope";
import { memoryScopeOf } from "../spool/spool-event";
import type { HookContext } from "./hook-context";
import { targetedQuery } from "./known-terms";

/** A targeted recall is short: a few items that answer what the prompt names. */
export const promptRecallBudgetChars = 2_500;
const promptRecallMaxItems = 5;
const maxQueryChars = 1_000;

/**
 * UserPromptSubmit: when the prompt names something the platform knows (a client, a host, an
 * error string), print a short targeted recall for those names that leaves out what SessionStart
 * injected. Otherwise print nothing, without a round trip.
 */
export async function userPromptSubmit(ctx: HookContext): Promise<string> {
  const { input, paths } = ctx;
  const prompt = input.prompt ?? "";
  if (prompt.trim() === "") return "";
  const state = loadSessionState(paths.sessions, input.sessionId);
  const query = targetedQuery(prompt, state.knownTerms);
  if (query === "" || ctx.platformDown()) return "";
  const scope = state.scope ?? resolveWorkScope(input.cwd, readLinks(paths.links), readCatalog(paths.cache));
  const answer = await ctx.platform.recall(
    {
      scope: memoryScopeOf(scope, ctx.config),
      query: query.slice(0, maxQueryChars),
      budgetChars: promptRecallBudgetChars,
      maxItems: promptRecallMaxItems,
      excludeShortIds: state.injectedShortIds,
    },
    ctx.timeoutMs(),
  );
  const items = (answer.items ?? []).filter((item) => !state.injectedShortIds.includes(item.shortId));
  if (items.length === 0 || !answer.text) return "";
  const latest = loadSessionState(paths.sessions, input.sessionId);
  saveSessionState(paths.sessions, {
    ...latest,
    injectedShortIds: [...new Set([...latest.injectedShortIds, ...items.map((item) => item.shortId)])],
  });
  return answer.text.slice(0, promptRecallBudgetChars);
}
