import { ConfigError, loadConfig } from "@msp/config";
import type { Logger } from "@msp/logging";
import { createLogger } from "@msp/logging";
import type { ServiceModule } from "./run-service";
import { startService } from "./run-service";
import { serviceConfigSchema } from "./service-config";

/**
 * The body of every service's main.ts: read the environment once, start, print where it
 * listens, and shut down gracefully on SIGINT/SIGTERM.
 */
export function mainOf(module: ServiceModule, portVariable: string, defaultPort: number): void {
  const config = configOrExit(module.name, serviceConfigSchema(portVariable, defaultPort));
  const logger = createLogger({ service: module.name, level: config.logLevel });
  startService(module, config, logger).then(
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

/** Reads the environment into a typed config, or exits 2 listing every problem. */
export function configOrExit<T>(name: string, schema: Parameters<typeof loadConfig<T>>[0]): T {
  try {
    return loadConfig(schema, process.env);
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
