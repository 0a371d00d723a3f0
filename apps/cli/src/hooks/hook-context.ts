import type { CliConfig } from "../local/cli-config";
import { writeLog } from "../local/error-log";
import { redactLazily } from "../local/lazy-redact";
import { reachabilityObserver } from "../local/reachability";
import { connectionRefused } from "../platform/connect-probe";
import { UnreachableError } from "../platform/http-json";
import type { MspPaths } from "../local/msp-home";
import { createPlatformClient } from "../platform/platform-client";
import type { PlatformClient } from "../platform/platform-client";
import type { DeliveryContext } from "../delivery/delivery-context";
import type { SpoolEvent } from "../spool/spool-event";
import { appendSpoolEvent } from "../spool/spool-file";
import { startBackgroundSender } from "./background-sender";
import { Deadline } from "./deadline";
import type { HookEvent, HookInput } from "./hook-input";

/** Everything one hook run needs, built once per process. */
export interface HookContext extends DeliveryContext {
  event: HookEvent;
  input: HookInput;
  deadline: Deadline;
  /** Keeps an event for later delivery (the platform is down or slow). */
  spool(event: SpoolEvent): void;
  /** Starts the detached sender when the spool has work (or always, with force), unless the platform is known to be down. */
  startSender(force?: boolean): void;
  /** The platform did not answer a moment ago (this run, or a recent one within `windowMs`): spool without trying. */
  platformDown(windowMs?: number): boolean;
  /**
   * Found down less than the breaker's window ago, and still refusing a TCP connection: one
   * connect instead of the hook's requests (and their log lines). Renews the breaker when so.
   */
  platformStillRefuses(): Promise<boolean>;
}

/** The longest a probe of a platform found down waits for its connection. */
const probeWaitMs = 300;

export function createHookContext(event: HookEvent, input: HookInput, config: CliConfig, paths: MspPaths, budgetMs: number): HookContext {
  const deadline = new Deadline(budgetMs);
  // Only a platform that cannot be connected to trips the breaker; a slow answer is not "down".
  const reachability = reachabilityObserver(paths.cache, (error) => error instanceof UnreachableError && !error.timedOut);
  const platform: PlatformClient = createPlatformClient(config.server, config.apiKey, reachability.observe);
  const platformDown = reachability.down;
  // Leave a little of the budget for writing the spool and exiting.
  const timeoutMs = () => Math.max(1, deadline.remaining() - 40);
  return {
    event,
    input,
    config,
    paths,
    platform,
    deadline,
    timeoutMs,
    redact: redactLazily,
    log: (message) => writeLog(paths.log, "error", event, message),
    spool: (spooled) => appendSpoolEvent(paths.spool, spooled),
    platformDown,
    platformStillRefuses: async () => {
      if (!platformDown()) return false;
      const refused = await connectionRefused(config.server, Math.min(timeoutMs(), probeWaitMs));
      if (refused) reachability.observe(new UnreachableError(`${config.server}: connection refused`));
      return refused;
    },
    startSender: (force = false) => {
      if (platformDown()) return;
      try {
        startBackgroundSender(paths.home, paths.spool, force);
      } catch (error) {
        writeLog(paths.log, "error", event, `could not start the background sender: ${String(error)}`);
      }
    },
  };
}
