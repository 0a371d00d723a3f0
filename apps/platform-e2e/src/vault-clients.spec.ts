// The vault refers to clients the work service owns: a credential's or an incident's client_id is
// checked with the work service over gRPC (a service token with work:read), and credentials are
// found by client, host and username for Claude's memory. Both services run in process here.
import { randomBytes, randomUUID } from "node:crypto";
import { status } from "@grpc/grpc-js";
import type { TestService } from "@msp/testing";
import { call, connect, expectStatus, startTestService, testToken } from "@msp/testing";
import { ClientServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { Credential, CredentialServiceClient, CredentialType, PermissionLevel } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import {
  IncidentSeverity,
  IncidentType,
  SecurityIncident,
  SecurityIncidentServiceClient,
} from "@msp/proto/src/gen/ts/msp/vault/v1/security_incident";
import { vaultModule } from "../../vault-service/src/vault-module";
import { workModule } from "../../work-service/src/work-module";

let work: TestService;
let vault: TestService;
let credentials: CredentialServiceClient;
let incidents: SecurityIncidentServiceClient;
let clientId: string;

beforeAll(async () => {
  work = await startTestService(workModule);
  vault = await startTestService(vaultModule, {
    env: { MSP_VAULT_MASTER_KEY: randomBytes(32).toString("base64") },
    database: work.database,
    secret: work.secret,
    peers: { "work-service": [work.address] },
  });
  credentials = connect(CredentialServiceClient, vault);
  incidents = connect(SecurityIncidentServiceClient, vault);
  const clients = connect(ClientServiceClient, work);
  clientId = (await call(clients, "createClient", { client: { name: `Contoso ${randomUUID()}` } as never })).id;
  clients.close();
}, 60_000);

afterAll(async () => {
  credentials.close();
  incidents.close();
  await vault.stop();
  await work.stop();
});

function credential(fields: Partial<Credential>) {
  return Credential.fromPartial({ name: `cred ${randomUUID()}`, credentialType: CredentialType.CREDENTIAL_TYPE_PASSWORD, ...fields });
}

it("refuses a credential or an incident for a client the work service does not have", async () => {
  await expectStatus(
    call(credentials, "createCredential", { credential: credential({ clientId: randomUUID() }), secret: "x-secret" }),
    status.INVALID_ARGUMENT,
    /credential\.client_id: no client with this id/,
  );
  const incident = SecurityIncident.fromPartial({
    clientId: randomUUID(),
    incidentType: IncidentType.INCIDENT_TYPE_PHISHING,
    severity: IncidentSeverity.INCIDENT_SEVERITY_HIGH,
    description: "a phishing mail",
  });
  await expectStatus(call(incidents, "createSecurityIncident", { securityIncident: incident }), status.INVALID_ARGUMENT, /client_id/);
  const created = await call(incidents, "createSecurityIncident", { securityIncident: { ...incident, clientId } });
  expect(created.clientId).toBe(clientId);
});

it("finds a client's credentials by host or username, names and ids only, for those who may read them", async () => {
  const secret = `Pw-${randomUUID()}`;
  const onHost = await call(credentials, "createCredential", {
    credential: credential({ clientId, username: "Administrator", url: "rdp://DC01.contoso.local" }),
    secret,
  });
  const other = await call(credentials, "createCredential", {
    credential: credential({ clientId, username: "backup", url: "https://nas.contoso.local" }),
    secret: "other-secret",
  });
  const found = await call(credentials, "findCredentialReferences", { clientId, hosts: ["dc01.contoso.local"], usernames: ["backup"] });
  expect(found.references.map((r) => [r.id, r.matched])).toEqual(
    expect.arrayContaining([
      [onHost.id, "host"],
      [other.id, "username"],
    ]),
  );
  expect(JSON.stringify(found)).not.toContain(secret);
  // A short host name finds the host's full name.
  const short = await call(credentials, "findCredentialReferences", { clientId, hosts: ["DC01"], usernames: [] });
  expect(short.references.map((r) => [r.id, r.matched])).toEqual([[onHost.id, "host"]]);
  // Another client's folder finds nothing of this one.
  const elsewhere = await call(credentials, "findCredentialReferences", {
    clientId: randomUUID(),
    hosts: ["dc01.contoso.local"],
    usernames: [],
  });
  expect(elsewhere.references).toEqual([]);
  // A technician finds only what they may read.
  const tech = await testToken(vault, { role: "technician" });
  const before = await call(
    credentials,
    "findCredentialReferences",
    { clientId, hosts: ["dc01.contoso.local"], usernames: [] },
    tech.metadata(),
  );
  expect(before.references).toEqual([]);
  await call(credentials, "grantCredentialPermission", {
    credentialId: onHost.id,
    principal: tech.principal.userId,
    level: PermissionLevel.PERMISSION_LEVEL_READ,
  });
  const after = await call(
    credentials,
    "findCredentialReferences",
    { clientId, hosts: ["dc01.contoso.local"], usernames: [] },
    tech.metadata(),
  );
  expect(after.references.map((r) => r.id)).toEqual([onHost.id]);
});

it("reports a client's expiring credentials", async () => {
  const soon = await call(credentials, "createCredential", {
    credential: credential({ clientId, expiresAt: new Date(Date.now() + 3 * 86_400_000) }),
    secret: "cert-key",
  });
  await call(credentials, "createCredential", {
    credential: credential({ expiresAt: new Date(Date.now() + 3 * 86_400_000) }),
    secret: "no-client",
  });
  const report = await call(credentials, "listExpiringCredentials", { withinDays: 30, clientId });
  expect(report.credentials.map((c) => c.id)).toEqual([soon.id]);
});
