import { formatDate, oneLine, trimTo } from "../recall/format";
import type { HostChange, HostFailure, HostService, KnownHost } from "./known-host";

/** The longest line of one host: the facts that matter before touching it, not its whole page. */
export const maxHostLineChars = 400;
/** A part shortened below this says too little: it is left out instead. */
const minPartChars = 24;
const maxServices = 6;
const maxChanges = 2;
const maxFailures = 2;

/** One part of the line; when the line is too long the parts of lowest `keep` shrink or go first. */
interface Part {
  text: string;
  keep: number;
}

/**
 * The one dense line of a host a prompt or folder names:
 * `- [host dc01 10.0.0.10] Windows Server 2016, domain controller; shell powershell 5.1; pkg choco;
 * limits: no internet, PowerShell 2.0 only; services: AD DS (running), DNS (running); changed
 * 2026-12-01 dns zone corp.local: ...; known failures: WinRM refused -> fix: ...`, at most `max`
 * characters. What to know before running a command there (OS, shell, limitations, failures)
 * is kept longest; services and changes give way first.
 */
export function hostLine(host: KnownHost, failures: readonly HostFailure[], max = maxHostLineChars): string {
  const parts: Part[] = [];
  const add = (text: string, keep: number) => {
    if (text) parts.push({ text, keep });
  };
  add(systemPart(host), 9);
  if (host.shellType) add(`shell ${clean(host.shellType, 40)}`, 7);
  if (host.packageManager) add(`pkg ${clean(host.packageManager, 24)}`, 5);
  if (host.hasGui !== undefined) add(host.hasGui ? "GUI" : "no GUI", 3);
  add(
    listPart(
      "limits",
      host.limitations.map((limit) => clean(limit, 80)),
    ),
    8,
  );
  add(failuresPart(failures), 6);
  add(servicesPart(host.services), 4);
  add(changesPart(host.recentChanges), 2);
  return fit(`- ${tagOf(host)}`, parts, max);
}

/** The failure patterns that belong to a host: learned on its asset, or on its name. */
export function failuresOfHost(host: KnownHost, failures: readonly HostFailure[]): HostFailure[] {
  const names = new Set([host.hostname, ...host.aliases].map((name) => name.toLowerCase()).filter((name) => name !== ""));
  return failures.filter(
    (failure) =>
      failure.infrastructureId === host.id || (failure.infrastructureId === null && failure.host !== null && names.has(failure.host)),
  );
}

/** `[host dc01 10.0.0.10]`, naming the alias the text used when it was not the host name. */
function tagOf(host: KnownHost): string {
  const words = [clean(host.hostname, 80).replace(/[\]\s]+/g, "_"), clean(host.ipAddress, 45)];
  if (host.matchedBy === "alias" && host.matchedText) words.push(`aka ${clean(host.matchedText, 40)}`);
  return `[host ${words.filter((word) => word !== "").join(" ")}]`;
}

/** `Windows Server 2016, domain controller, status maintenance`. */
function systemPart(host: KnownHost): string {
  const os = clean([host.os, host.osVersion].filter((word) => word.trim() !== "").join(" "), 60);
  const role = clean(host.role, 50);
  const status = host.status && host.status !== "active" ? `status ${clean(host.status.replace(/_/g, " "), 30)}` : "";
  return [os, role, status].filter((word) => word !== "").join(", ");
}

function servicesPart(services: readonly HostService[]): string {
  const named = services.filter((service) => service.name.trim() !== "");
  const shown = named.slice(0, maxServices).map((service) => {
    const name = clean(service.name, 40);
    return service.status ? `${name} (${clean(service.status, 16)})` : name;
  });
  if (named.length > maxServices) shown.push(`+${named.length - maxServices} more`);
  return listPart("services", shown);
}

function changesPart(changes: readonly HostChange[]): string {
  const shown = changes.slice(0, maxChanges).map((change) => {
    const what = [change.at ? formatDate(change.at) : "", clean(change.changeType, 20), clean(change.targetSystem, 50)]
      .filter((word) => word !== "")
      .join(" ");
    const after = clean(change.afterState, 60);
    return after ? `${what}: ${after}` : what;
  });
  return shown.length === 0 ? "" : `changed ${shown.join("; ")}`;
}

/** The failures a host line shows: the most frequent two. */
export function shownFailures(failures: readonly HostFailure[]): HostFailure[] {
  return [...failures].sort((a, b) => b.occurrenceCount - a.occurrenceCount).slice(0, maxFailures);
}

/** What went wrong there, and the fix that worked. */
function failuresPart(failures: readonly HostFailure[]): string {
  const shown = shownFailures(failures)
    .map((failure) => {
      const what = clean(failure.description || failure.errorPattern, 80);
      const fix = clean(failure.recommendedSolution, 80);
      return fix ? `${what} -> fix: ${fix}` : what;
    })
    .filter((text) => text !== "");
  return shown.length === 0 ? "" : `known failures: ${shown.join(" | ")}`;
}

function listPart(label: string, items: readonly string[]): string {
  const shown = items.filter((item) => item !== "");
  return shown.length === 0 ? "" : `${label}: ${shown.join(", ")}`;
}

/** Text on one line, at most `max` characters. */
function clean(text: string, max: number): string {
  return trimTo(oneLine(text), max);
}

/** The line within `max`: the parts kept longest are cut last, a part cut too short goes. */
function fit(head: string, parts: Part[], max: number): string {
  const render = () => (parts.length === 0 ? head : `${head} ${parts.map((part) => part.text).join("; ")}`);
  let line = render();
  while (line.length > max && parts.length > 0) {
    let victim = parts[0]!;
    for (const part of parts) if (part.keep < victim.keep) victim = part;
    const room = victim.text.length - (line.length - max);
    if (room >= minPartChars) victim.text = trimTo(victim.text, room);
    else parts.splice(parts.indexOf(victim), 1);
    line = render();
  }
  return trimTo(line, max);
}
