// The vault's features besides reveal: TOTP codes, password generation, the expiring and
// revealed-since-change reports, security incidents, integration credentials and the access log.
import { randomUUID } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { base32Decode, totpCode } from "@msp/crypto";
import type { TestToken } from "@msp/testing";
import { call, expectStatus, testToken, withSlowness } from "@msp/testing";
import { Credential, CredentialType, PermissionLevel } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import {
  ConnectionTestStatus,
  Integration,
  IntegrationCredential,
  IntegrationCredentialType,
} from "@msp/proto/src/gen/ts/msp/vault/v1/integration_credential";
import { IncidentSeverity, IncidentStatus, IncidentType, SecurityIncident } from "@msp/proto/src/gen/ts/msp/vault/v1/security_incident";
import type { VaultTestStack } from "./vault-test-stack";
import { startVault } from "./vault-test-stack";

// Generous budgets for a slow machine: tests wait for work to be done, never for time to pass.
jest.setTimeout(withSlowness(120_000));

let stack: VaultTestStack;
beforeAll(async () => {
  stack = await startVault();
}, 300_000);
afterAll(() => stack?.stop(), 120_000);

const dayMs = 86_400_000;

async function count(table: string, where: string, params: unknown[]): Promise<number> {
  const rows = await stack.vault.service.db.select<{ n: number | bigint }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, params);
  return Number(rows[0]?.n);
}

async function create(fields: Partial<Credential>, secret = `s-${randomUUID()}`): Promise<Credential> {
  return call(stack.credentials, "createCredential", {
    credential: Credential.fromPartial({
      name: `feature ${randomUUID()}`,
      credentialType: CredentialType.CREDENTIAL_TYPE_PASSWORD,
      ...fields,
    }),
    secret,
  });
}

async function grant(credentialId: string, who: TestToken, level: PermissionLevel): Promise<void> {
  await call(stack.credentials, "grantCredentialPermission", { credentialId, principal: who.principal.userId, level });
}

describe("GetTotpCode", () => {
  // RFC 6238 appendix B: the SHA-1 seed is the ASCII "12345678901234567890".
  const rfcSeed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

  it("gives the code of a base32 seed for now, and logs the access as totp", async () => {
    expect(base32Decode(rfcSeed).toString("ascii")).toBe("12345678901234567890");
    const seed = await create({ credentialType: CredentialType.CREDENTIAL_TYPE_TOTP_SEED, name: "Contoso M365 admin MFA" }, rfcSeed);
    const before = Date.now();
    const answer = await call(stack.credentials, "getTotpCode", { id: seed.id, reason: "" });
    const after = Date.now();
    // The code current when the call started or when it ended (a window boundary may fall between).
    const secret = base32Decode(rfcSeed);
    expect([totpCode(secret, before), totpCode(secret, after)]).toContain(answer.code);
    expect(answer.code).toMatch(/^\d{6}$/);
    expect(answer.periodSeconds).toBe(30);
    const validUntil = answer.validUntil?.getTime() ?? 0;
    expect(validUntil % 30_000).toBe(0);
    expect(validUntil).toBeGreaterThan(before);
    expect(validUntil).toBeLessThanOrEqual(after + 30_000);
    expect(await count("credential_access_log", "credential_id = ? AND action = 'totp' AND outcome = 'ok'", [seed.id])).toBe(1);
    expect(await count("credential_access_log", "credential_id = ? AND action = 'totp' AND reason = 'TOTP code'", [seed.id])).toBe(1);
    expect(await count("audit_outbox", "resource_id = ? AND action = 'reveal' AND outcome = 'ok'", [seed.id])).toBe(1);
  });

  it("reads an otpauth:// URI with its digits, period and algorithm", async () => {
    const uri = `otpauth://totp/Contoso:admin@contoso.example?secret=${rfcSeed}&issuer=Contoso&algorithm=SHA256&digits=8&period=60`;
    const seed = await create({ credentialType: CredentialType.CREDENTIAL_TYPE_TOTP_SEED }, uri);
    const before = Date.now();
    const answer = await call(stack.credentials, "getTotpCode", { id: seed.id, reason: "sign in to the portal" });
    const after = Date.now();
    const options = { digits: 8, periodSeconds: 60, algorithm: "sha256" } as const;
    const secret = base32Decode(rfcSeed);
    expect([totpCode(secret, before, options), totpCode(secret, after, options)]).toContain(answer.code);
    expect(answer.code).toMatch(/^\d{8}$/);
    expect(answer.periodSeconds).toBe(60);
    expect(
      await count("credential_access_log", "credential_id = ? AND action = 'totp' AND reason = ?", [seed.id, "sign in to the portal"]),
    ).toBe(1);
  });

  it("refuses a credential that is not a TOTP seed, and a seed that does not parse", async () => {
    const password = await create({});
    await expectStatus(call(stack.credentials, "getTotpCode", { id: password.id, reason: "" }), status.INVALID_ARGUMENT, /totp_seed/);
    await expectStatus(
      create({ credentialType: CredentialType.CREDENTIAL_TYPE_TOTP_SEED }, "not a seed!"),
      status.INVALID_ARGUMENT,
      /^secret: is not a TOTP seed/,
    );
  });
});

describe("GeneratePassword", () => {
  const request = { length: 0, noLower: false, noUpper: false, noDigits: false, noSymbols: false, excludeAmbiguous: false, words: 0 };

  it("by default: 24 characters with lower, upper, digits and symbols", async () => {
    const answer = await call(stack.credentials, "generatePassword", request);
    expect(answer.password).toHaveLength(24);
    for (const pattern of [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/]) expect(answer.password).toMatch(pattern);
    expect(answer.entropyBits).toBeGreaterThan(140);
  });

  it("words = 5: a passphrase of 5 words", async () => {
    const answer = await call(stack.credentials, "generatePassword", { ...request, words: 5 });
    const words = answer.password.split("-");
    expect(words).toHaveLength(5);
    for (const word of words) expect(word).toMatch(/^[a-z]+$/);
    expect(answer.entropyBits).toBeCloseTo(55, 5);
    const spaced = await call(stack.credentials, "generatePassword", { ...request, words: 4, separator: " " });
    expect(spaced.password.split(" ")).toHaveLength(4);
  });

  it("a bad length or word count is INVALID_ARGUMENT naming the field", async () => {
    const short = await expectStatus(
      call(stack.credentials, "generatePassword", { ...request, length: 4 }),
      status.INVALID_ARGUMENT,
      /^length: /,
    );
    expect(short.details).toMatch(/from 8 to 256/);
    await expectStatus(call(stack.credentials, "generatePassword", { ...request, length: 300 }), status.INVALID_ARGUMENT, /^length: /);
    await expectStatus(call(stack.credentials, "generatePassword", { ...request, words: 2 }), status.INVALID_ARGUMENT, /^words: /);
  });
});

describe("ListExpiringCredentials", () => {
  it("within 30 days: the expired and the 3-day ones, soonest first; a technician sees only what they may read", async () => {
    // The only credentials of this file with an expiry (a client_id would need the work service).
    const now = Date.now();
    const inThreeDays = await create({ name: "in 3 days", expiresAt: new Date(now + 3 * dayMs) });
    await create({ name: "in 40 days", expiresAt: new Date(now + 40 * dayMs) });
    const past = await create({ name: "expired", expiresAt: new Date(now - 2 * dayMs) });
    await create({ name: "never" });
    const inactive = await create({ name: "archived", expiresAt: new Date(now + dayMs), isActive: false });
    expect(inactive.isActive).toBe(false);

    const report = await call(stack.credentials, "listExpiringCredentials", { withinDays: 30, clientId: "" });
    expect(report.credentials.map((c) => c.name)).toEqual(["expired", "in 3 days"]);
    expect(report.credentials.map((c) => c.id)).toEqual([past.id, inThreeDays.id]);
    expect(JSON.stringify(report)).not.toMatch(/"secret"/);

    const tech = await testToken(stack.vault, { role: "technician", username: "tess" });
    await grant(inThreeDays.id, tech, PermissionLevel.PERMISSION_LEVEL_READ);
    const seen = await call(stack.credentials, "listExpiringCredentials", { withinDays: 30, clientId: "" }, tech.metadata());
    expect(seen.credentials.map((c) => c.id)).toEqual([inThreeDays.id]);
    await expectStatus(
      call(stack.credentials, "listExpiringCredentials", { withinDays: -1, clientId: "" }),
      status.INVALID_ARGUMENT,
      /within_days/,
    );
  });
});

describe("ListRevealedSinceChange by principal", () => {
  it("tech A revealed c1 and c2, c2 was rotated: A's report lists only c1", async () => {
    const a = await testToken(stack.vault, { role: "technician", username: "alice" });
    const c1 = await create({ name: "c1" });
    const c2 = await create({ name: "c2" });
    for (const c of [c1, c2]) {
      await grant(c.id, a, PermissionLevel.PERMISSION_LEVEL_REVEAL);
      await call(stack.credentials, "revealCredential", { id: c.id, reason: "printer install" }, a.metadata());
    }
    let report = await call(stack.credentials, "listRevealedSinceChange", { credentialId: "", principalId: a.principal.userId });
    expect(report.reveals.map((r) => r.credentialId).sort()).toEqual([c1.id, c2.id].sort());
    await call(stack.credentials, "rotateCredentialSecret", { id: c2.id, secret: "after-alice-left", reason: "alice left" });
    report = await call(stack.credentials, "listRevealedSinceChange", { credentialId: "", principalId: a.principal.userId });
    expect(report.reveals).toEqual([
      expect.objectContaining({
        credentialId: c1.id,
        credentialName: "c1",
        principal: "alice",
        principalId: a.principal.userId,
        revealCount: 1,
      }),
    ]);
    // The report is for admins.
    await expectStatus(
      call(stack.credentials, "listRevealedSinceChange", { credentialId: "", principalId: a.principal.userId }, a.metadata()),
      status.PERMISSION_DENIED,
    );
  });
});

describe("security incidents", () => {
  const incident = (fields: Partial<SecurityIncident>) =>
    call(stack.incidents, "createSecurityIncident", {
      securityIncident: SecurityIncident.fromPartial({
        incidentType: IncidentType.INCIDENT_TYPE_PHISHING,
        severity: IncidentSeverity.INCIDENT_SEVERITY_HIGH,
        description: "a user entered their password on a fake login page",
        ...fields,
      }),
    });
  const setStatus = (id: string, to: IncidentStatus) =>
    call(stack.incidents, "updateSecurityIncident", {
      securityIncident: SecurityIncident.fromPartial({ id, status: to }),
      updateMask: ["status"],
    });

  it("defaults to investigating with occurred_at set; resolving sets resolved_at, monitoring keeps it, reopening clears it", async () => {
    const before = Date.now();
    const made = await incident({});
    expect(made.status).toBe(IncidentStatus.INCIDENT_STATUS_INVESTIGATING);
    expect(made.occurredAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(made.resolvedAt).toBeUndefined();

    const resolved = await setStatus(made.id, IncidentStatus.INCIDENT_STATUS_RESOLVED);
    expect(resolved.status).toBe(IncidentStatus.INCIDENT_STATUS_RESOLVED);
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    const monitoring = await setStatus(made.id, IncidentStatus.INCIDENT_STATUS_MONITORING);
    expect(monitoring.resolvedAt?.getTime()).toBe(resolved.resolvedAt?.getTime());
    const reopened = await setStatus(made.id, IncidentStatus.INCIDENT_STATUS_INVESTIGATING);
    expect(reopened.resolvedAt).toBeUndefined();
    expect(reopened.occurredAt?.getTime()).toBe(made.occurredAt?.getTime());
  });

  it('List with severity = "critical" returns only critical ones', async () => {
    const critical = await incident({
      severity: IncidentSeverity.INCIDENT_SEVERITY_CRITICAL,
      incidentType: IncidentType.INCIDENT_TYPE_RANSOMWARE,
    });
    await incident({ severity: IncidentSeverity.INCIDENT_SEVERITY_LOW });
    const listed = await call(stack.incidents, "listSecurityIncidents", {
      pageSize: 500,
      pageToken: "",
      filter: 'severity = "critical"',
      orderBy: "",
    });
    expect(listed.securityIncidents.map((i) => i.id)).toContain(critical.id);
    expect(listed.securityIncidents.length).toBeGreaterThan(0);
    for (const found of listed.securityIncidents) expect(found.severity).toBe(IncidentSeverity.INCIDENT_SEVERITY_CRITICAL);
  });

  it("a missing description is INVALID_ARGUMENT naming it", async () => {
    await expectStatus(incident({ description: undefined }), status.INVALID_ARGUMENT, /description: is required/);
  });
});

describe("integration credentials", () => {
  const secrets = { secret: "syncro-api-key-0001", refreshToken: "syncro-refresh-0001", webhookSecret: "syncro-hook-0001" };

  it("create and Get say which secrets are set, never what they are; reveal returns them, audited with its reason", async () => {
    const made = await call(stack.integrations, "createIntegrationCredential", {
      integrationCredential: IntegrationCredential.fromPartial({
        integration: Integration.INTEGRATION_SYNCRO,
        credentialType: IntegrationCredentialType.INTEGRATION_CREDENTIAL_TYPE_OAUTH_TOKEN,
        name: "Syncro production",
        apiBaseUrl: "https://contoso.syncromsp.com/api/v1",
      }),
      secrets: { secret: secrets.secret, refreshToken: secrets.refreshToken },
    });
    const got = await call(stack.integrations, "getIntegrationCredential", { id: made.id });
    for (const answer of [made, got]) {
      expect(answer).toMatchObject({ hasSecret: true, hasRefreshToken: true, hasWebhookSecret: false });
      expect(JSON.stringify(answer)).not.toMatch(/syncro-(api-key|refresh)/);
    }
    const revealed = await call(stack.integrations, "revealIntegrationCredential", { id: made.id, reason: "renew the webhook" });
    expect(revealed.secrets).toEqual({ secret: secrets.secret, refreshToken: secrets.refreshToken });
    const events = await stack.vault.service.db.select<{ request_summary: unknown; outcome: string }>(
      "SELECT request_summary, outcome FROM audit_outbox WHERE resource_id = ? AND action = 'reveal'",
      [made.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.outcome).toBe("ok");
    expect(JSON.stringify(events)).toContain("renew the webhook");
    expect(JSON.stringify(events)).not.toMatch(/syncro-(api-key|refresh)/);
    await expectStatus(
      call(stack.integrations, "revealIntegrationCredential", { id: made.id, reason: "" }),
      status.INVALID_ARGUMENT,
      /reason/,
    );

    // A secret added later, one cleared.
    const updated = await call(stack.integrations, "updateIntegrationCredential", {
      integrationCredential: IntegrationCredential.fromPartial({ id: made.id }),
      updateMask: undefined,
      secrets: { webhookSecret: secrets.webhookSecret, refreshToken: "" },
    });
    expect(updated).toMatchObject({ hasSecret: true, hasRefreshToken: false, hasWebhookSecret: true });
    const again = await call(stack.integrations, "revealIntegrationCredential", { id: made.id, reason: "check the update" });
    expect(again.secrets).toEqual({ secret: secrets.secret, webhookSecret: secrets.webhookSecret });
  });

  it("RecordConnectionTest sets last_tested_at and last_test_status", async () => {
    const made = await call(stack.integrations, "createIntegrationCredential", {
      integrationCredential: IntegrationCredential.fromPartial({
        integration: Integration.INTEGRATION_ZAPIER,
        credentialType: IntegrationCredentialType.INTEGRATION_CREDENTIAL_TYPE_API_KEY,
      }),
      secrets: { secret: "zapier-key" },
    });
    expect(made.lastTestedAt).toBeUndefined();
    const before = Date.now();
    const tested = await call(stack.integrations, "recordConnectionTest", {
      id: made.id,
      status: ConnectionTestStatus.CONNECTION_TEST_STATUS_FAILED,
    });
    expect(tested.lastTestStatus).toBe(ConnectionTestStatus.CONNECTION_TEST_STATUS_FAILED);
    expect(tested.lastTestedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const ok = await call(stack.integrations, "recordConnectionTest", {
      id: made.id,
      status: ConnectionTestStatus.CONNECTION_TEST_STATUS_OK,
    });
    expect(ok.lastTestStatus).toBe(ConnectionTestStatus.CONNECTION_TEST_STATUS_OK);
    await expectStatus(
      call(stack.integrations, "recordConnectionTest", { id: made.id, status: ConnectionTestStatus.CONNECTION_TEST_STATUS_UNSPECIFIED }),
      status.INVALID_ARGUMENT,
      /^status: /,
    );
  });

  it("a technician is refused every method (admins only)", async () => {
    const tech = await testToken(stack.vault, { role: "technician", username: "tim" });
    const [first] = (await call(stack.integrations, "listIntegrationCredentials", { pageSize: 1, pageToken: "", filter: "", orderBy: "" }))
      .integrationCredentials;
    const id = first?.id ?? randomUUID();
    const refusals = [
      call(stack.integrations, "listIntegrationCredentials", { pageSize: 10, pageToken: "", filter: "", orderBy: "" }, tech.metadata()),
      call(stack.integrations, "getIntegrationCredential", { id }, tech.metadata()),
      call(stack.integrations, "revealIntegrationCredential", { id, reason: "just looking" }, tech.metadata()),
      call(
        stack.integrations,
        "createIntegrationCredential",
        {
          integrationCredential: IntegrationCredential.fromPartial({
            integration: Integration.INTEGRATION_OTHER,
            credentialType: IntegrationCredentialType.INTEGRATION_CREDENTIAL_TYPE_API_KEY,
          }),
          secrets: { secret: "x-secret" },
        },
        tech.metadata(),
      ),
      call(stack.integrations, "recordConnectionTest", { id, status: ConnectionTestStatus.CONNECTION_TEST_STATUS_OK }, tech.metadata()),
    ];
    for (const refusal of refusals) await expectStatus(refusal, status.PERMISSION_DENIED);
  });
});

describe("ListCredentialAccessLog", () => {
  it("a technician with admin permission on one credential sees only that credential's rows", async () => {
    const tech = await testToken(stack.vault, { role: "technician", username: "theo" });
    const theirs = await create({ name: "theirs" });
    const other = await create({ name: "not theirs" });
    await call(stack.credentials, "revealCredential", { id: theirs.id, reason: "reset" });
    await call(stack.credentials, "revealCredential", { id: other.id, reason: "reset" });
    await grant(theirs.id, tech, PermissionLevel.PERMISSION_LEVEL_ADMIN);

    const seen = await call(stack.credentials, "listCredentialAccessLog", { pageSize: 500, pageToken: "", filter: "" }, tech.metadata());
    expect(seen.entries.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen.entries.map((e) => e.credentialId))).toEqual(new Set([theirs.id]));
    const filtered = await call(
      stack.credentials,
      "listCredentialAccessLog",
      { pageSize: 500, pageToken: "", filter: `credential_id = "${other.id}"` },
      tech.metadata(),
    );
    expect(filtered.entries).toEqual([]);
    // The admin sees both; read or reveal permission alone shows nothing.
    const all = await call(stack.credentials, "listCredentialAccessLog", { pageSize: 500, pageToken: "", filter: "" });
    expect(all.entries.map((e) => e.credentialId)).toEqual(expect.arrayContaining([theirs.id, other.id]));
    const reader = await testToken(stack.vault, { role: "technician", username: "rita" });
    await grant(other.id, reader, PermissionLevel.PERMISSION_LEVEL_REVEAL);
    expect(
      (await call(stack.credentials, "listCredentialAccessLog", { pageSize: 500, pageToken: "", filter: "" }, reader.metadata())).entries,
    ).toEqual([]);
  });
});
