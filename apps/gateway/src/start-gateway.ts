import { createTokenSigner } from "@msp/auth";
import { gatewayBackends } from "@msp/registry";
import type { Logger } from "@msp/logging";
import type { RunningService } from "@msp/service-runtime";
import { startService } from "@msp/service-runtime";
import { createAuthGate } from "./auth-gate";
import { createBackends } from "./backends";
import type { GatewayConfig } from "./config";
import type { RunningGateway } from "./gateway-server";
import { startGatewayServer } from "./gateway-server";
import type { AuthLogic } from "./identity/auth-service";
import type { BootstrapResult } from "./identity/bootstrap";
import { bootstrapAdmin } from "./identity/bootstrap";
import { identityModule } from "./identity/identity-module";
import { localApiKeyExchanger, localRevocationChecker } from "./identity/local-revocation";

/** The gateway process: the identity gRPC services, then the HTTP door in front of everything. */
export interface RunningGatewayProcess {
  http: RunningGateway;
  identity: RunningService;
  bootstrap: BootstrapResult;
  stop(): Promise<void>;
}

export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGatewayProcess> {
  let auth: AuthLogic | undefined;
  const signer = createTokenSigner(config.identity.jwtSecret);
  const readyAuth = (): AuthLogic => {
    if (!auth) throw new Error("identity services are not ready");
    return auth;
  };
  const identity = await startService(
    identityModule(config.identity, (ready) => (auth = ready)),
    {
      host: config.identity.host,
      port: config.identity.port,
      database: config.database,
      logLevel: config.logLevel,
      shutdownGraceMs: 10_000,
      jwtSecret: config.identity.jwtSecret,
      identityAddress: `127.0.0.1:${config.identity.port}`,
      peers: config.peers,
      peerDeadlineMs: config.http.backendDeadlineMs,
    },
    {},
    logger,
    // This process owns users, keys and tokens: it checks them itself rather than asking itself over gRPC.
    {
      revocation: localRevocationChecker(() => auth),
      apiKeys: localApiKeyExchanger(() => auth, signer, config.identity.accessTokenTtlSeconds),
    },
  );
  try {
    const bootstrap = await bootstrapAdmin(identity.db, config.identity.bootstrapAdminPassword);
    const backends = createBackends(gatewayBackends(config.peers, `127.0.0.1:${identity.port}`), config.http.backendDeadlineMs);
    const gate = createAuthGate({
      secret: config.identity.jwtSecret,
      signer,
      auth: readyAuth,
      revocationCacheMs: config.identity.revocationCacheMs,
      accessTokenTtlSeconds: config.identity.accessTokenTtlSeconds,
    });
    // Whatever ends a token (a revocation, a user disabled or demoted, a key revoked) is refused
    // through this gateway at once, however it was asked for (REST, Connect or the identity gRPC port).
    readyAuth().onIdentityChange(() => gate.forgetRevocations());
    const http = await startGatewayServer({ ...config.http, gate, backends, logger });
    return {
      http,
      identity,
      bootstrap,
      async stop() {
        await http.close();
        backends.close();
        await identity.stop();
      },
    };
  } catch (error) {
    await identity.stop();
    throw error;
  }
}
