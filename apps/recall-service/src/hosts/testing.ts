import type { HostFailure, KnownHost } from "./known-host";

/** A documented Windows domain controller, as MatchHosts would answer for "dc01"; tests override what they test. */
export function makeHost(overrides: Partial<KnownHost> = {}): KnownHost {
  return {
    id: "01900000-0000-7000-8000-0000000000d1",
    hostname: "dc01",
    ipAddress: "10.0.0.10",
    os: "Windows Server",
    osVersion: "2016",
    role: "domain controller",
    status: "active",
    shellType: "powershell 5.1",
    packageManager: "choco",
    hasGui: undefined,
    limitations: ["no internet", "PowerShell 2.0 only"],
    aliases: [],
    matchedBy: "hostname",
    matchedText: "dc01",
    services: [
      { name: "AD DS", status: "running" },
      { name: "DNS", status: "running" },
    ],
    recentChanges: [],
    ...overrides,
  };
}

let failureSequence = 0;

/** An active failure pattern learned on the host of `makeHost()`. */
export function makeFailure(overrides: Partial<HostFailure> = {}): HostFailure {
  failureSequence += 1;
  return {
    id: `01900000-0000-7000-8000-f${String(failureSequence).padStart(11, "0")}`,
    infrastructureId: "01900000-0000-7000-8000-0000000000d1",
    host: "dc01",
    errorPattern: "Install-Module: unable to resolve package source",
    description: "PSGallery unreachable (no internet)",
    recommendedSolution: "copy the module from the file share",
    occurrenceCount: 3,
    ...overrides,
  };
}
