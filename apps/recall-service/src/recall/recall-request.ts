import type { FieldViolation } from "@msp/errors";
import { invalidArguments } from "@msp/errors";
import { isUuid } from "@msp/db";
import type { RecallRequest, Scope } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { normalizeRepository } from "../repository-name";
import type { RecallScope } from "./candidate";
import type { ContextSummaryChoice } from "./context-summary";
import { contextSummaryChoices, isContextSummaryChoice } from "./context-summary";
import { defaultBudgetChars, maxBudgetChars } from "./pack";
import { isShortId, normalizeShortId } from "./short-id";

/** Items a recall returns when the caller does not say, and the most it may ask for. */
export const defaultMaxItems = 60;
export const maxMaxItems = 200;
/** A token budget beyond this could not be used: the text is at most 10,000 characters anyway. */
export const maxBudgetTokens = maxBudgetChars;
/** Only the start of a very long query (a pasted log) is searched. */
export const maxQueryChars = 20_000;
const maxExcluded = 1_000;

/** A recall request checked and normalized. */
export interface RecallPlan {
  scope: RecallScope;
  query: string;
  budgetChars: number;
  /** Set when the caller asked for a token budget instead of characters. */
  budgetTokens: number | null;
  maxItems: number;
  excludeShortIds: ReadonlySet<string>;
  explain: boolean;
  /** The summary of session contexts the caller asked for; null: the service's setting (chosenContextSummary). */
  contextSummary: ContextSummaryChoice | null;
}

/** Checks a RecallRequest; every broken rule is reported at once, naming its field. */
export function parseRecallRequest(request: RecallRequest): RecallPlan {
  const violations: FieldViolation[] = [];
  const refuse = (field: string, description: string) => violations.push({ field, description });

  if (request.budgetChars < 0 || request.budgetChars > maxBudgetChars)
    refuse("budget_chars", `must be between 0 and ${maxBudgetChars} (0: default ${defaultBudgetChars})`);
  if (request.budgetTokens < 0 || request.budgetTokens > maxBudgetTokens)
    refuse("budget_tokens", `must be between 0 and ${maxBudgetTokens} (0: use budget_chars)`);
  if (request.maxItems < 0 || request.maxItems > maxMaxItems)
    refuse("max_items", `must be between 0 and ${maxMaxItems} (0: default ${defaultMaxItems})`);
  if (request.excludeShortIds.length > maxExcluded) refuse("exclude_short_ids", `must list at most ${maxExcluded} short ids`);
  const excluded = new Set<string>();
  request.excludeShortIds.slice(0, maxExcluded).forEach((given, i) => {
    const shortId = normalizeShortId(given);
    if (isShortId(shortId)) excluded.add(shortId);
    else refuse(`exclude_short_ids[${i}]`, "must be a short id of 8 characters a-z and 2-7");
  });
  const contextSummary = request.contextSummary.trim().toLowerCase();
  if (contextSummary !== "" && !isContextSummaryChoice(contextSummary))
    refuse("context_summary", `must be ${contextSummaryChoices.join(" or ")} (empty: the service's setting)`);
  const scope = parseScope(request.scope, refuse);
  if (violations.length > 0) throw invalidArguments(violations);

  return {
    scope,
    query: request.query.slice(0, maxQueryChars),
    budgetChars: request.budgetTokens > 0 ? maxBudgetChars : request.budgetChars || defaultBudgetChars,
    budgetTokens: request.budgetTokens > 0 ? request.budgetTokens : null,
    maxItems: request.maxItems || defaultMaxItems,
    excludeShortIds: excluded,
    explain: request.explain,
    contextSummary: isContextSummaryChoice(contextSummary) ? contextSummary : null,
  };
}

/** The scope as ingest stores it: ids lower-case UUIDs, the repository normalized, the host lower-case. */
function parseScope(scope: Scope | undefined, refuse: (field: string, description: string) => void): RecallScope {
  const out: RecallScope = {};
  const id = (value: string | undefined, name: string): string | undefined => {
    const trimmed = value?.trim() ?? "";
    if (trimmed === "") return undefined;
    if (isUuid(trimmed)) return trimmed.toLowerCase();
    refuse(`scope.${name}`, "must be a UUID");
    return undefined;
  };
  const text = (value: string | undefined, name: string, max: number): string | undefined => {
    const trimmed = value?.trim() ?? "";
    if (trimmed.length > max) refuse(`scope.${name}`, `must be at most ${max} characters`);
    return trimmed === "" ? undefined : trimmed;
  };
  const machineId = id(scope?.machineId, "machine_id");
  const projectId = id(scope?.projectId, "project_id");
  const clientId = id(scope?.clientId, "client_id");
  const machineName = text(scope?.machineName, "machine_name", 255);
  const cwd = text(scope?.cwd, "cwd", 1024);
  const repository = text(scope?.repository, "repository", 512);
  const host = text(scope?.host, "host", 255);
  if (machineId) out.machineId = machineId;
  if (projectId) out.projectId = projectId;
  if (clientId) out.clientId = clientId;
  if (machineName) out.machineName = machineName;
  if (cwd) out.cwd = cwd;
  const normalized = repository ? normalizeRepository(repository) : "";
  if (normalized) out.repository = normalized;
  if (host) out.host = host.toLowerCase();
  return out;
}
