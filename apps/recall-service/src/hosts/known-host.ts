/**
 * A host of a client as the infra service knows it (MatchHosts), in the plain shape the host
 * line is written from: the recall service owns no asset table, it asks the infra service.
 */
export interface KnownHost {
  /** The asset's id (infrastructure_id of failure patterns). */
  id: string;
  hostname: string;
  ipAddress: string;
  os: string;
  osVersion: string;
  /** What it is for, such as "domain controller". */
  role: string;
  /** "active", "maintenance", "migration_source", "migration_destination"; "" when not said. */
  status: string;
  shellType: string;
  packageManager: string;
  /** Whether it has a desktop; undefined when not recorded. */
  hasGui: boolean | undefined;
  limitations: readonly string[];
  aliases: readonly string[];
  /** How the text named it: "hostname", "short_name", "ip_address" or "alias". */
  matchedBy: string;
  /** The word of the text that matched. */
  matchedText: string;
  services: readonly HostService[];
  /** Newest first. */
  recentChanges: readonly HostChange[];
}

export interface HostService {
  name: string;
  /** Such as "running"; "" when not known. */
  status: string;
}

export interface HostChange {
  /** Such as "dns" or "service_config"; "" when not said. */
  changeType: string;
  targetSystem: string;
  afterState: string;
  at: Date | null;
}

/** An active failure pattern of a host (the recall service's own failure_patterns table). */
export interface HostFailure {
  id: string;
  /** The asset it was learned on (null when only its host name is known). */
  infrastructureId: string | null;
  /** The host name it was learned on, lower-case (null when not known). */
  host: string | null;
  errorPattern: string;
  description: string;
  recommendedSolution: string;
  occurrenceCount: number;
}
