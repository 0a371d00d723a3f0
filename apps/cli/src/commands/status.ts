import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { readConfig } from "../local/cli-config";
import { readLog } from "../local/error-log";
import { readLinks } from "../local/folder-links";
import { catalogNeedsRefresh, readCatalog, refreshCatalog } from "../local/project-catalog";
import { resolveWorkScope } from "../local/work-scope";
import { createPlatformClient } from "../platform/platform-client";
import { countMspHooks } from "../settings/claude-settings";
import { claudeSettingsPath, readSettings } from "../settings/settings-file";
import { senderRunning } from "../spool/sender-lock";
import { pendingEvents } from "../spool/spool-flush";
import { jobsInProgress, waitingJobs } from "../summarizer/summary-jobs";
import { usageToday } from "../summarizer/token-budget";
import type { CommonOptions } from "./command-support";
import { emit, pathsOf } from "./command-support";
import { clientNameOf, describeScope } from "./folder-recall";
import { statusErrors } from "./status-errors";

/** `msp status`: is the platform reachable, what waits in the spool, what failed lately, this machine, this folder. */
export async function statusCommand(options: CommonOptions): Promise<void> {
  const paths = pathsOf(options);
  const config = readConfig(paths.config);
  const settingsPath = claudeSettingsPath(process.env["HOME"] || homedir());
  let hooks = 0;
  try {
    hooks = countMspHooks(readSettings(settingsPath).settings);
  } catch {
    hooks = -1;
  }
  const pending = pendingEvents(paths.spool);
  const failed = countLines(join(paths.spool, "failed.jsonl"));
  // Enough of the log that an outage's entries do not hide the last errors that still matter.
  const errors = readLog(paths.log, 50);
  const links = readLinks(paths.links);
  let catalog = readCatalog(paths.cache);
  let scope = resolveWorkScope(process.cwd(), links, catalog);

  let server: { reachable: boolean; ms?: number; error?: string } = { reachable: false, error: "not set up" };
  if (config) {
    const started = Date.now();
    const platform = createPlatformClient(config.server, config.apiKey);
    try {
      await platform.getMachine(config.machineId, 5_000);
      server = { reachable: true, ms: Date.now() - started };
    } catch (error) {
      server = { reachable: false, error: error instanceof Error ? error.message : String(error) };
    }
    // The folder line should not say "no project has this repository" from a catalog older than the project.
    if (server.reachable && catalogNeedsRefresh(catalog, scope)) {
      try {
        catalog = await refreshCatalog(paths.cache, platform, 5_000);
        scope = resolveWorkScope(process.cwd(), links, catalog);
      } catch {
        // The cached catalog still says what it knows.
      }
    }
  }
  const shown = statusErrors(errors, server.reachable);
  const byKind: Record<string, number> = {};
  for (const event of pending) byKind[event.kind] = (byKind[event.kind] ?? 0) + 1;
  const data = {
    configured: config !== undefined,
    home: paths.home,
    server: config ? { url: config.server, ...server } : undefined,
    machine: config ? { id: config.machineId, name: config.machineName } : undefined,
    hooksInstalled: hooks,
    settings: settingsPath,
    spool: { pending: pending.length, byKind, oldest: pending[0]?.at, failed, senderRunning: senderRunning(paths.spool) },
    folder: scope,
    summarizer: config?.summarizer
      ? {
          ...config.summarizer,
          today: usageToday(paths.summarizer),
          waiting: waitingJobs(paths.summarizer),
          running: jobsInProgress(paths.summarizer),
        }
      : null,
    recentErrors: shown.current,
    ...(shown.pastOutage ? { pastOutage: shown.pastOutage } : {}),
  };
  if (!config) {
    emit(options, data, [`Not set up (no ${paths.config}). Run: msp setup --server URL --user NAME`]);
    process.exitCode = 1;
    return;
  }
  emit(options, data, [
    `Server   ${config.server}: ${server.reachable ? `reachable (${server.ms} ms)` : `NOT reachable: ${server.error}`}`,
    `Machine  ${config.machineName} (${config.machineId})`,
    `Hooks    ${hooks < 0 ? `${settingsPath} is not valid JSON` : hooks > 0 ? `${hooks} installed in ${settingsPath}` : `none in ${settingsPath}; run msp setup`}`,
    `Spool    ${
      pending.length === 0
        ? "empty"
        : `${pending.length} waiting (${Object.entries(byKind)
            .map(([kind, n]) => `${n} ${kind}`)
            .join(", ")}), oldest ${pending[0]!.at}`
    }${failed ? `; ${failed} refused, see ${join(paths.spool, "failed.jsonl")}` : ""}${data.spool.senderRunning ? "; a sender is at work" : ""}`,
    `Folder   ${describeScope(scope, clientNameOf(catalog, scope.clientId))}`,
    data.summarizer
      ? `Summary  ${data.summarizer.command} -p --model ${data.summarizer.model}: ${data.summarizer.today.tokens} of ${data.summarizer.dailyTokenCap} tokens today (${data.summarizer.today.summaries} summaries)${
          data.summarizer.waiting + data.summarizer.running > 0
            ? `; ${data.summarizer.waiting + data.summarizer.running} sessions waiting`
            : ""
        }`
      : "Summary  deterministic only (msp setup --summarizer claude adds model summaries)",
    shown.current.length === 0 ? "Errors   none lately" : `Errors   last ${shown.current.length} (from ${paths.log}):`,
    ...shown.current.map((entry) => `  ${entry.at} ${entry.source}: ${entry.message}`),
    ...(shown.pastOutage
      ? [
          `Earlier  the platform did not answer until ${shown.pastOutage.lastAt} (${shown.pastOutage.entries} log entries); it answers now${
            pending.length > 0 ? `: msp sync sends the ${pending.length} waiting events` : ""
          }`,
        ]
      : []),
  ]);
  if (!server.reachable) process.exitCode = 1;
}

function countLines(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "").length;
}
