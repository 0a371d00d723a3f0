import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { CallerContext, PeerClients } from "@msp/service-client";
import type { HostFacts } from "@msp/proto/src/gen/es/msp/infra/v1/asset_pb";
import { AssetService, AssetStatus } from "@msp/proto/src/gen/es/msp/infra/v1/asset_pb";
import { ChangeType } from "@msp/proto/src/gen/es/msp/infra/v1/infrastructure_change_pb";
import { defaultHostBudgetMs } from "../recall/settings";
import type { KnownHost } from "./known-host";

/** What MatchHosts is asked: the client whose hosts count, the texts to look in, how many at most. */
export interface HostQuery {
  clientId: string;
  texts: readonly string[];
  limit: number;
}

/**
 * The infra service's hosts, as the recall service sees them: it keeps no asset table, so it
 * asks the infra service (MatchHosts), as the user it serves, which of the client's hosts a text
 * names, with their facts. Behind this interface so the rules around it are tested with a fake.
 */
export interface InfraHosts {
  /** Throws whatever went wrong (the infra service down, refusing, or slower than the budget). */
  matchHosts(ctx: CallerContext, query: HostQuery): Promise<KnownHost[]>;
}

/** MatchHosts over gRPC, given up after `budgetMs` (default 300): the call is on the prompt's path. */
export function createInfraHosts(peers: PeerClients, options: { budgetMs?: number } = {}): InfraHosts {
  const budgetMs = options.budgetMs ?? defaultHostBudgetMs;
  return {
    async matchHosts(ctx, query) {
      const answer = await withinBudget(
        peers.call(ctx, AssetService.method.matchHosts, { clientId: query.clientId, texts: [...query.texts], limit: query.limit }),
        budgetMs,
      );
      return answer.hosts.flatMap((facts) => {
        const host = knownHostOf(facts);
        return host ? [host] : [];
      });
    },
  };
}

/** The host of a MatchHosts answer in the recall service's own terms; undefined without an asset. */
export function knownHostOf(facts: HostFacts): KnownHost | undefined {
  const asset = facts.asset;
  if (!asset?.id) return undefined;
  return {
    id: asset.id.toLowerCase(),
    hostname: asset.hostname ?? "",
    ipAddress: asset.ipAddress ?? "",
    os: asset.os ?? "",
    osVersion: asset.osVersion ?? "",
    role: asset.role ?? "",
    status: enumName(AssetStatus, asset.status),
    shellType: asset.shellType ?? "",
    packageManager: asset.packageManager ?? "",
    hasGui: asset.hasGui,
    limitations: asset.limitations,
    aliases: asset.aliases,
    matchedBy: facts.matchedBy,
    matchedText: facts.matchedText,
    services: facts.services.map((service) => ({ name: service.name, status: service.status })),
    recentChanges: facts.recentChanges.map((change) => ({
      changeType: enumName(ChangeType, change.changeType),
      targetSystem: change.targetSystem ?? "",
      afterState: change.afterState ?? "",
      at: change.createdAt ? timestampDate(change.createdAt) : null,
    })),
  };
}

/** `migration_source` for AssetStatus.MIGRATION_SOURCE; "" for unset, unspecified or unknown values. */
function enumName(values: object, value: number | undefined): string {
  if (value === undefined || value === 0) return "";
  const name = (values as Record<number, string | undefined>)[value];
  return name === undefined ? "" : name.toLowerCase();
}

/** `promise`, or a rejection once `budgetMs` have passed (the call itself runs on to its own deadline). */
function withinBudget<T>(promise: Promise<T>, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HostBudgetExceeded(budgetMs)), budgetMs);
    timer.unref();
  });
  // A late failure, after the budget ran out, must not become an unhandled rejection.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The infra service did not answer within the recall's budget. */
export class HostBudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`the infra service did not answer within ${budgetMs} ms`);
    this.name = "HostBudgetExceeded";
  }
}
