import { hookRegistrations, commandHookOf, settingsEventName } from "../settings/hook-entries";
import type { WantedHook } from "../settings/claude-settings";
import { countMspHooks, installHooks, uninstallHooks } from "../settings/claude-settings";
import { isDeepStrictEqual } from "node:util";
import {
  backupSettingsOnce,
  readBackup,
  readBackupText,
  readSettings,
  removeSettings,
  settingsBackupPath,
  writeSettings,
} from "../settings/settings-file";

/** The hooks msp wants, for a base command (`"node" "/path/bin/msp.js"`) and an optional --home. */
export function wantedHooks(baseCommand: string, home?: string): WantedHook[] {
  return hookRegistrations.map((registration) => ({
    eventName: settingsEventName(registration),
    ...(registration.matcher ? { matcher: registration.matcher } : {}),
    hook: commandHookOf(registration, baseCommand, home),
  }));
}

/** What installing did to settings.json. */
export interface InstallReport {
  path: string;
  backup?: string;
  hooks: number;
  changed: boolean;
}

/** Merges msp's hooks into settings.json: backs the original up once, keeps everything else, writes valid JSON. */
export function installClaudeHooks(path: string, wanted: readonly WantedHook[]): InstallReport {
  const { settings } = readSettings(path);
  const next = installHooks(settings, wanted);
  const changed = JSON.stringify(next) !== JSON.stringify(settings);
  const backup = changed ? backupSettingsOnce(path) : undefined;
  if (changed) writeSettings(path, next);
  return { path, ...(backup ? { backup } : {}), hooks: countMspHooks(next), changed };
}

/** What uninstalling did to settings.json. */
export interface UninstallReport {
  path: string;
  removedHooks: number;
  /** settings.json was deleted: msp had created it and nothing else was in it. */
  removedFile: boolean;
}

/** Takes msp's hooks (and only them) out of settings.json. */
export function uninstallClaudeHooks(path: string): UninstallReport {
  const { settings, existed } = readSettings(path);
  if (!existed) return { path, removedHooks: 0, removedFile: false };
  const removedHooks = countMspHooks(settings);
  if (removedHooks === 0) return { path, removedHooks, removedFile: false };
  const original = readBackup(path);
  const next = uninstallHooks(settings, original);
  // No backup means there was no settings.json before msp: remove the file it made, if it is empty again.
  if (!original && Object.keys(next).length === 0) {
    removeSettings(path);
    return { path, removedHooks, removedFile: true };
  }
  // Nothing changed since the install but msp's hooks: the user's file comes back byte for byte.
  // Otherwise it keeps the layout it has now (indentation, line ends).
  writeSettings(path, next, original && isDeepStrictEqual(next, original) ? readBackupText(path) : undefined);
  return { path, removedHooks, removedFile: false };
}

export { settingsBackupPath };
