import type { ServiceEntry } from "./platform-services";
import { gatewayEntry, platformServices } from "./platform-services";

/** One process of the platform as `npm start` and the test stack run it: an app and what it serves. */
export interface PlatformProcess {
  /** The app, its folder under apps/, and the prefix of its output lines. */
  app: string;
  /** Its entry point, relative to the repository root. */
  entry: string;
  /** The gRPC services it serves (the gateway's process serves identity). */
  services: readonly ServiceEntry[];
  /** Whether it is the HTTP gateway, started last: it forwards to the others. */
  gateway: boolean;
  /** Node options it starts with (V8 reads heap settings only at start-up). */
  nodeArgs: readonly string[];
  /** The line prefix it prints once it serves: "<app> listening on". */
  readyPrefix: string;
}

/**
 * The gateway turns large gRPC responses into JSON (a session timeline: 650 KB in, 1.1 MB out).
 * With V8's default initial old-generation limit its small heap ran a full collection every few
 * such requests; an initial limit of 128 MB stops that without a larger resident size
 * (BENCHMARKS.md has the figures).
 */
const nodeArgsByApp: Readonly<Record<string, readonly string[]>> = {
  gateway: ["--initial-old-space-size=128"],
};

/** Every process of the platform: each service app in registry order, then the gateway. */
export function platformProcesses(services: readonly ServiceEntry[] = platformServices): PlatformProcess[] {
  const apps = [...new Set(services.map((s) => s.app).filter((app) => app !== gatewayEntry.app)), gatewayEntry.app];
  return apps.map((app) => ({
    app,
    entry: `apps/${app}/src/main.ts`,
    services: services.filter((s) => s.app === app),
    gateway: app === gatewayEntry.app,
    nodeArgs: nodeArgsByApp[app] ?? [],
    readyPrefix: `${app} listening on`,
  }));
}
