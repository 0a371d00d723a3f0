import { randomBytes } from "node:crypto";
import pino from "pino";
import { loadConfig } from "@msp/config";
import { startService } from "@msp/service-runtime";
import type { TestDatabase, TestService } from "@msp/testing";
import { connect, createTestDatabase, testToken } from "@msp/testing";
import { CredentialServiceClient } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { IntegrationCredentialServiceClient } from "@msp/proto/src/gen/ts/msp/vault/v1/integration_credential";
import { KeyServiceClient } from "@msp/proto/src/gen/ts/msp/vault/v1/key";
import { SecurityIncidentServiceClient } from "@msp/proto/src/gen/ts/msp/vault/v1/security_incident";
import { vaultModule } from "../vault-module";
import type { VaultTestStack } from "./vault-test-stack";

/** A vault whose every log line (level trace, no redaction) is kept in `logs`. */
export interface LoggedVault extends VaultTestStack {
  /** Every line the service logged, as written (pino's JSON). */
  logs: string[];
}

export interface LoggedVaultOptions {
  /** The vault's own variables; MSP_VAULT_MASTER_KEY defaults to `masterKey`, else a fresh random key. */
  env?: NodeJS.ProcessEnv;
  masterKey?: string;
  /** Another test's database (not dropped on stop); a fresh one (dropped on stop) by default. */
  database?: TestDatabase;
}

/**
 * Starts the vault module as startTestService does (port 0, a random JWT secret, revocation
 * answered in memory), but with a pino logger at level trace writing into memory, without the
 * production redaction: a secret the service tried to log would show.
 */
export async function startLoggedVault(options: LoggedVaultOptions = {}): Promise<LoggedVault> {
  const masterKey = options.env?.["MSP_VAULT_MASTER_KEY"] ?? options.masterKey ?? randomBytes(32).toString("base64");
  const database = options.database ?? (await createTestDatabase());
  const ownDatabase = options.database === undefined;
  const logs: string[] = [];
  const logger = pino({ level: "trace", base: { service: vaultModule.name } }, { write: (line: string) => void logs.push(line) });
  const secret = randomBytes(32).toString("hex");
  const revoked = new Set<string>();
  const service = await startService(
    vaultModule,
    {
      host: "127.0.0.1",
      port: 0,
      database: database.config,
      logLevel: "trace",
      shutdownGraceMs: 2000,
      jwtSecret: secret,
      identityAddress: "127.0.0.1:1",
      peers: {},
      peerDeadlineMs: 5000,
    },
    loadConfig(vaultModule.config, { MSP_VAULT_MASTER_KEY: masterKey, ...options.env }),
    logger,
    { revocation: { isRevoked: (tokenId) => Promise.resolve(revoked.has(tokenId)) } },
  );
  const admin = await testToken({ secret }, { role: "admin", username: "test-admin" });
  const vault: TestService = {
    address: `127.0.0.1:${service.port}`,
    service,
    database,
    secret,
    adminToken: admin.token,
    revoke: (tokenId) => void revoked.add(tokenId),
    async stop() {
      await service.stop();
      if (ownDatabase) await database.drop();
    },
  };
  const clients = {
    credentials: connect(CredentialServiceClient, vault),
    keys: connect(KeyServiceClient, vault),
    incidents: connect(SecurityIncidentServiceClient, vault),
    integrations: connect(IntegrationCredentialServiceClient, vault),
  };
  return {
    vault,
    masterKey,
    logs,
    ...clients,
    async stop() {
      for (const client of Object.values(clients)) client.close();
      await vault.stop();
    },
  };
}

/** Waits until `done()` holds, checking every 50 ms; gives up after `attempts` checks (generous: a slow machine only waits longer). */
export async function eventually(done: () => boolean | Promise<boolean>, what: string, attempts = 2400): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
