import { clientHostsAreFresh, readClientHosts, refreshClientHosts } from "../local/host-catalog";
import { summaryPreferenceOf } from "../local/cli-config";
import { loadSessionState, saveSessionState } from "../local/session-state";
import { deliveringEvent } from "../delivery/delivery-context";
import { ensureWorkSession } from "../delivery/work-session";
import { isRetryable, UnreachableError } from "../platform/http-json";
import { eventKey } from "../spool/event-key";
import type { WorkScope } from "../spool/spool-event";
import { memoryScopeOf } from "../spool/spool-event";
import { sessionStartWindowMs } from "../local/reachability";
import type { HookContext } from "./hook-context";
import { hookScope } from "./hook-scope";
import { knownTermsOf } from "./known-terms";

/** Claude Code caps injected text at 10,000 characters; recall packs into this many. */
export const sessionStartBudgetChars = 8_000;
/** The longest SessionStart waits for the list of the client's hosts (it runs beside the recall). */
const hostListWaitMs = 1_000;

/**
 * SessionStart: resolve the folder's project, open (or resume) the work session and print what
 * the platform remembers for this project, from any machine. Returns the text for Claude.
 */
export async function sessionStart(ctx: HookContext): Promise<string> {
  const { input, paths } = ctx;
  const state = loadSessionState(paths.sessions, input.sessionId);
  const startedAt = state.startedAt ?? new Date().toISOString();
  // Found unreachable seconds ago, or still refusing connections since (one connect, every
  // sessionStartWindowMs, instead of up to four requests and a log line that loads the redactor).
  if (ctx.platformDown(sessionStartWindowMs) || (await ctx.platformStillRefuses())) {
    // No recall to print; the session opens when the spool is sent.
    const { scope } = await hookScope(ctx, false);
    spoolSessionOpen(ctx, scope, startedAt, false);
    saveSessionState(paths.sessions, { ...state, scope, startedAt });
    return "";
  }
  const { scope, catalog } = await hookScope(ctx, true);
  const [recalled, , hostNames] = await Promise.all([
    ctx.platform
      .recall(
        { scope: memoryScopeOf(scope, ctx.config), budgetChars: sessionStartBudgetChars, ...summaryPreferenceOf(ctx.config) },
        ctx.timeoutMs(),
      )
      .catch((error: unknown) => {
        ctx.log(`recall failed: ${messageOf(error)}`);
        return undefined;
      }),
    state.workSessionId ? Promise.resolve() : openWorkSession(ctx, scope, startedAt),
    clientHostNames(ctx, scope.clientId),
  ]);
  const text = clipText(recalled?.text ?? "", sessionStartBudgetChars);
  const items = recalled?.items ?? [];
  const latest = loadSessionState(paths.sessions, input.sessionId);
  // After a compaction the earlier injections are gone from Claude's context: start the list afresh.
  const injected = input.source === "compact" || input.source === "clear" ? [] : latest.injectedShortIds;
  saveSessionState(paths.sessions, {
    ...latest,
    scope,
    startedAt,
    injectedShortIds: [...new Set([...injected, ...items.map((item) => item.shortId)])],
    knownTerms: knownTermsOf(catalog, items, hostNames),
  });
  return text;
}

/**
 * The names of the client's hosts, for UserPromptSubmit to notice a prompt naming one: cached,
 * listed again when stale (beside the recall, so it costs no time unless the platform is slow).
 */
async function clientHostNames(ctx: HookContext, clientId: string | undefined): Promise<string[]> {
  if (!clientId) return [];
  const cached = readClientHosts(ctx.paths.cache, clientId);
  if (cached && clientHostsAreFresh(cached)) return cached.names;
  try {
    return await refreshClientHosts(ctx.paths.cache, ctx.platform, clientId, Math.min(ctx.timeoutMs(), hostListWaitMs));
  } catch (error) {
    ctx.log(`could not list the client's hosts (hosts named in prompts are not recalled): ${messageOf(error)}`);
    return cached?.names ?? [];
  }
}

/** Opens the work session; when the platform cannot be reached, spools the opening for later. */
async function openWorkSession(ctx: HookContext, scope: WorkScope, startedAt: string): Promise<void> {
  const { input } = ctx;
  try {
    // Keyed as its spooled event would be: a later delivery of that event is applied once with this one.
    const opening = deliveringEvent(ctx, eventKey(input.sessionId, "session-open", ""));
    await ensureWorkSession(opening, input.sessionId, { scope, startedAt, createFirst: input.source === "startup" });
  } catch (error) {
    if (!isRetryable(error)) {
      ctx.log(`could not open the work session: ${messageOf(error)}`);
      return;
    }
    spoolSessionOpen(ctx, scope, startedAt, error instanceof UnreachableError && error.maybeDelivered);
  }
}

function spoolSessionOpen(ctx: HookContext, scope: WorkScope, startedAt: string, uncertain: boolean): void {
  ctx.spool({
    id: eventKey(ctx.input.sessionId, "session-open", ""),
    kind: "session-open",
    at: startedAt,
    claudeSessionId: ctx.input.sessionId,
    ...(uncertain ? { uncertain: true } : {}),
    data: { scope, source: ctx.input.source ?? "startup" },
  });
}

function clipText(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
