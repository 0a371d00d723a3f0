import type { CommandHook } from "./hook-entries";
import { isMspHookCommand } from "./hook-entries";

/** settings.json as parsed: any JSON object. */
export type Settings = Record<string, unknown>;

/** One hook msp wants installed: the Claude event, an optional tool matcher, the command entry. */
export interface WantedHook {
  eventName: string;
  matcher?: string;
  hook: CommandHook;
}

/** settings.json has a shape msp cannot merge into without guessing (it never overwrites then). */
export class SettingsShapeError extends Error {
  override name = "SettingsShapeError";
}

interface Group {
  matcher?: unknown;
  hooks?: unknown;
  [key: string]: unknown;
}

/**
 * settings.json with msp's hooks in it. Idempotent: an msp entry already there is updated in
 * place (and duplicates of it dropped); everything else, the user's hooks and settings
 * included, stays as it was and where it was.
 */
export function installHooks(settings: Settings, wanted: readonly WantedHook[]): Settings {
  const result = structuredClone(settings);
  const hooks = hooksObject(result, true)!;
  for (const { eventName, matcher, hook } of wanted) {
    const groups = groupsOf(hooks, eventName, true)!;
    let placed = false;
    const next: Group[] = [];
    for (const group of groups) {
      if (!Array.isArray(group.hooks)) {
        next.push(group);
        continue;
      }
      const entries = group.hooks as unknown[];
      const onlyOurs = entries.length > 0 && entries.every(isOurs);
      const kept: unknown[] = [];
      let removed = false;
      for (const entry of entries) {
        if (!isOurs(entry)) kept.push(entry);
        else if (placed)
          removed = true; // a duplicate of ours
        else {
          kept.push(hook);
          placed = true;
          if (onlyOurs) setMatcher(group, matcher);
        }
      }
      if (removed && kept.length === 0) continue;
      group.hooks = kept;
      next.push(group);
    }
    if (!placed) next.push({ ...(matcher ? { matcher } : {}), hooks: [hook] });
    hooks[eventName] = next;
  }
  return result;
}

/**
 * settings.json without msp's hooks: only entries whose command is msp's hook command go, with
 * the groups, event lists and `hooks` object that held nothing else. `original` (the backup
 * taken before the first install) tells which of those containers the user had, even empty.
 */
export function uninstallHooks(settings: Settings, original?: Settings): Settings {
  const result = structuredClone(settings);
  const hooks = hooksObject(result, false);
  if (!hooks) return result;
  const originalHooks = original && isPlainObject(original["hooks"]) ? original["hooks"] : undefined;
  let removedAny = false;
  for (const eventName of Object.keys(hooks)) {
    const groups = hooks[eventName];
    if (!Array.isArray(groups)) continue;
    let removedHere = false;
    const kept: unknown[] = [];
    for (const group of groups) {
      if (!isPlainObject(group) || !Array.isArray(group["hooks"])) {
        kept.push(group);
        continue;
      }
      const entries = group["hooks"] as unknown[];
      const remaining = entries.filter((entry) => !isOurs(entry));
      if (remaining.length === entries.length) {
        kept.push(group);
        continue;
      }
      removedHere = true;
      if (remaining.length > 0) kept.push({ ...group, hooks: remaining });
    }
    if (!removedHere) continue;
    removedAny = true;
    if (kept.length === 0 && !(originalHooks && eventName in originalHooks)) delete hooks[eventName];
    else hooks[eventName] = kept;
  }
  if (removedAny && Object.keys(hooks).length === 0 && !(original && "hooks" in original)) delete result["hooks"];
  return result;
}

/** How many msp hook entries settings.json holds (status and tests). */
export function countMspHooks(settings: Settings): number {
  const hooks = isPlainObject(settings["hooks"]) ? settings["hooks"] : {};
  let count = 0;
  for (const groups of Object.values(hooks)) {
    if (!Array.isArray(groups)) continue;
    for (const group of groups) {
      if (isPlainObject(group) && Array.isArray(group["hooks"])) count += (group["hooks"] as unknown[]).filter(isOurs).length;
    }
  }
  return count;
}

function isOurs(entry: unknown): boolean {
  return isPlainObject(entry) && isMspHookCommand(entry["command"]);
}

function setMatcher(group: Group, matcher: string | undefined): void {
  if (matcher) group.matcher = matcher;
  else delete group.matcher;
}

function hooksObject(settings: Settings, create: boolean): Record<string, unknown> | undefined {
  const hooks = settings["hooks"];
  if (hooks === undefined) {
    if (!create) return undefined;
    settings["hooks"] = {};
    return settings["hooks"] as Record<string, unknown>;
  }
  if (!isPlainObject(hooks)) throw new SettingsShapeError(`"hooks" in settings.json must be an object, found ${describe(hooks)}`);
  return hooks;
}

function groupsOf(hooks: Record<string, unknown>, eventName: string, create: boolean): Group[] | undefined {
  const groups = hooks[eventName];
  if (groups === undefined) {
    if (!create) return undefined;
    hooks[eventName] = [];
    return hooks[eventName] as Group[];
  }
  if (!Array.isArray(groups))
    throw new SettingsShapeError(`"hooks.${eventName}" in settings.json must be an array, found ${describe(groups)}`);
  for (const group of groups) {
    if (!isPlainObject(group))
      throw new SettingsShapeError(`"hooks.${eventName}" in settings.json holds ${describe(group)}, not a matcher group`);
  }
  return groups as Group[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
}
