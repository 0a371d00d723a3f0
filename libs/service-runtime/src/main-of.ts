import { ConfigError, loadConfig } from "@msp/config";
import type { Logger } from "@msp/logging";
import { createLogger } from "@msp/logging";
import { serviceEntry } from "@msp/registry";
import { startService } from "./run-service";
import type { ServiceConfig } from "./service-config";
import { serviceConfigSchema } from "./service-config";
import type { ServiceModule } from "./service-module";
import { awaitTurnToServe } from "./standby";

/**
 * The body of every service's main.ts: read the environment once (the platform's settings and
 * the service's own, every problem listed), start (a warm spare first waits for its turn: see
 * standby.ts), print where it listens, and shut down gracefully on SIGINT/SIGTERM.
 */
export function mainOf<C>(module: ServiceModule<C>): void {
  const { config, own } = orExit(module.name, () => loadServiceConfig(module, process.env));
  const logger = createLogger({ service: module.name, level: config.logLevel });
  awaitTurnToServe()
    .then(() => startService(module, config, own, logger))
    .then(
      (service) => {
        console.log(`${module.name} listening on ${config.host}:${service.port} (gRPC, reflection, health)`);
        stopOnSignals(() => service.stop(), logger);
      },
      (error: unknown) => exitOnStartFailure(module.name, error, logger),
    );
}

/** Stops gracefully on SIGINT or SIGTERM (once), then exits: 0 when the stop went well. */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
}

/** The platform's settings of a registered service and its own, or an error listing every problem of both. */
export function loadServiceConfig<C>(module: ServiceModule<C>, env: NodeJS.ProcessEnv): { config: ServiceConfig; own: C } {
  const problems: string[] = [];
  const read = <T>(schema: Parameters<typeof loadConfig<T>>[0]): { value: T } | undefined => {
    try {
      return { value: loadConfig(schema, env) };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const config = read(serviceConfigSchema(serviceEntry(module.name)));
  const own = read(module.config);
  if (config === undefined || own === undefined) throw new ConfigError(problems);
  return { config: config.value, own: own.value };
}

/** Reads the environment into a typed config, or exits 2 listing every problem. */
export function configOrExit<T>(name: string, schema: Parameters<typeof loadConfig<T>>[0]): T {
  return orExit(name, () => loadConfig(schema, process.env));
}

/** `read()`'s value, or exit 2 after printing every configuration problem it found. */
function orExit<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${name}: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

/** Logs why start-up failed (the message to stderr too, for people) and exits 1. */
export function exitOnStartFailure(name: string, error: unknown, logger: Logger): never {
  logger.fatal({ err: error }, "start-up failed");
  console.error(`${name}: start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
