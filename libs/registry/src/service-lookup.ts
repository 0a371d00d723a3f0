import type { ServiceEntry } from "./platform-services";
import { gatewayEntry, platformServices } from "./platform-services";

/** The registry entry of a service, by name; a name not registered is a programming error. */
export function serviceEntry(name: string, services: readonly ServiceEntry[] = platformServices): ServiceEntry {
  const entry = services.find((s) => s.name === name);
  if (entry === undefined) {
    throw new Error(`no service named "${name}" in the registry (libs/registry): ${services.map((s) => s.name).join(", ")}`);
  }
  return entry;
}

/** The service that owns a proto package (msp.work.v1), if any. */
export function ownerOfPackage(protoPackage: string, services: readonly ServiceEntry[] = platformServices): ServiceEntry | undefined {
  return services.find((s) => s.protoPackages.includes(protoPackage));
}

/** The variable naming a service's port: WORK_SERVICE_PORT. */
export const portVariable = (entry: Pick<ServiceEntry, "envPrefix">): string => `${entry.envPrefix}_PORT`;

/** The variable listing where a service answers: WORK_SERVICE_ADDRESSES (host:port, comma-separated). */
export const addressesVariable = (entry: Pick<ServiceEntry, "envPrefix">): string => `${entry.envPrefix}_ADDRESSES`;

/** Where the services of one proto package answer. */
export interface PackageBackend {
  protoPackage: string;
  addresses: string[];
}

/**
 * The gateway's backends: every proto package of every registered service at that service's
 * addresses (by name, as the peer variables give them), except the services hosted by the
 * gateway's own process (identity), which it reaches on `ownAddress`.
 */
export function gatewayBackends(
  peers: Readonly<Record<string, readonly string[]>>,
  ownAddress: string,
  services: readonly ServiceEntry[] = platformServices,
): PackageBackend[] {
  return services.flatMap((service) =>
    service.protoPackages.map((protoPackage) => ({
      protoPackage,
      addresses: service.app === gatewayEntry.app ? [ownAddress] : [...(peers[service.name] ?? [])],
    })),
  );
}
