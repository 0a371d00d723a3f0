import { ConfigError, loadConfig } from "@msp/config";
import { createLogger } from "@msp/logging";
import type { ServiceModule } from "./run-service";
import { startService } from "./run-service";
import { serviceConfigSchema } from "./service-config";

/**
 * The body of every service's main.ts: read the environment once, start, print where it
 * listens, and shut down gracefully on SIGINT/SIGTERM.
 */
export function mainOf(module: ServiceModule, portVariable: string, defaultPort: number): void {
  let config;
  try {
    config = loadConfig(serviceConfigSchema(portVariable, defaultPort), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${module.name}: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ service: module.name, level: config.logLevel });
  startService(module, config, logger).then(
    (service) => {
      console.log(`${module.name} listening on ${config.host}:${service.port} (gRPC, reflection, health)`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, "shutting down");
        service.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, "shutdown failed");
            process.exit(1);
          },
        );
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
    },
    (error: unknown) => {
      logger.fatal({ err: error }, "start-up failed");
      console.error(`${module.name}: start-up failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
