import type { CliConfig } from "../local/cli-config";
import type { MspPaths } from "../local/msp-home";
import type { PlatformClient } from "../platform/platform-client";

/** What delivering an event needs: the platform, this machine, its files, and a time limit per call. */
export interface DeliveryContext {
  platform: PlatformClient;
  config: CliConfig;
  paths: MspPaths;
  /** Milliseconds the next call may take (a hook's remaining budget, or a fixed limit in the background). */
  timeoutMs: () => number;
  redact: (text: string) => string;
  log: (message: string) => void;
}

/**
 * The context for delivering one event: its writes carry keys derived from the event's id, so
 * that the event delivered again (after a timeout, by `msp sync`) is applied once by the platform.
 */
export function deliveringEvent(ctx: DeliveryContext, eventId: string): DeliveryContext {
  return { ...ctx, platform: ctx.platform.forEvent(eventId) };
}
