import { appendFileSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { stripPrivate } from "@msp/redaction/src/private-text";
import { redactLazily } from "./lazy-redact";

/** One line of ~/.msp/log: what failed, where, when. */
export interface LogEntry {
  at: string;
  level: "error" | "warn" | "info";
  /** The hook event or command, such as session-start or sync. */
  source: string;
  message: string;
}

const maxBytes = 512 * 1024;

/**
 * Appends to the local log (hooks print nothing to Claude when they fail; the reason goes here
 * and `msp status` shows it). Never throws: logging must not become the failure.
 */
export function writeLog(path: string, level: LogEntry["level"], source: string, message: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      if (statSync(path).size > maxBytes) renameSync(path, `${path}.1`);
    } catch {
      // no log yet
    }
    const entry: LogEntry = { at: new Date().toISOString(), level, source, message: redactMessage(message.slice(0, 4000)).slice(0, 2000) };
    appendFileSync(path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  } catch {
    // nowhere to write: stay silent rather than disturb the session
  }
}

/**
 * A message redacted before it is written: failures quote what they failed on (a command, a
 * server's answer naming a field), and the log stays on disk. The redactor loads on the first
 * message only, so a hook that logs nothing never pays for it.
 */
function redactMessage(message: string): string {
  try {
    return stripPrivate(redactLazily(message));
  } catch {
    return "[message withheld: it could not be redacted]";
  }
}

/** The last `count` entries of the log (errors and warnings by default). */
export function readLog(path: string, count = 10, levels: readonly LogEntry["level"][] = ["error", "warn"]): LogEntry[] {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const entries: LogEntry[] = [];
  for (const line of text.split("\n")) {
    try {
      const entry = JSON.parse(line) as LogEntry;
      if (levels.includes(entry.level)) entries.push(entry);
    } catch {
      // a torn line
    }
  }
  return entries.slice(-count);
}
