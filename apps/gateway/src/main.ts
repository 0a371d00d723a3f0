import { ConfigError, loadConfig } from "@msp/config";
import { createLogger } from "@msp/logging";
import { gatewayConfigSchema } from "./config";
import { startGateway } from "./start-gateway";

function main(): void {
  let config;
  try {
    config = loadConfig(gatewayConfigSchema(), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`gateway: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ service: "gateway", level: config.logLevel });
  startGateway(config, logger).then(
    (gateway) => {
      const base = `http://${config.http.host}:${gateway.http.port}`;
      if (gateway.bootstrap.created) {
        const shown = gateway.bootstrap.generated ? gateway.bootstrap.password : "(the password in MSP_BOOTSTRAP_ADMIN_PASSWORD)";
        console.log(`\nCreated the first user: admin / ${shown}`);
        if (gateway.bootstrap.generated)
          console.log("This password is shown only now: keep it, or set another with UserService/SetUserPassword.\n");
      }
      console.log(
        `gateway listening on ${base} (REST ${base}/api/v1, docs ${base}/api/docs; identity gRPC on ${config.identity.host}:${gateway.identity.port})`,
      );
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, "shutting down");
        gateway.stop().then(
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
      console.error(`gateway: start-up failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}

main();
