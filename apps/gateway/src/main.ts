import { createLogger } from "@msp/logging";
import { awaitTurnToServe, configOrExit, exitOnStartFailure, stopOnSignals } from "@msp/service-runtime";
import { gatewayConfigSchema } from "./config";
import { startGateway } from "./start-gateway";

function main(): void {
  const config = configOrExit("gateway", gatewayConfigSchema());
  const logger = createLogger({ service: "gateway", level: config.logLevel });
  awaitTurnToServe()
    .then(() => startGateway(config, logger))
    .then(
      (gateway) => {
        const base = `http://${config.http.host}:${gateway.http.port}`;
        if (gateway.bootstrap.created) {
          const shown = gateway.bootstrap.generated ? gateway.bootstrap.password : "(the password in MSP_BOOTSTRAP_ADMIN_PASSWORD)";
          console.log(`\nCreated the first user: admin / ${shown}`);
          if (gateway.bootstrap.generated)
            console.log("This password is shown only now: keep it, or set another (POST /api/v1/users/{id}:setPassword).\n");
        }
        console.log(
          `gateway listening on ${base} (REST ${base}/api/v1, docs ${base}/api/docs; identity gRPC on ${config.identity.host}:${gateway.identity.port})`,
        );
        stopOnSignals(() => gateway.stop(), logger);
      },
      (error: unknown) => exitOnStartFailure("gateway", error, logger),
    );
}

main();
