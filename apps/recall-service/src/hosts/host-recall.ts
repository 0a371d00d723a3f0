import { DomainError } from "@msp/errors";
import type { Logger } from "@msp/logging";
import type { CallerContext } from "@msp/service-client";
import type { RecallScope } from "../recall/candidate";
import type { ReadRows } from "../recall/read-rows";
import { shortIdOf } from "../recall/short-id";
import { activeFailuresOf } from "./host-failures";
import { failuresOfHost, hostLine, shownFailures } from "./host-line";
import { hostMatchTexts } from "./host-texts";
import type { InfraHosts } from "./infra-hosts";
import { HostBudgetExceeded } from "./infra-hosts";
import type { HostFailure, KnownHost } from "./known-host";

/** Hosts one recall shows at most: the most specific matches. */
export const maxRecalledHosts = 3;
/** After the infra service was down or slow, recalls go without host lines this long before asking again. */
export const hostBackoffMs = 10_000;
/** A failure that is not the infra service being away is logged as a warning at most this often. */
const warnEveryMs = 60_000;

/** One host line of a recall. */
export interface HostEntry {
  /** The asset's id. */
  id: string;
  /** Stable per asset (the hash of `host:<id>`): callers exclude hosts already injected by it. */
  shortId: string;
  hostname: string;
  line: string;
  /** The failure patterns the line shows: not shown again as items of their own. */
  failureIds: string[];
}

/** What a recall tells the host lookup. */
export interface HostRecallRequest {
  scope: RecallScope;
  query: string;
  excludeShortIds: ReadonlySet<string>;
}

/** The host lines of a recall; never throws: anything that goes wrong means no host lines. */
export type HostRecall = (caller: CallerContext | undefined, request: HostRecallRequest) => Promise<HostEntry[]>;

export interface HostRecallDeps {
  infra: InfraHosts;
  read: ReadRows;
  logger: Logger;
  now?: () => number;
}

/** The short id of a host line (the same hash as memory items', of kind "host"). */
export function hostShortId(assetId: string): string {
  return shortIdOf("host", assetId);
}

/**
 * Host lines for a recall whose scope has a client: the client's hosts its query (or, without
 * one, its folder) names, as the infra service matches them, each with the active failure
 * patterns learned on it, in one compact line. No client, no caller to act for, nothing named,
 * or the infra service away, slow or refusing: no host lines, and the recall goes on.
 */
export function createHostRecall(deps: HostRecallDeps): HostRecall {
  const now = deps.now ?? Date.now;
  let quietUntil = 0;
  let warnedAt = -Infinity;
  return async (caller, request) => {
    const clientId = request.scope.clientId;
    if (!clientId || caller?.auth === undefined || now() < quietUntil) return [];
    const texts = hostMatchTexts({
      query: request.query,
      cwd: request.scope.cwd,
      repository: request.scope.repository,
      host: request.scope.host,
    });
    if (texts.length === 0) return [];
    let hosts: KnownHost[];
    try {
      hosts = await deps.infra.matchHosts(caller, { clientId, texts, limit: maxRecalledHosts });
    } catch (error) {
      if (isAway(error)) {
        quietUntil = now() + hostBackoffMs;
        deps.logger.debug(
          { err: errorSummary(error), requestId: caller.requestId },
          "recall: no host lines, the infra service is away or slow",
        );
      } else if (now() - warnedAt >= warnEveryMs) {
        warnedAt = now();
        deps.logger.warn({ err: errorSummary(error), requestId: caller.requestId }, "recall: no host lines, MatchHosts failed");
      } else {
        deps.logger.debug({ err: errorSummary(error), requestId: caller.requestId }, "recall: no host lines, MatchHosts failed");
      }
      return [];
    }
    const wanted = hosts
      .filter((host) => !request.excludeShortIds.has(hostShortId(host.id)))
      .filter((host, i, all) => all.findIndex((other) => other.id === host.id) === i)
      .slice(0, maxRecalledHosts);
    if (wanted.length === 0) return [];
    let failures: HostFailure[] = [];
    try {
      failures = await activeFailuresOf(deps.read, clientId, wanted);
    } catch (error) {
      deps.logger.warn(
        { err: errorSummary(error), requestId: caller.requestId },
        "recall: host lines without failure patterns, the read failed",
      );
    }
    return wanted.map((host) => {
      const own = failuresOfHost(host, failures);
      return {
        id: host.id,
        shortId: hostShortId(host.id),
        hostname: host.hostname,
        line: hostLine(host, own),
        failureIds: shownFailures(own).map((failure) => failure.id),
      };
    });
  };
}

/** Not there, not in time, or not deployed: worth a pause before asking again, not a warning. */
function isAway(error: unknown): boolean {
  if (error instanceof HostBudgetExceeded) return true;
  return error instanceof DomainError && ["unavailable", "deadline_exceeded", "unimplemented", "cancelled"].includes(error.code);
}

/** The error's kind and message only: a peer's error carries its call's metadata (a bearer token) in its cause. */
function errorSummary(error: unknown): { type: string; code?: string; message: string } {
  if (error instanceof DomainError) return { type: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { type: error.name, message: error.message };
  return { type: typeof error, message: String(error) };
}
