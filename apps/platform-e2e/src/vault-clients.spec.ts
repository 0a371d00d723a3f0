// The vault refers to clients the work service owns: a credential's or an incident's client_id is
// checked with the work service over gRPC (a service token with work:read), and credentials are
// found by client, host and username for Claude's memory. The platform runs as processes.
import { randomUUID } from "node:crypto";
import type { Json, PlatformStack } from "./platform-stack";
import { startPlatform } from "./platform-stack";

let platform: PlatformStack;
let admin: string;
let clientId: string;

async function post(path: string, body: unknown, token = admin): Promise<{ status: number; json: Json }> {
  return platform.api("POST", path, { token, body });
}

async function created(path: string, body: unknown): Promise<Json> {
  const { status, json } = await post(path, body);
  if (status !== 200) throw new Error(`POST ${path} failed: ${status} ${JSON.stringify(json)}`);
  return json;
}

function credential(fields: Record<string, unknown>, secret = `pw-${randomUUID()}`) {
  return { credential: { name: `cred ${randomUUID()}`, credentialType: "CREDENTIAL_TYPE_PASSWORD", ...fields }, secret };
}

beforeAll(async () => {
  platform = await startPlatform();
  admin = await platform.login();
  clientId = (await created("/api/v1/clients", { name: `Contoso ${randomUUID()}` })).id;
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

it("refuses a credential or an incident for a client the work service does not have", async () => {
  const refused = await post("/api/v1/credentials", credential({ clientId: randomUUID() }));
  expect([refused.status, refused.json.message]).toEqual([400, "credential.client_id: no client with this id"]);
  const incident = { incidentType: "INCIDENT_TYPE_PHISHING", severity: "INCIDENT_SEVERITY_HIGH", description: "a phishing mail" };
  const noClient = await post("/api/v1/securityIncidents", { ...incident, clientId: randomUUID() });
  expect([noClient.status, noClient.json.message]).toEqual([400, "security_incident.client_id: no client with this id"]);
  expect((await created("/api/v1/securityIncidents", { ...incident, clientId })).clientId).toBe(clientId);
});

it("finds a client's credentials by host or username, names and ids only, for those who may read them", async () => {
  const secret = `Pw-${randomUUID()}`;
  const onHost = await created(
    "/api/v1/credentials",
    credential({ clientId, username: "Administrator", url: "rdp://DC01.contoso.local" }, secret),
  );
  const other = await created("/api/v1/credentials", credential({ clientId, username: "backup", url: "https://nas.contoso.local" }));
  const find = (body: unknown, token = admin) => post("/api/v1/credentials:findReferences", body, token);
  const found = await find({ clientId, hosts: ["dc01.contoso.local"], usernames: ["backup"] });
  expect(found.json.references.map((r: Json) => [r.id, r.matched])).toEqual(
    expect.arrayContaining([
      [onHost.id, "host"],
      [other.id, "username"],
    ]),
  );
  expect(JSON.stringify(found.json)).not.toContain(secret);
  // A short host name finds the host's full name; another client's folder finds nothing of this one.
  const short = await find({ clientId, hosts: ["DC01"] });
  expect(short.json.references.map((r: Json) => [r.id, r.matched])).toEqual([[onHost.id, "host"]]);
  expect((await find({ clientId: randomUUID(), hosts: ["dc01.contoso.local"] })).json.references ?? []).toEqual([]);
  // A technician finds only what they may read.
  const tech = await created("/api/v1/users", { user: { username: `tech-${randomUUID().slice(0, 8)}` }, password: "tech-password-123" });
  const techToken = await platform.login(tech.username, "tech-password-123");
  expect((await find({ clientId, hosts: ["dc01.contoso.local"] }, techToken)).json.references ?? []).toEqual([]);
  await created(`/api/v1/credentials/${onHost.id}/permissions`, { principal: tech.id, level: "PERMISSION_LEVEL_READ" });
  const after = await find({ clientId, hosts: ["dc01.contoso.local"] }, techToken);
  expect(after.json.references.map((r: Json) => r.id)).toEqual([onHost.id]);
});

it("reports a client's expiring credentials", async () => {
  const expiresAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const soon = await created("/api/v1/credentials", credential({ clientId, expiresAt }));
  await created("/api/v1/credentials", credential({ expiresAt }));
  const report = await platform.api("GET", `/api/v1/credentials:expiring?withinDays=30&clientId=${clientId}`, { token: admin });
  expect(report.json.credentials.map((c: Json) => c.id)).toEqual([soon.id]);
});
