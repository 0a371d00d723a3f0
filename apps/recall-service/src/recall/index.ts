import type { Database } from "@msp/db";
import type { Handlers } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import type { MemoryServiceService } from "@msp/proto/src/gen/ts/msp/recall/v1/memory";
import { countTokens } from "@msp/transcript";
import { createHostRecall } from "../hosts/host-recall";
import { createScopeNames } from "./scope-names";
import type { WorkNames } from "./scope-names";
import type { InfraHosts } from "../hosts/infra-hosts";
import { RecallLedger } from "./bookkeeping";
import type { FullTextIndex } from "./fulltext";
import { createFullTextIndex } from "./fulltext";
import { getMemoryItem, markUseful } from "./memory-item";
import { createRowReader } from "./read-rows";
import type { RecallEngine } from "./recall";
import { recall } from "./recall";
import type { RecallSettings } from "./settings";
import { ScopeCache } from "./scope-cache";
import { createLineTokenCounter } from "./token-count";
import { defaultRecallSettings } from "./settings";
import { createWorkRecall } from "./work-recall";
import type { WorkRecords } from "./work-records";

export { defaultRecallSettings, recallConfig, recallSettingsFromEnv } from "./settings";
export type { RecallSettings } from "./settings";

/** What the recall handlers are built from; everything but the database has a default. */
export interface RecallDeps {
  db: Database;
  logger: Logger;
  settings?: RecallSettings;
  /** Where shown items are counted; the service flushes it when it stops. */
  ledger?: RecallLedger;
  fullText?: FullTextIndex;
  now?: () => Date;
  /** The infra service's hosts, for the host lines of a recall (none: recalls have no host lines). */
  infra?: InfraHosts | undefined;
  /** The work service's names of clients and projects, for the header (none: it shows ids). */
  workNames?: WorkNames | undefined;
  /** The work service's work items and problem solutions, recalled with the memory (none: they are not). */
  workRecords?: WorkRecords | undefined;
  /** How long a recall waits for them (default 250 ms; see work-recall.ts). */
  workBudgetMs?: number | undefined;
}

/** MemoryService's Recall, GetMemoryItem and MarkUseful, over one engine. */
export function recallMethods(deps: RecallDeps): Pick<Handlers<typeof MemoryServiceService>, "recall" | "getMemoryItem" | "markUseful"> {
  const read = createRowReader(deps.db);
  const settings = deps.settings ?? defaultRecallSettings;
  const engine: RecallEngine = {
    db: deps.db,
    read,
    logger: deps.logger,
    settings,
    cache: settings.cacheMiB > 0 ? new ScopeCache(settings.cacheMiB * 1024 * 1024) : undefined,
    fullText: deps.fullText ?? createFullTextIndex(deps.db, read),
    now: deps.now ?? (() => new Date()),
    countTokens,
    countLineTokens: createLineTokenCounter(countTokens),
    ledger: deps.ledger ?? createRecallLedger(deps.db, deps.logger),
    ...(deps.infra ? { hosts: createHostRecall({ infra: deps.infra, read, logger: deps.logger }) } : {}),
    ...(deps.workNames ? { names: createScopeNames(deps.workNames) } : {}),
    ...(deps.workRecords
      ? { work: createWorkRecall({ work: deps.workRecords, read, logger: deps.logger, budgetMs: deps.workBudgetMs }) }
      : {}),
  };
  return {
    recall: (request, ctx) => recall(engine, request, ctx),
    getMemoryItem: (request, ctx) => getMemoryItem(engine, request, ctx),
    markUseful: (request, ctx) => markUseful(engine, request, ctx),
  };
}

/** The ledger of recalled items, logging (not throwing) a write that failed. */
export function createRecallLedger(db: Database, logger: Logger): RecallLedger {
  return new RecallLedger(db, (error) => logger.warn({ err: error }, "recall: could not record recalled items"));
}

export type { RecallLedger } from "./bookkeeping";
