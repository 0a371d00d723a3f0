import type { Database } from "@msp/db";
import type { Logger } from "@msp/logging";
import type { CallerContext } from "@msp/service-client";
import type { RecalledItem, RecallRequest, RecallResponse } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import type { HostEntry, HostRecall } from "../hosts/host-recall";
import type { RecallLedger } from "./bookkeeping";
import type { RecallScope } from "./candidate";
import { gatherCandidates } from "./candidates";
import { chosenContextSummary } from "./context-summary";
import { readDigests } from "./digest-source";
import type { HeaderLabels } from "./format";
import { headerLine } from "./format";
import type { FullTextIndex } from "./fulltext";
import type { PackedItem, TextMeasure } from "./pack";
import { pack } from "./pack";
import { rankCandidates } from "./rank";
import { parseRecallRequest } from "./recall-request";
import { scoringContext } from "./score";
import type { ReadRows } from "./read-rows";
import type { ScopeCache } from "./scope-cache";
import type { ScopeNames } from "./scope-names";
import type { RecallSettings } from "./settings";
import type { WorkRecall } from "./work-recall";

/** What a recall needs: the database (and its fast read path), its full-text index, the settings, a clock and a tokenizer. */
export interface RecallEngine {
  db: Database;
  read: ReadRows;
  fullText: FullTextIndex;
  settings: RecallSettings;
  logger: Logger;
  now: () => Date;
  /** The tokenizer, exact: for token budgets. */
  countTokens: TextMeasure;
  /** The same counts by line, remembered: for text_tokens of character-budget recalls. */
  countLineTokens: TextMeasure;
  ledger: RecallLedger;
  /** Candidates of recently recalled scopes (none: every recall reads them). */
  cache?: ScopeCache | undefined;
  /** The facts of the client's hosts the query or folder names, from the infra service (none: no host lines). */
  hosts?: HostRecall | undefined;
  /** The project's and client's names for the header, from the work service (none: ids and the repository). */
  names?: ScopeNames | undefined;
  /** Work items and problem solutions of the scope, from the work service (none: only the recall service's own memory). */
  work?: WorkRecall | undefined;
}

/**
 * Recall: gather the scope's candidates (and full-text hits for the query), with the scope's work
 * items and problem solutions asked of the work service meanwhile, score them, drop what is
 * superseded or already injected, keep one of each duplicate, pack the best into the budget, after
 * a line for each of the client's hosts the query (or folder) names, asked of the infra service at
 * the same time. Recall counts and short ids are written after the answer, off its path (RecallLedger).
 */
export async function recall(engine: RecallEngine, request: RecallRequest, caller?: CallerContext): Promise<RecallResponse> {
  const plan = parseRecallRequest(request);
  const now = engine.now();
  const [stored, hosts, labels, work] = await Promise.all([
    gatherCandidates(engine.read, engine.fullText, { scope: plan.scope, query: plan.query, cache: engine.cache }),
    engine.hosts ? engine.hosts(caller, { scope: plan.scope, query: plan.query, excludeShortIds: plan.excludeShortIds }) : [],
    engine.names ? engine.names(caller, plan.scope) : headerLabels(plan.scope),
    engine.work ? engine.work.candidates(caller, { scope: plan.scope, query: plan.query }) : [],
  ]);
  // Work recorded in the work service competes with the stored memory on the same terms.
  const candidates = work.length === 0 ? stored : [...stored, ...work];
  const context = scoringContext(plan.scope, plan.query, now, { halfLifeDays: engine.settings.halfLifeDays });
  // A failure pattern a host line shows is not shown again as an item of its own.
  const inHostLines = new Set(hosts.flatMap((host) => host.failureIds));
  const ranked = rankCandidates(
    inHostLines.size === 0 ? candidates : candidates.filter((c) => !(c.kind === "failure_pattern" && inHostLines.has(c.id))),
    context,
    plan.excludeShortIds,
  );
  const digests = await readDigests(
    engine.read,
    ranked,
    context.queryTerms,
    chosenContextSummary(plan.contextSummary, engine.settings.contextSummary),
    plan.scope,
    plan.query,
  );
  const packed = pack(ranked, {
    budget: {
      chars: plan.budgetChars,
      ...(plan.budgetTokens === null ? {} : { tokens: { limit: plan.budgetTokens, count: engine.countTokens } }),
    },
    header: headerLine(labels),
    // Host lines count as items: a caller asking for at most n items gets at most n lines.
    maxItems: Math.max(0, plan.maxItems - hosts.length),
    leading: hosts.map((host) => host.line),
    digests,
  });

  const shown = packed.items.map((item) => ({ kind: item.candidate.kind, id: item.candidate.id, shortId: item.shortId }));
  engine.ledger.record(shown, now);
  return {
    items: [...packed.leading.map((line, i) => hostItem(hosts[i]!, line)), ...packed.items.map((item) => recalledItem(item, plan.explain))],
    text: packed.text,
    textChars: packed.text.length,
    textTokens: plan.budgetTokens === null ? engine.countLineTokens(packed.text) : engine.countTokens(packed.text),
  };
}

/** The header names the project by its repository when known (ids mean little to Claude). */
function headerLabels(scope: RecallScope): HeaderLabels {
  const labels: HeaderLabels = {};
  const project = scope.repository ?? scope.projectId;
  if (project) labels.project = project;
  if (scope.clientId) labels.client = scope.clientId;
  return labels;
}

/**
 * A host line as an item of kind "host": its short id lets callers leave it out of later recalls
 * (exclude_short_ids), as for memory items; it is no stored memory item (GetMemoryItem does not
 * know it) and has no time, machine or score.
 */
function hostItem(host: HostEntry, line: string): RecalledItem {
  return { shortId: host.shortId, kind: "host", id: host.id, title: host.hostname, line, machineId: "", machineName: "", score: 0 };
}

function recalledItem(item: PackedItem, explain: boolean): RecalledItem {
  const { candidate } = item;
  return {
    shortId: item.shortId,
    kind: candidate.kind,
    id: candidate.id,
    title: candidate.title,
    line: item.line,
    time: candidate.time,
    machineId: candidate.machineId ?? "",
    machineName: candidate.machineName ?? "",
    score: item.score,
    ...(explain ? { scoreParts: item.parts } : {}),
  };
}
