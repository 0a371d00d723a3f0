import { existsSync, readdirSync, rmSync, rmdirSync } from "node:fs";
import type { MspPaths } from "../local/msp-home";

// `msp setup --uninstall` and what msp wrote on this machine besides the hooks and the config:
// the spool (events not delivered yet, failed.jsonl, redacted transcript slices), the model
// summarizer's queue (redacted sessions waiting for a summary) and the log.
// They go after the technician says so: asked on a terminal, or with --purge (--yes). Without a
// terminal and without the flag they stay, and the output says how to remove them.

/** The answer to "remove the spool and the logs?": from a flag, from the technician, or kept for want of both. */
export type LocalDataDecision = "purge" | "asked-yes" | "asked-no" | "kept-no-terminal";

export interface LocalDataOptions {
  purge?: boolean;
  yes?: boolean;
}

/** How to ask on a terminal; absent when stdin or stderr is not one. */
export type AskYesNo = (question: string) => Promise<boolean>;

/** What removing the spool and the logs did. */
export interface LocalDataReport {
  decision: LocalDataDecision;
  removed: boolean;
  spool: string;
  /** The summarizer's folder, when this machine had one. */
  summarizer?: string;
  logs: string[];
  /** Events that never reached the platform (lost when removed). */
  pendingEvents: number;
  /** The config folder itself, removed because nothing else was left in it. */
  homeRemoved: boolean;
}

/** The log files msp writes (the log and its one rotated predecessor). */
export function logFiles(paths: MspPaths): string[] {
  return [paths.log, `${paths.log}.1`];
}

/** Asks, when there is a terminal to ask on; otherwise keeps the data unless a flag said to remove it. */
export async function decideLocalData(options: LocalDataOptions, ask: AskYesNo | undefined, question: string): Promise<LocalDataDecision> {
  if (options.purge || options.yes) return "purge";
  if (!ask) return "kept-no-terminal";
  return (await ask(question)) ? "asked-yes" : "asked-no";
}

/** Removes the spool folder and the log files, then the config folder if nothing is left in it. */
export function removeLocalData(paths: MspPaths): { homeRemoved: boolean } {
  rmSync(paths.spool, { recursive: true, force: true });
  rmSync(paths.summarizer, { recursive: true, force: true });
  for (const file of logFiles(paths)) rmSync(file, { force: true });
  try {
    if (readdirSync(paths.home).length === 0) {
      rmdirSync(paths.home);
      return { homeRemoved: true };
    }
  } catch {
    // no folder, or not empty after all: it stays
  }
  return { homeRemoved: false };
}

/** Decides and, when the answer is yes, removes. */
export async function uninstallLocalData(
  paths: MspPaths,
  options: LocalDataOptions,
  pendingEvents: number,
  ask: AskYesNo | undefined,
): Promise<LocalDataReport> {
  const waiting =
    pendingEvents > 0 ? ` (${pendingEvents} event${pendingEvents === 1 ? "" : "s"} never reached the platform and would be lost)` : "";
  const decision = await decideLocalData(options, ask, `Remove the spool${waiting} and the logs in ${paths.home}? [y/N] `);
  const removed = decision === "purge" || decision === "asked-yes";
  const summarizer = existsSync(paths.summarizer) ? { summarizer: paths.summarizer } : {};
  const { homeRemoved } = removed ? removeLocalData(paths) : { homeRemoved: false };
  return { decision, removed, spool: paths.spool, ...summarizer, logs: logFiles(paths), pendingEvents, homeRemoved };
}

/** The lines `msp setup --uninstall` prints about the spool and the logs. */
export function localDataLines(report: LocalDataReport): string[] {
  if (report.removed) {
    const lost =
      report.pendingEvents > 0 ? ` (with ${report.pendingEvents} undelivered event${report.pendingEvents === 1 ? "" : "s"})` : "";
    return [`Removed the spool${lost} and the logs${report.homeRemoved ? ", and the empty config folder" : ""}.`];
  }
  const pending =
    report.pendingEvents > 0
      ? `${report.pendingEvents} event${report.pendingEvents === 1 ? "" : "s"} never reached the platform; they stay in ${report.spool}. `
      : "";
  const why = report.decision === "kept-no-terminal" ? "no terminal to ask on" : "as you answered";
  return [
    `${pending}Kept the spool (${report.spool}) and the logs (${report.logs[0]}) (${why}).`,
    `Remove them with: msp setup --uninstall --purge   (or: rm -rf "${report.spool}"${report.summarizer ? ` "${report.summarizer}"` : ""} "${report.logs[0]}" "${report.logs[1]}")`,
  ];
}

/** Asks a yes/no question on the terminal (stderr), when stdin and stderr are terminals. */
export function terminalAsk(): AskYesNo | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return async (question) => {
    const { promptLine } = await import("./password-prompt");
    return /^y(?:es)?$/i.test(await promptLine(question));
  };
}
