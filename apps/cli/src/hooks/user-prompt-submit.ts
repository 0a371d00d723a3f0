import { readLinks } from "../local/folder-links";
import { readCatalog } from "../local/project-catalog";
import { summaryPreferenceOf } from "../local/cli-config";
import { loadSessionState, saveSessionState } from "../local/session-state";
import { resolveWorkScope } from "../local/work-scope";
import { memoryScopeOf } from "../spool/spool-event";
import type { HookContext } from "./hook-context";
import { pointsAtSomething, promptQuery } from "./known-terms";

/** A targeted recall is short: a few items that answer what the prompt names. */
export const promptRecallBudgetChars = 2_500;
const promptRecallMaxItems = 5;
const maxQueryChars = 1_000;

/**
 * UserPromptSubmit: when the prompt points at something (a known client or host, an error string,
 * an address, a file name), send its words, redacted, to a short recall that leaves out what this
 * session was already shown. Otherwise print nothing, without a round trip.
 */
export async function userPromptSubmit(ctx: HookContext): Promise<string> {
  const { input, paths } = ctx;
  const prompt = input.prompt ?? "";
  if (prompt.trim() === "") return "";
  const state = loadSessionState(paths.sessions, input.sessionId);
  // The cheap local check first: a prompt that points at nothing costs no round trip and no redaction.
  if (!pointsAtSomething(prompt, state.knownTerms) || ctx.platformDown()) return "";
  const query = promptQuery(prompt, state.knownTerms, ctx.redact, maxQueryChars);
  const scope = state.scope ?? resolveWorkScope(input.cwd, readLinks(paths.links), readCatalog(paths.cache));
  const answer = await ctx.platform.recall(
    {
      scope: memoryScopeOf(scope, ctx.config),
      query,
      budgetChars: promptRecallBudgetChars,
      maxItems: promptRecallMaxItems,
      excludeShortIds: state.injectedShortIds,
      ...summaryPreferenceOf(ctx.config),
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
