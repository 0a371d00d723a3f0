import { createResourceStore } from "@msp/resource-kit";
import type { ServiceModule } from "@msp/service-runtime";
import type { Credential, CredentialAccess } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { CredentialServiceService } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import type { IntegrationCredential } from "@msp/proto/src/gen/ts/msp/vault/v1/integration_credential";
import { IntegrationCredentialServiceService } from "@msp/proto/src/gen/ts/msp/vault/v1/integration_credential";
import { KeyServiceService } from "@msp/proto/src/gen/ts/msp/vault/v1/key";
import { SecurityIncidentServiceService } from "@msp/proto/src/gen/ts/msp/vault/v1/security_incident";
import { credentialAccessResource } from "./credentials/access-log.resource";
import { credentialResource } from "./credentials/credential.resource";
import { CredentialCreates } from "./credentials/credential-creates";
import { CredentialSecrets } from "./credentials/credential-secrets";
import { credentialHandlers, logRefusedReveals } from "./credentials/credential-service";
import { incidentHandlers } from "./incidents/incident-service";
import { securityIncidentResource } from "./incidents/security-incident.resource";
import { integrationCredentialResource } from "./integrations/integration-credential.resource";
import { integrationHandlers } from "./integrations/integration-service";
import { KeyRing } from "./keys/key-ring";
import { keyHandlers } from "./keys/key-service";
import { Rewrapper } from "./keys/rewrap";
import { Sealer } from "./keys/sealer";
import { vaultModels } from "./models";
import type { VaultSettings } from "./vault-config";
import { vaultConfig } from "./vault-config";
import { createWorkClients } from "./work-clients";

/**
 * The vault service: credentials (secrets sealed with AES-256-GCM under data keys the master key
 * wraps), their versions, permissions and access log, key rotation with an online rewrap, security
 * incidents and the platform's integration secrets. Start-up opens the key ring (the key check):
 * a wrong master key stops it.
 */
export const vaultModule: ServiceModule<VaultSettings> = {
  name: "vault-service",
  models: vaultModels,
  config: vaultConfig,
  // Client ids of credentials and incidents are checked with the work service.
  peerScopes: ["work:read"],
  async setUp(host, { db, logger, config, peers }) {
    const ring = new KeyRing(db, config.masterKey, logger);
    await ring.load(config.previousMasterKey);
    const sealer = new Sealer(ring);
    const rewrapper = new Rewrapper(db, ring, sealer, logger, config.rewrapBatch);
    host.run({ name: "rewrap", start: () => rewrapper.start(), stop: () => rewrapper.stop() });

    const credentials = createResourceStore<Credential>(db, credentialResource);
    const accessLog = createResourceStore<CredentialAccess>(db, credentialAccessResource);
    const secrets = new CredentialSecrets(db, credentials, sealer);
    const creates = new CredentialCreates(db, credentials, secrets);
    const clients = createWorkClients(peers);
    host.serve(CredentialServiceService, credentialHandlers({ db, credentials, accessLog, secrets, creates, clients }), {
      onRefused: logRefusedReveals(db),
    });
    host.serve(KeyServiceService, keyHandlers(db, ring, rewrapper));
    host.serve(SecurityIncidentServiceService, incidentHandlers(createResourceStore(db, securityIncidentResource), clients));
    host.serve(
      IntegrationCredentialServiceService,
      integrationHandlers(db, createResourceStore<IntegrationCredential>(db, integrationCredentialResource), sealer),
    );
  },
};
