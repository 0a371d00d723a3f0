import { copyFileSync, existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../local/atomic-file";
import type { Settings } from "./claude-settings";
import { SettingsShapeError } from "./claude-settings";

/** Claude Code's user settings: ~/.claude/settings.json (HOME-relative, so tests and other users can move it). */
export function claudeSettingsPath(home: string): string {
  return join(home, ".claude", "settings.json");
}

/** Where the settings are backed up before msp first changes them. */
export function settingsBackupPath(settingsPath: string): string {
  return `${settingsPath}.msp-backup`;
}

/** Reads settings.json; an absent file reads as {}. Refuses invalid JSON rather than overwrite it. */
export function readSettings(path: string): { settings: Settings; existed: boolean } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { settings: {}, existed: false };
    throw error;
  }
  if (text.trim() === "") return { settings: {}, existed: true };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SettingsShapeError(`${path} is not valid JSON (${(error as Error).message}); fix it or move it away, then run setup again`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SettingsShapeError(`${path} must hold a JSON object`);
  return { settings: value as Settings, existed: true };
}

/** Copies settings.json to its backup unless a backup exists already (the original is kept once, never overwritten). */
export function backupSettingsOnce(path: string): string | undefined {
  const backup = settingsBackupPath(path);
  if (!existsSync(path) || existsSync(backup)) return undefined;
  copyFileSync(path, backup);
  return backup;
}

/** The settings as they were before msp's first install, if they were backed up. */
export function readBackup(path: string): Settings | undefined {
  const backup = settingsBackupPath(path);
  if (!existsSync(backup)) return undefined;
  try {
    return readSettings(backup).settings;
  } catch {
    return undefined;
  }
}

/** How a JSON file is laid out: msp writes the user's settings.json the way they keep it. */
export interface JsonLayout {
  /** The indentation of one level ("" for JSON on one line). */
  indent: string;
  finalNewline: boolean;
  lineEnd: "\n" | "\r\n";
}

/** The layout of a JSON text: its first indented line's indentation (tabs or spaces), its line ends, its last newline. */
export function jsonLayoutOf(text: string | undefined): JsonLayout {
  if (text === undefined || text.trim() === "") return { indent: "  ", finalNewline: true, lineEnd: "\n" };
  const indented = /\n([ \t]+)\S/.exec(text);
  const body = text.trim();
  return {
    indent: indented ? indented[1]! : body.includes("\n") ? "  " : "",
    finalNewline: /\n$/.test(text),
    lineEnd: text.includes("\r\n") ? "\r\n" : "\n",
  };
}

/** A JSON document written in a layout. */
export function formatJson(value: unknown, layout: JsonLayout): string {
  const text = JSON.stringify(value, null, layout.indent) + (layout.finalNewline ? "\n" : "");
  return layout.lineEnd === "\n" ? text : text.replace(/\n/g, "\r\n");
}

/**
 * Writes settings.json atomically, keeping the file's mode and layout (indentation, line ends,
 * last newline); `exactText`, when given, is written as it is (the user's original file).
 */
export function writeSettings(path: string, settings: Settings, exactText?: string): void {
  let mode = 0o644;
  let current: string | undefined;
  try {
    mode = statSync(path).mode & 0o777;
    current = readFileSync(path, "utf8");
  } catch {
    // a new file
  }
  writeFileAtomic(path, exactText ?? formatJson(settings, jsonLayoutOf(current)), mode);
}

/** The backup's text, exactly as the user had it, if there is one. */
export function readBackupText(path: string): string | undefined {
  try {
    return readFileSync(settingsBackupPath(path), "utf8");
  } catch {
    return undefined;
  }
}

/** Removes settings.json (uninstall, when msp created it and nothing else is in it). */
export function removeSettings(path: string): void {
  rmSync(path, { force: true });
}
