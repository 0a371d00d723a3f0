import { randomBytes } from "node:crypto";
import type { TestService } from "@msp/testing";
import { connect, startTestService } from "@msp/testing";
import { CredentialServiceClient } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { KeyServiceClient } from "@msp/proto/src/gen/ts/msp/vault/v1/key";
import { SecurityIncidentServiceClient } from "@msp/proto/src/gen/ts/msp/vault/v1/security_incident";
import { IntegrationCredentialServiceClient } from "@msp/proto/src/gen/ts/msp/vault/v1/integration_credential";
import { vaultModule } from "../vault-module";

/** A vault service on a test database, with a fresh master key, and clients sending its admin token. */
export interface VaultTestStack {
  vault: TestService;
  masterKey: string;
  credentials: CredentialServiceClient;
  keys: KeyServiceClient;
  incidents: SecurityIncidentServiceClient;
  integrations: IntegrationCredentialServiceClient;
  stop(): Promise<void>;
}

export async function startVault(env: NodeJS.ProcessEnv = {}): Promise<VaultTestStack> {
  const masterKey = randomBytes(32).toString("base64");
  const vault = await startTestService(vaultModule, { env: { MSP_VAULT_MASTER_KEY: masterKey, ...env } });
  const clients = {
    credentials: connect(CredentialServiceClient, vault),
    keys: connect(KeyServiceClient, vault),
    incidents: connect(SecurityIncidentServiceClient, vault),
    integrations: connect(IntegrationCredentialServiceClient, vault),
  };
  return {
    vault,
    masterKey,
    ...clients,
    async stop() {
      for (const client of Object.values(clients)) client.close();
      await vault.stop();
    },
  };
}
