import { redact } from "@msp/redaction";
import type { DeliveryContext } from "../delivery/delivery-context";
import { writeLog } from "../local/error-log";
import { pruneSessionStates } from "../local/session-state";
import { createPlatformClient } from "../platform/platform-client";
import { UnreachableError } from "../platform/http-json";
import { reachabilityObserver } from "../local/reachability";
import { lockSender, tryLockSender } from "../spool/sender-lock";
import type { FlushResult } from "../spool/spool-flush";
import { flushSpool } from "../spool/spool-flush";
import type { CommonOptions } from "./command-support";
import { CommandError, emit, pathsOf, requireConfig } from "./command-support";

export interface SyncOptions extends CommonOptions {
  /** Run by a hook: never wait for the lock, print nothing, log failures. */
  background?: boolean;
  wait?: string;
}

/** How long one call of a spooled event may take in the background (uploads of several MB). */
const deliveryTimeoutMs = 60_000;

/** `msp sync`: delivers the spool now (waiting for a background sender that is at it). */
export async function syncCommand(options: SyncOptions): Promise<void> {
  const paths = pathsOf(options);
  const config = requireConfig(paths);
  const waitSeconds = options.wait === undefined ? 60 : Number(options.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new CommandError("--wait: seconds, 0 or more");
  const lock = options.background ? tryLockSender(paths.spool) : await lockSender(paths.spool, waitSeconds * 1000);
  if (!lock) {
    if (options.background) return;
    throw new CommandError(`another msp sync is still sending after ${waitSeconds} s; try again later`, "busy");
  }
  let result: FlushResult;
  try {
    // Loaded here, not at start-up: delivering transcripts needs the compressor and its tokenizer.
    const { deliverEvent } = await import("../delivery/deliver-event");
    const ctx: DeliveryContext = {
      platform: createPlatformClient(
        config.server,
        config.apiKey,
        reachabilityObserver(paths.cache, (error) => error instanceof UnreachableError && !error.timedOut).observe,
      ),
      config,
      paths,
      timeoutMs: () => deliveryTimeoutMs,
      redact,
      log: (message) => writeLog(paths.log, "error", "sync", message),
    };
    // Run by hand, it also waits out the short grace period of what it delivered, so no copy is left.
    result = await flushSpool(paths.spool, (event) => deliverEvent(ctx, event), { log: ctx.log, redact, settle: !options.background });
    if (result.stoppedBy)
      writeLog(
        paths.log,
        options.background ? "warn" : "error",
        "sync",
        `platform unreachable, ${result.remaining} events wait: ${result.stoppedBy}`,
      );
    if (result.skipped > 0)
      writeLog(paths.log, "warn", "sync", `${result.skipped} damaged spool lines skipped (a torn write after a crash)`);
    pruneSessionStates(paths.sessions);
  } finally {
    lock.release();
  }
  if (options.background) return;
  emit(
    options,
    result,
    [
      `Delivered ${result.delivered} event${result.delivered === 1 ? "" : "s"}${result.superseded ? ` (${result.superseded} made redundant by later ones)` : ""}.`,
      result.failed ? `${result.failed} refused by the platform; kept in ${paths.spool}/failed.jsonl.` : "",
      result.remaining
        ? `${result.remaining} still waiting: ${result.stoppedBy ?? "the platform did not take them"}.`
        : "The spool is empty.",
      result.skipped ? `${result.skipped} damaged line${result.skipped === 1 ? "" : "s"} skipped.` : "",
    ].filter(Boolean),
  );
  if (result.remaining > 0) process.exitCode = 1;
}
