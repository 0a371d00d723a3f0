import type { MachineProfile } from "../local/machine-profile";
import { ApiError } from "../platform/http-json";
import type { PlatformClient } from "../platform/platform-client";
import type { Machine } from "../platform/platform-types";

/**
 * Registers this machine, once: a machine with the same fingerprint is updated (host name,
 * tools, last seen), never duplicated, so running setup again is safe.
 */
export async function registerMachine(
  platform: PlatformClient,
  profile: MachineProfile,
  friendlyName?: string,
): Promise<{ machine: Machine; created: boolean }> {
  const fields: Record<string, unknown> = {
    hostname: profile.hostname,
    osVersion: profile.osVersion,
    username: profile.username,
    homeDirectory: profile.homeDirectory,
    installedTools: profile.installedTools,
    capabilities: profile.capabilities,
    isActive: true,
    lastSeenAt: new Date().toISOString(),
    ...(profile.platform ? { platform: profile.platform } : {}),
    ...(profile.machineType ? { machineType: profile.machineType } : {}),
    ...(profile.preferredShell ? { preferredShell: profile.preferredShell } : {}),
    ...(friendlyName ? { friendlyName } : {}),
  };
  const existing = (await platform.findMachinesByFingerprint(profile.fingerprint)).items[0];
  if (existing) return { machine: await platform.updateMachine(existing.id, fields), created: false };
  try {
    const machine = await platform.createMachine({
      fingerprint: profile.fingerprint,
      friendlyName: friendlyName ?? profile.hostname,
      ...fields,
    });
    return { machine, created: true };
  } catch (error) {
    // Another setup on this machine registered it a moment ago.
    const raced =
      error instanceof ApiError && error.status === 409
        ? (await platform.findMachinesByFingerprint(profile.fingerprint)).items[0]
        : undefined;
    if (!raced) throw error;
    return { machine: raced, created: false };
  }
}
