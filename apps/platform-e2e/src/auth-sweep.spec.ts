// Issue 3: every operation of the generated OpenAPI document refuses a missing, foreign,
// expired or revoked token with 401, refuses a readonly user's mutations (and every UserService
// call) with 403, and answers an admin's well-formed request with a 2xx. The operations come from
// the document, so an RPC added to a proto is swept without a change here (with a generic request
// until it gets a well-formed one below).
import { randomBytes, randomUUID } from "node:crypto";
import type { MethodPolicy, Principal } from "@msp/auth";
import { createTokenSigner, methodPolicies } from "@msp/auth";
import type { Operation } from "./e2e-support";
import { collectionOf, fillPath, jwtClaims, openApiDocument, openApiOperations } from "./e2e-support";
import type { Json, PlatformStack } from "./platform-stack";
import { startPlatform } from "./platform-stack";
import { withSlowness } from "@msp/testing";

jest.setTimeout(withSlowness(120_000));

const operations = openApiOperations();

/**
 * The policy each operation's RPC declares in its proto (libs/auth reads it from the descriptors),
 * by operationId: `<Service>_<Method>`, with `_<n>` for an additional binding.
 */
function policyOf(op: Operation): MethodPolicy {
  const [service, method] = op.operationId.split("_");
  const matches = methodPolicies().filter((p) => p.service.endsWith(`.${service}`) && p.method === method);
  if (matches.length !== 1) throw new Error(`${op.operationId}: ${matches.length} declared policies match, want 1`);
  return matches[0]!;
}

/** Operations anyone may call: those their proto declares public (logging in and refreshing). */
const publicOperations = new Set(operations.filter((op) => policyOf(op).access === "public").map((op) => op.operationId));

/**
 * Whether a readonly user is refused `op`: admin-only methods (UserService) and writes, except
 * those about the caller's own token (RevokeToken; CheckRevocation, which every service calls
 * with the caller's own token, is a read). Recall is a POST (its scope and query make a body)
 * but a read, as its proto declares.
 */
function refusedToReadonly(op: Operation): boolean {
  const policy = policyOf(op);
  return policy.adminOnly || (policy.access === "write" && !policy.ownToken);
}

type Caller = "admin" | "readonly" | "anonymous";

/** A concrete request for an operation: the query to add and the JSON body to send. */
interface Planned {
  query?: string;
  body?: unknown;
}

interface Fixtures {
  /** Per collection (clients, users...): the id Get, Update and custom methods use. */
  keep: Record<string, string>;
  /** Per collection: the id Delete removes. */
  doomed: Record<string, string>;
}

const password = "sweep-password-123";
let serial = 0;
const unique = () => `${Date.now().toString(36)}-${++serial}`;
/** A unique word without digits: failure signatures treat numbers as placeholders. */
const uniqueWord = () => unique().replace(/\d/g, (d) => "ghijklmnop".charAt(Number(d)));

/** A one-record Claude Code transcript, for Ingest. */
const transcriptOf = (sessionId: string) =>
  `${JSON.stringify({ type: "user", sessionId, timestamp: "2026-01-05T10:00:00Z", message: { role: "user", content: "Check the nginx config on web01" } })}\n`;

let platform: PlatformStack;
let adminToken: string;
let readonlyToken: string;
let adminClaims: Omit<Principal, "tokenId" | "expiresAt">;
const fixtures: Fixtures = { keep: {}, doomed: {} };
/** Which checks each operation went through, by operationId. */
const checked = new Map<string, Set<string>>();

function record(op: Operation, check: string): void {
  const checks = checked.get(op.operationId) ?? new Set<string>();
  checks.add(check);
  checked.set(op.operationId, checks);
}

async function created(path: string, body: unknown): Promise<Json> {
  const { status, json } = await platform.api("POST", path, { token: adminToken, body });
  if (status !== 200) throw new Error(`fixture POST ${path} failed: ${status} ${JSON.stringify(json)}`);
  return json;
}

async function loginTokens(username: string, pass: string): Promise<{ accessToken: string; refreshToken: string }> {
  const { status, json } = await platform.api("POST", "/api/v1/auth/token", { body: { username, password: pass } });
  if (status !== 200) throw new Error(`login as ${username} failed: ${status} ${JSON.stringify(json)}`);
  return json;
}

const freshTokens = (caller: Caller) =>
  caller === "readonly" ? loginTokens("sweep-readonly", password) : loginTokens("admin", platform.adminPassword);

/** Well-formed requests, by operationId; the path comes from the fixtures (see pathOf). */
const wellFormed: Record<string, (caller: Caller) => Promise<Planned> | Planned> = {
  ApiKeyService_CreateApiKey: () => ({ body: { name: `sweep key ${unique()}` } }),
  ApiKeyService_RevokeApiKey: () => ({ body: {} }),
  AuthService_CreateToken: () => ({ body: { username: "admin", password: platform.adminPassword } }),
  AuthService_RefreshToken: async (caller) => ({ body: { refreshToken: (await freshTokens(caller)).refreshToken } }),
  // Another token of the caller's own: revoking it leaves the caller's token working.
  AuthService_RevokeToken: async (caller) => ({ body: { token: (await freshTokens(caller)).accessToken } }),
  AuthService_CheckRevocation: (caller) => ({
    body: { tokenId: caller === "anonymous" ? randomUUID() : jwtClaims(caller === "admin" ? adminToken : readonlyToken)["jti"] },
  }),
  UserService_CreateUser: () => ({ body: { user: { username: `sweep-user-${unique()}`, role: "USER_ROLE_TECHNICIAN" }, password } }),
  UserService_UpdateUser: () => ({ query: "updateMask=email", body: { email: `sweep-${unique()}@example.com` } }),
  UserService_SetUserPassword: () => ({ body: { password: `${password}-new` } }),
  ClientService_CreateClient: () => ({ body: { name: `Sweep client ${unique()}` } }),
  ClientService_UpdateClient: () => ({ query: "updateMask=notes", body: { notes: "swept" } }),
  MachineService_CreateMachine: () => ({ body: { hostname: `sweep-${unique()}`, fingerprint: `fp-${unique()}` } }),
  MachineService_UpdateMachine: () => ({ query: "updateMask=notes", body: { notes: "swept" } }),
  ProjectService_CreateProject: () => {
    const u = unique();
    return { body: { clientId: fixtures.keep["clients"], name: `Sweep project ${u}`, slug: `sweep-${u}` } };
  },
  ProjectService_UpdateProject: () => ({ query: "updateMask=description", body: { description: "swept" } }),
  SessionService_CreateSession: () => ({ body: { clientId: fixtures.keep["clients"], title: `Sweep session ${unique()}` } }),
  SessionService_UpdateSession: () => ({ query: "updateMask=summary", body: { summary: "swept" } }),
  SessionService_AddSessionTag: () => ({ body: { tag: "swept" } }),
  SessionService_RemoveSessionTag: () => ({ body: { tag: "swept" } }),
  SessionService_FindRecentWork: () => ({
    body: { projectId: fixtures.keep["projects"], clientId: fixtures.keep["clients"], terms: ["sweep"] },
  }),
  TagService_CreateTag: () => ({ body: { name: `sweep-${unique()}` } }),
  TagService_UpdateTag: () => ({ query: "updateMask=description", body: { description: "swept" } }),
  TaskService_CreateTask: () => ({ body: { title: `Sweep task ${unique()}` } }),
  TaskService_UpdateTask: () => ({ query: "updateMask=description", body: { description: "swept" } }),
  WorkItemService_CreateWorkItem: () => ({ body: { sessionId: fixtures.keep["sessions"], title: `Sweep item ${unique()}` } }),
  WorkItemService_UpdateWorkItem: () => ({ query: "updateMask=title", body: { title: "Swept item" } }),
  WorkItemService_AddWorkItemTag: () => ({ body: { tag: "swept" } }),
  WorkItemService_RemoveWorkItemTag: () => ({ body: { tag: "swept" } }),
  FileChangeService_CreateFileChange: () => ({
    body: { sessionId: fixtures.keep["sessions"], filePath: `/etc/sweep-${unique()}.conf`, changeType: "FILE_CHANGE_TYPE_MODIFIED" },
  }),
  FileChangeService_UpdateFileChange: () => ({ query: "updateMask=description", body: { description: "swept" } }),
  CommandRunService_CreateCommandRun: () => ({ body: { sessionId: fixtures.keep["sessions"], commandText: "systemctl status nginx" } }),
  CommandRunService_UpdateCommandRun: () => ({ query: "updateMask=outputSummary", body: { outputSummary: "swept" } }),
  ProblemSolutionService_CreateProblemSolution: () => ({
    body: { sessionId: fixtures.keep["sessions"], solution: "Restarted the service" },
  }),
  ProblemSolutionService_UpdateProblemSolution: () => ({ query: "updateMask=verification", body: { verification: "swept" } }),
  DeploymentService_CreateDeployment: () => ({ body: { sessionId: fixtures.keep["sessions"], deploymentType: "DEPLOYMENT_TYPE_CONFIG" } }),
  DeploymentService_UpdateDeployment: () => ({ query: "updateMask=description", body: { description: "swept" } }),
  DatabaseChangeService_CreateDatabaseChange: () => ({
    body: { sessionId: fixtures.keep["sessions"], databaseName: "crm", changeType: "DATABASE_CHANGE_TYPE_INDEX" },
  }),
  DatabaseChangeService_UpdateDatabaseChange: () => ({
    query: "updateMask=sqlExecuted",
    body: { sqlExecuted: "CREATE INDEX swept ON t (c)" },
  }),
  BillableTimeService_CreateBillableTime: () => ({
    body: { sessionId: fixtures.keep["sessions"], startedAt: "2026-01-05T10:00:00Z", endedAt: "2026-01-05T10:05:00Z" },
  }),
  BillableTimeService_UpdateBillableTime: () => ({ query: "updateMask=description", body: { description: "swept" } }),
  BillableTimeService_ReviewBillableTime: () => ({ body: { decision: "BILLABLE_TIME_REVIEW_DECISION_APPROVE" } }),
  // A fresh entry each time: an entry is invoiced once.
  BillableTimeService_MarkInvoiced: async () => {
    const entry = await created("/api/v1/billableTime", {
      clientId: fixtures.keep["clients"],
      startedAt: "2026-01-06T09:00:00Z",
      durationMinutes: 30,
    });
    return { body: { billableTimeIds: [entry.id], invoiceReference: "SWEEP" } };
  },
  // A fresh invoiced entry each time: an entry is uninvoiced once.
  BillableTimeService_UnmarkInvoiced: async () => {
    const entry = await created("/api/v1/billableTime", {
      clientId: fixtures.keep["clients"],
      startedAt: "2026-01-07T09:00:00Z",
      durationMinutes: 30,
    });
    await created("/api/v1/billableTime:markInvoiced", { billableTimeIds: [entry.id], invoiceReference: "SWEEP" });
    return { body: { billableTimeIds: [entry.id], reason: "swept" } };
  },
  TicketLinkService_CreateTicketLink: () => ({
    body: { sessionId: fixtures.keep["sessions"], system: "TICKET_SYSTEM_SYNCRO", ticketId: `sweep-${unique()}` },
  }),
  TicketLinkService_UpdateTicketLink: () => ({ query: "updateMask=ticketStatus", body: { ticketStatus: "swept" } }),
  ExternalIntegrationService_CreateExternalIntegration: () => ({
    body: {
      sessionId: fixtures.keep["sessions"],
      integrationType: "syncro",
      action: "EXTERNAL_INTEGRATION_ACTION_CREATED",
      requestData: { api_key: "sweep" },
    },
  }),
  ExternalIntegrationService_UpdateExternalIntegration: () => ({ query: "updateMask=externalId", body: { externalId: "swept" } }),
  MemoryService_Ingest: () => {
    const session = `sweep-${unique()}`;
    return { body: { claudeSessionId: session, idempotencyKey: `${session}:1`, transcript: transcriptOf(session), trigger: "manual" } };
  },
  MemoryService_Recall: () => ({ body: { scope: { projectId: fixtures.keep["projects"] }, query: "nginx" } }),
  MemoryService_MarkUseful: () => ({ body: {} }),
  MemoryService_AttachSessionSummary: () => ({
    body: { claudeSessionId: fixtures.keep["memorySession"], text: `Swept summary ${unique()}`, model: "sweep-model", tokens: "12" },
  }),
  ConversationContextService_CreateConversationContext: () => ({ body: { title: `Sweep context ${unique()}`, denseSummary: "swept" } }),
  ConversationContextService_UpdateConversationContext: () => ({ query: "updateMask=importance", body: { importance: 6 } }),
  ContextSnippetService_CreateContextSnippet: () => ({
    body: { category: "SNIPPET_CATEGORY_COMMAND", title: "Sweep snippet", denseContent: `echo ${unique()}` },
  }),
  ContextSnippetService_UpdateContextSnippet: () => ({ query: "updateMask=importance", body: { importance: 6 } }),
  ProjectStateService_CreateProjectState: () => ({ body: { repository: `github.com/sweep/${unique()}` } }),
  ProjectStateService_UpdateProjectState: () => ({ query: "updateMask=currentPhase", body: { currentPhase: "swept" } }),
  DecisionLogService_CreateDecisionLog: () => ({ body: { decision: `Sweep with ${unique()}`, subject: "sweep" } }),
  DecisionLogService_UpdateDecisionLog: () => ({ query: "updateMask=rationale", body: { rationale: "swept" } }),
  EnvironmentalInsightService_CreateEnvironmentalInsight: () => ({
    body: { clientId: fixtures.keep["clients"], category: "INSIGHT_CATEGORY_PERMISSIONS", title: `Sweep insight ${unique()}` },
  }),
  EnvironmentalInsightService_UpdateEnvironmentalInsight: () => ({ query: "updateMask=description", body: { description: "swept" } }),
  FailurePatternService_CreateFailurePattern: () => ({ body: { errorPattern: `sweep failure ${uniqueWord()}` } }),
  FailurePatternService_UpdateFailurePattern: () => ({ query: "updateMask=rootCause", body: { rootCause: "swept" } }),
  OperationFailureService_CreateOperationFailure: () => ({
    body: { operationType: "OPERATION_TYPE_COMMAND", command: "systemctl restart nginx", errorMessage: "Unit nginx.service not found." },
  }),
  OperationFailureService_UpdateOperationFailure: () => ({ query: "updateMask=resolution", body: { resolution: "swept" } }),
  // The vault. The kept credential is a TOTP seed, so that its code can be asked for too.
  CredentialService_CreateCredential: () => ({
    body: { credential: { name: `Sweep credential ${unique()}`, credentialType: "CREDENTIAL_TYPE_PASSWORD" }, secret: `pw-${unique()}` },
  }),
  CredentialService_UpdateCredential: () => ({ body: { credential: { accessNotes: "swept" }, updateMask: "accessNotes" } }),
  CredentialService_RevealCredential: () => ({ body: { reason: "auth sweep" } }),
  CredentialService_RotateCredentialSecret: () => ({ body: { secret: totpSeed, reason: "auth sweep" } }),
  CredentialService_GetTotpCode: () => ({ body: { reason: "auth sweep" } }),
  CredentialService_RevealCredentialVersion: () => ({ body: { version: 1, reason: "auth sweep" } }),
  CredentialService_GrantCredentialPermission: () => ({ body: { principal: randomUUID(), level: "PERMISSION_LEVEL_READ" } }),
  // A fresh grant each time: a permission is revoked once.
  CredentialService_RevokeCredentialPermission: async () => {
    const principal = randomUUID();
    await created(`/api/v1/credentials/${fixtures.keep["credentials"]}/permissions`, { principal, level: "PERMISSION_LEVEL_READ" });
    return { body: { principal } };
  },
  CredentialService_GeneratePassword: () => ({ body: { length: 20 } }),
  CredentialService_FindCredentialReferences: () => ({ body: { clientId: fixtures.keep["clients"], hosts: ["dc01.sweep.local"] } }),
  CredentialService_ListRevealedSinceChange: () => ({ query: `credentialId=${fixtures.keep["credentials"]}` }),
  KeyService_RotateDataKey: () => ({ body: { reason: "auth sweep" } }),
  SecurityIncidentService_CreateSecurityIncident: () => ({
    body: { incidentType: "INCIDENT_TYPE_PHISHING", severity: "INCIDENT_SEVERITY_LOW", description: `Sweep incident ${unique()}` },
  }),
  SecurityIncidentService_UpdateSecurityIncident: () => ({ query: "updateMask=notes", body: { notes: "swept" } }),
  IntegrationCredentialService_CreateIntegrationCredential: () => ({
    body: {
      integrationCredential: { integration: "INTEGRATION_OTHER", credentialType: "INTEGRATION_CREDENTIAL_TYPE_API_KEY", name: unique() },
      secrets: { secret: `key-${unique()}` },
    },
  }),
  IntegrationCredentialService_UpdateIntegrationCredential: () => ({
    body: { integrationCredential: { name: `swept ${unique()}` }, updateMask: "name" },
  }),
  IntegrationCredentialService_RevealIntegrationCredential: () => ({ body: { reason: "auth sweep" } }),
  IntegrationCredentialService_RecordConnectionTest: () => ({ body: { status: "CONNECTION_TEST_STATUS_OK" } }),
  // Client infrastructure.
  SiteService_CreateSite: () => ({ body: { clientId: fixtures.keep["clients"], name: `Sweep site ${unique()}` } }),
  SiteService_UpdateSite: () => ({ query: "updateMask=notes", body: { notes: "swept" } }),
  AssetService_CreateAsset: () => ({
    body: { clientId: fixtures.keep["clients"], assetType: "ASSET_TYPE_VIRTUAL_MACHINE", hostname: `sweep-${unique()}` },
  }),
  AssetService_UpdateAsset: () => ({ query: "updateMask=notes", body: { notes: "swept" } }),
  AssetService_AddAssetTag: () => ({ body: { tag: "swept" } }),
  AssetService_RemoveAssetTag: () => ({ body: { tag: "swept" } }),
  AssetService_MatchHosts: () => ({ body: { clientId: fixtures.keep["clients"], texts: ["is the sweep host up?"] } }),
  ServiceCatalogService_CreateService: () => ({ body: { infrastructureId: fixtures.keep["assets"], name: `Sweep service ${unique()}` } }),
  ServiceCatalogService_UpdateService: () => ({ query: "updateMask=notes", body: { notes: "swept" } }),
  // A fresh service to depend on each time: a pair has one relationship of each kind.
  ServiceRelationshipService_CreateServiceRelationship: async () => {
    const to = await created("/api/v1/services", { infrastructureId: fixtures.keep["assets"], name: `Sweep needed ${unique()}` });
    return { body: { fromServiceId: fixtures.keep["services"], toServiceId: to.id, relationship: "RELATIONSHIP_TYPE_DEPENDS_ON" } };
  },
  ServiceRelationshipService_UpdateServiceRelationship: () => ({ query: "updateMask=notes", body: { notes: "swept" } }),
  NetworkService_CreateNetwork: () => ({
    body: { clientId: fixtures.keep["clients"], name: `Sweep net ${unique()}`, cidr: "10.200.0.0/24" },
  }),
  NetworkService_UpdateNetwork: () => ({ query: "updateMask=notes", body: { notes: "swept" } }),
  NetworkService_ListNetworkOverlaps: () => ({ query: `clientId=${fixtures.keep["clients"]}` }),
  FirewallRuleService_CreateFirewallRule: () => ({ body: { infrastructureId: fixtures.keep["assets"], action: "FIREWALL_ACTION_DENY" } }),
  FirewallRuleService_UpdateFirewallRule: () => ({ query: "updateMask=notes", body: { notes: "swept" } }),
  M365TenantService_CreateM365Tenant: () => ({ body: { clientId: fixtures.keep["clients"], tenantId: randomUUID() } }),
  M365TenantService_UpdateM365Tenant: () => ({ query: "updateMask=notes", body: { notes: "swept" } }),
  InfrastructureChangeService_CreateInfrastructureChange: () => ({
    body: { infrastructureId: fixtures.keep["assets"], changeType: "CHANGE_TYPE_DNS", targetSystem: `zone ${unique()}` },
  }),
  InfrastructureChangeService_UpdateInfrastructureChange: () => ({
    query: "updateMask=verificationNotes",
    body: { verificationNotes: "swept" },
  }),
  InfrastructureImportService_ImportInfrastructure: () => ({
    body: { clientId: fixtures.keep["clients"], kind: "IMPORT_KIND_NETWORKS", csv: `name,cidr\nSweep import ${unique()},10.201.0.0/24\n` },
  }),
  // The audit log and backups.
  AuditService_VerifyAuditChain: () => ({ body: {} }),
  AuditService_PruneAuditEvents: () => ({ body: { olderThanDays: 3650 } }),
  BackupService_CreateBackup: () => ({ body: { backupType: "BACKUP_TYPE_MANUAL" } }),
  BackupService_VerifyBackup: () => ({ body: {} }),
};

/** The RFC 6238 test seed, base32: the kept credential's secret. */
const totpSeed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/** Whether every path parameter of `op` gets the id of a resource made for the sweep. */
function hasRealIds(op: Operation): boolean {
  return op.pathParams.length === 0 || fixtures.keep[collectionOf(op.template)] !== undefined;
}

/** The path of an operation with real ids (Delete gets one it may remove), or a random UUID where there is none. */
function pathOf(op: Operation): string {
  const ids = op.method === "delete" ? fixtures.doomed : fixtures.keep;
  return fillPath(op.template, () => ids[collectionOf(op.template)] ?? randomUUID());
}

/** Sends `op` as `caller` with `token`: the well-formed request when there is one, else {} as the body. */
async function send(op: Operation, token: string | undefined, caller: Caller): Promise<{ status: number; json: Json; request: string }> {
  const plan: Planned = wellFormed[op.operationId] ? await wellFormed[op.operationId]!(caller) : {};
  const path = pathOf(op) + (plan.query ? `?${plan.query}` : "");
  const body = op.hasBody ? (plan.body ?? {}) : undefined;
  const { status, json } = await platform.api(op.method.toUpperCase(), path, { token, ...(body !== undefined ? { body } : {}) });
  return { status, json, request: `${op.method.toUpperCase()} ${path}` };
}

/** Sends every operation (or the protected ones) with `token` and lists those not answered 401 unauthenticated. */
async function expectUnauthenticated(check: string, token: () => Promise<string | undefined> | string | undefined): Promise<string[]> {
  const wrong: string[] = [];
  for (const op of operations.filter((o) => !publicOperations.has(o.operationId))) {
    const { status, json, request } = await send(op, await token(), "anonymous");
    if (status !== 401 || json?.code !== "unauthenticated") wrong.push(`${request} -> ${status} ${JSON.stringify(json)}`);
    record(op, check);
  }
  return wrong;
}

beforeAll(async () => {
  platform = await startPlatform();
  adminToken = await platform.login();
  const admin = (await platform.api("GET", `/api/v1/users?filter=${encodeURIComponent('username = "admin"')}`, { token: adminToken })).json
    .users[0];
  adminClaims = { subject: admin.id, userId: admin.id, username: "admin", role: "admin", scopes: [], kind: "user" };

  const readonly = await created("/api/v1/users", { user: { username: "sweep-readonly", role: "USER_ROLE_READONLY" }, password });
  readonlyToken = await platform.login("sweep-readonly", password);

  // Two of everything: one to read, change and act on, one to delete.
  for (const slot of ["keep", "doomed"] as const) {
    const u = `${slot}-${unique()}`;
    const client = await created("/api/v1/clients", { name: `Sweep ${u}` });
    fixtures[slot]["clients"] = client.id;
    fixtures[slot]["machines"] = (await created("/api/v1/machines", { hostname: `host-${u}`, fingerprint: `fp-${u}` })).id;
    fixtures[slot]["projects"] = (
      await created("/api/v1/projects", { clientId: client.id, name: `Project ${u}`, slug: `project-${u}` })
    ).id;
    fixtures[slot]["sessions"] = (await created("/api/v1/sessions", { clientId: client.id, title: `Session ${u}` })).id;
    fixtures[slot]["tags"] = (await created("/api/v1/tags", { name: `tag-${u}` })).id;
    // Details hang off the kept session: the doomed one is deleted (with its details) during the sweep.
    const session = fixtures.keep["sessions"];
    fixtures[slot]["workItems"] = (await created("/api/v1/workItems", { sessionId: session, title: `Item ${u}` })).id;
    fixtures[slot]["fileChanges"] = (
      await created("/api/v1/fileChanges", { sessionId: session, filePath: `/srv/${u}`, changeType: "FILE_CHANGE_TYPE_CREATED" })
    ).id;
    fixtures[slot]["commands"] = (await created("/api/v1/commands", { sessionId: session, commandText: `echo ${u}` })).id;
    fixtures[slot]["problemSolutions"] = (await created("/api/v1/problemSolutions", { sessionId: session, solution: `Fix ${u}` })).id;
    fixtures[slot]["deployments"] = (
      await created("/api/v1/deployments", { sessionId: session, deploymentType: "DEPLOYMENT_TYPE_CODE" })
    ).id;
    fixtures[slot]["databaseChanges"] = (
      await created("/api/v1/databaseChanges", { sessionId: session, databaseName: "crm", changeType: "DATABASE_CHANGE_TYPE_DATA" })
    ).id;
    // Recorded by a Claude Code session, so that it waits for a technician's review (ReviewBillableTime).
    fixtures[slot]["billableTime"] = (
      await created("/api/v1/billableTime", {
        sessionId: session,
        startedAt: "2026-01-05T10:00:00Z",
        durationMinutes: 20,
        source: "BILLABLE_TIME_SOURCE_CLAUDE_CODE_SESSION",
      })
    ).id;
    fixtures[slot]["ticketLinks"] = (
      await created("/api/v1/ticketLinks", { sessionId: session, system: "TICKET_SYSTEM_AUTOTASK", ticketId: `T-${u}` })
    ).id;
    fixtures[slot]["externalIntegrations"] = (
      await created("/api/v1/externalIntegrations", {
        sessionId: session,
        integrationType: "syncro",
        action: "EXTERNAL_INTEGRATION_ACTION_LINKED",
      })
    ).id;
    fixtures[slot]["tasks"] = (await created("/api/v1/tasks", { title: `Task ${u}` })).id;
    fixtures[slot]["users"] = (await created("/api/v1/users", { user: { username: `sweep-${u}` }, password })).id;
    // The readonly user's own key, which they may read (another user's key is not found for them).
    fixtures[slot]["apiKeys"] = (await created("/api/v1/apiKeys", { name: `key ${u}`, userId: readonly.id })).apiKey.id;
    // Claude's memory.
    fixtures[slot]["conversationContexts"] = (await created("/api/v1/conversationContexts", { title: `Context ${u}`, denseSummary: u })).id;
    fixtures[slot]["contextSnippets"] = (
      await created("/api/v1/contextSnippets", { category: "SNIPPET_CATEGORY_PATTERN", title: `Snippet ${u}`, denseContent: u })
    ).id;
    fixtures[slot]["projectStates"] = (await created("/api/v1/projectStates", { repository: `github.com/sweep/${u}` })).id;
    fixtures[slot]["decisionLogs"] = (await created("/api/v1/decisionLogs", { decision: `Decision ${u}` })).id;
    fixtures[slot]["environmentalInsights"] = (
      await created("/api/v1/environmentalInsights", { clientId: client.id, category: "INSIGHT_CATEGORY_NETWORK_CONSTRAINTS", title: u })
    ).id;
    fixtures[slot]["failurePatterns"] = (await created("/api/v1/failurePatterns", { errorPattern: `pattern ${uniqueWord()}` })).id;
    fixtures[slot]["operationFailures"] = (
      await created("/api/v1/operationFailures", { operationType: "OPERATION_TYPE_API_CALL", errorMessage: `failure ${u}` })
    ).id;
  }
  // Client infrastructure: a kept firewall asset carries the services, rules and changes of both slots.
  for (const slot of ["keep", "doomed"] as const) {
    const u = `${slot}-${unique()}`;
    const clientId = fixtures.keep["clients"];
    fixtures[slot]["sites"] = (await created("/api/v1/sites", { clientId, name: `Site ${u}` })).id;
    fixtures[slot]["assets"] = (await created("/api/v1/assets", { clientId, assetType: "ASSET_TYPE_FIREWALL", hostname: `asset-${u}` })).id;
    const assetId = fixtures.keep["assets"];
    fixtures[slot]["services"] = (await created("/api/v1/services", { infrastructureId: assetId, name: `Service ${u}` })).id;
    // Between services of their own: deleting the doomed service must leave the doomed relationship to its own delete.
    const needing = await created("/api/v1/services", { infrastructureId: assetId, name: `Needing ${u}` });
    const needed = await created("/api/v1/services", { infrastructureId: assetId, name: `Needed ${u}` });
    fixtures[slot]["serviceRelationships"] = (
      await created("/api/v1/serviceRelationships", {
        fromServiceId: needing.id,
        toServiceId: needed.id,
        relationship: "RELATIONSHIP_TYPE_DEPENDS_ON",
      })
    ).id;
    fixtures[slot]["networks"] = (await created("/api/v1/networks", { clientId, name: `Net ${u}`, cidr: "10.77.0.0/24" })).id;
    fixtures[slot]["firewallRules"] = (
      await created("/api/v1/firewallRules", { infrastructureId: assetId, action: "FIREWALL_ACTION_ALLOW" })
    ).id;
    fixtures[slot]["m365Tenants"] = (await created("/api/v1/m365Tenants", { clientId, tenantId: randomUUID() })).id;
    fixtures[slot]["infrastructureChanges"] = (
      await created("/api/v1/infrastructureChanges", { infrastructureId: assetId, changeType: "CHANGE_TYPE_FIREWALL", targetSystem: u })
    ).id;
  }
  // The vault: a credential the readonly user administers (they read it, reveal it, see its
  // versions and permissions; their role still refuses them every change), with one earlier secret.
  for (const slot of ["keep", "doomed"] as const) {
    const credential = await created("/api/v1/credentials", {
      credential: {
        name: `Sweep TOTP ${slot} ${unique()}`,
        credentialType: "CREDENTIAL_TYPE_TOTP_SEED",
        clientId: fixtures.keep["clients"],
      },
      secret: totpSeed,
    });
    fixtures[slot]["credentials"] = credential.id;
    await created(`/api/v1/credentials/${credential.id}/permissions`, { principal: readonly.id, level: "PERMISSION_LEVEL_ADMIN" });
    await created(`/api/v1/credentials/${credential.id}:rotate`, { secret: totpSeed, reason: "sweep fixture" });
    fixtures[slot]["securityIncidents"] = (
      await created("/api/v1/securityIncidents", {
        incidentType: "INCIDENT_TYPE_MALWARE",
        severity: "INCIDENT_SEVERITY_HIGH",
        description: `Sweep incident ${slot}`,
      })
    ).id;
    fixtures[slot]["integrationCredentials"] = (
      await created("/api/v1/integrationCredentials", {
        integrationCredential: { integration: "INTEGRATION_SYNCRO", credentialType: "INTEGRATION_CREDENTIAL_TYPE_API_KEY" },
        secrets: { secret: `sweep-key-${slot}` },
      })
    ).id;
  }
  // A finished backup, which VerifyBackup may verify again.
  const backup = await created("/api/v1/backups", { backupType: "BACKUP_TYPE_MANUAL" });
  for (let i = 0; i < 600; i++) {
    const { json } = await platform.api("GET", `/api/v1/backups/${backup.id}`, { token: adminToken });
    if (json?.status !== "BACKUP_STATUS_RUNNING") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  fixtures.keep["backups"] = backup.id;
  // A memory item of the kept project, by the short id recall shows (once the recall engine answers).
  const session = `sweep-memory-${unique()}`;
  fixtures.keep["memorySession"] = session;
  await created("/api/v1/memory:ingest", {
    scope: { projectId: fixtures.keep["projects"] },
    claudeSessionId: session,
    idempotencyKey: session,
    transcript: transcriptOf(session),
  });
  const recalled = await platform.api("POST", "/api/v1/memory:recall", {
    token: adminToken,
    body: { scope: { projectId: fixtures.keep["projects"] } },
  });
  const shortId: unknown = recalled.json?.items?.[0]?.shortId;
  if (recalled.status === 200 && typeof shortId === "string") fixtures.keep["memory"] = shortId;
  // The client to delete must have no projects or sessions (those archive it instead).
  fixtures.doomed["clients"] = (await created("/api/v1/clients", { name: `Sweep deletable ${unique()}` })).id;
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

it("reads its operations from the generated OpenAPI document", () => {
  expect(operations.length).toBeGreaterThanOrEqual(35);
  for (const id of publicOperations) expect(operations.map((o) => o.operationId)).toContain(id);
});

it("finds a declared policy for every operation, and the document's security matches it", () => {
  const doc = openApiDocument();
  const wrong: string[] = [];
  for (const op of operations) {
    const policy = policyOf(op);
    const want = policy.access === "public" ? [] : [{ bearerAuth: policy.scope === undefined ? [] : [policy.scope] }];
    const security: unknown = doc.paths[op.template][op.method].security;
    if (JSON.stringify(security) !== JSON.stringify(want))
      wrong.push(`${op.operationId}: security ${JSON.stringify(security)}, want ${JSON.stringify(want)}`);
    // An HTTP GET must never change anything.
    if (op.method === "get" && policy.access !== "read") wrong.push(`${op.operationId}: GET but ${policy.access}`);
  }
  expect(wrong).toEqual([]);
  // Logging in must stay public: every other check starts with it.
  expect(publicOperations).toContain("AuthService_CreateToken");
});

it("refuses every protected operation without a token (401)", async () => {
  expect(await expectUnauthenticated("no token", () => undefined)).toEqual([]);
});

it("refuses every protected operation with a token signed by another key (401)", async () => {
  const otherSecret = randomBytes(32).toString("hex");
  const forged = (await createTokenSigner(otherSecret).issueAccessToken(adminClaims, 900)).token;
  expect(await expectUnauthenticated("foreign key", () => forged)).toEqual([]);
});

it("refuses every protected operation with an expired token (401)", async () => {
  const twoHoursAgo = createTokenSigner(platform.secret, { now: () => Date.now() - 2 * 3600_000 });
  const expired = (await twoHoursAgo.issueAccessToken(adminClaims, 60)).token;
  expect(await expectUnauthenticated("expired", () => expired)).toEqual([]);
});

it("refuses every protected operation with a revoked token (401)", async () => {
  const revoked = await platform.login();
  const { status } = await platform.api("POST", "/api/v1/auth/revoke", { token: revoked, body: {} });
  expect(status).toBe(200);
  expect(await expectUnauthenticated("revoked", () => revoked)).toEqual([]);
});

it("refuses a refresh token used as an access token (401)", async () => {
  const { refreshToken } = await loginTokens("admin", platform.adminPassword);
  const { status, json } = await platform.api("GET", "/api/v1/clients", { token: refreshToken });
  expect([status, json.code]).toEqual([401, "unauthenticated"]);
});

it("lets anyone call the public operations with a valid body", async () => {
  const wrong: string[] = [];
  for (const op of operations.filter((o) => publicOperations.has(o.operationId))) {
    const { status, json, request } = await send(op, undefined, "anonymous");
    if (status !== 200 || typeof json?.accessToken !== "string") wrong.push(`${request} -> ${status} ${JSON.stringify(json)}`);
    record(op, "public");
  }
  expect(wrong).toEqual([]);
});

it("refuses a readonly user every mutation and every UserService call (403), and lets them read", async () => {
  const wrong: string[] = [];
  for (const op of operations) {
    const refused = refusedToReadonly(op);
    const { status, json, request } = await send(op, readonlyToken, "readonly");
    if (refused && (status !== 403 || json?.code !== "permission_denied")) wrong.push(`${request} -> ${status}, want 403`);
    // Allowed: a 2xx where the request is well-formed, else at least no refusal and no failure.
    const want2xx = hasRealIds(op) && (wellFormed[op.operationId] !== undefined || !op.hasBody);
    const ok = want2xx ? status >= 200 && status <= 299 : status < 500 && status !== 401 && status !== 403;
    if (!refused && !ok) wrong.push(`${request} -> ${status} ${JSON.stringify(json)}, want ${want2xx ? "2xx" : "no refusal"}`);
    record(op, "readonly");
  }
  expect(wrong).toEqual([]);
});

it("answers an admin's well-formed request to every operation with a 2xx", async () => {
  const wrong: string[] = [];
  const generic: string[] = [];
  for (const op of operations) {
    const { status, json, request } = await send(op, adminToken, "admin");
    const knownWellFormed = hasRealIds(op) && (wellFormed[op.operationId] !== undefined || !op.hasBody);
    // Without a well-formed request, a GET on a collection must still succeed, and nothing may fail.
    const want2xx = knownWellFormed || (op.method === "get" && op.pathParams.length === 0);
    if (want2xx ? status < 200 || status > 299 : status >= 500) wrong.push(`${request} -> ${status} ${JSON.stringify(json)}`);
    if (!knownWellFormed) generic.push(request);
    record(op, "admin");
  }
  expect(wrong).toEqual([]);
  // Every operation must have a well-formed request here: a new operation gets its line in `wellFormed`.
  expect(generic).toEqual([]);
});

/**
 * Mutations that change nothing a log should keep: an RPC that only answers (declared a write for
 * its scope) is listed here with why, so that a new mutation without its event fails the test.
 */
const unaudited: Record<string, string> = {
  AuthService_CheckRevocation: "a question about a token, declared a read",
  // The sweep's memory item is its project's state, whose marks are not counted: nothing changes.
  // A counted mark is an audited update of the item (recall-service bookkeeping.ts).
  MemoryService_MarkUseful: "the swept item's marks are not counted",
};

it("left a chained audit event, naming its resource, for every mutation the admin made", async () => {
  // Everything the sweep did is in the outbox or already chained; wait for the drain to empty it.
  for (let i = 0; i < 600; i++) {
    const { json } = await platform.api("GET", "/api/v1/audit:status", { token: adminToken });
    if (json?.outboxPending === "0") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const mutations = operations.filter((op) => {
    const policy = policyOf(op);
    return (policy.access === "write" || policy.access === "public") && unaudited[op.operationId] === undefined;
  });
  const missing: string[] = [];
  for (const op of mutations) {
    const policy = policyOf(op);
    const filter = `method = "${policy.service}/${policy.method}" AND outcome = "ok"`;
    const { status, json } = await platform.api("GET", `/api/v1/auditEvents?pageSize=5&filter=${encodeURIComponent(filter)}`, {
      token: adminToken,
    });
    const events: { resourceType?: string; resourceId?: string }[] = json?.auditEvents ?? [];
    const named = events.filter((e) => (e.resourceType ?? "") !== "" && (e.resourceId ?? "") !== "");
    if (status !== 200 || named.length === 0) missing.push(`${op.operationId}: ${status} ${JSON.stringify(events[0] ?? null)}`);
  }
  expect(missing).toEqual([]);
  const verified = await platform.api("POST", "/api/v1/auditEvents:verify", { token: adminToken, body: {} });
  expect(verified.json?.ok).toBe(true);
  console.log(`audit: ${mutations.length} mutating operations each left a chained event naming its resource; the chain verifies`);
});

it("went through every operation of the document", () => {
  const protectedChecks = ["no token", "foreign key", "expired", "revoked", "readonly", "admin"];
  const publicChecks = ["public", "readonly", "admin"];
  const missing = operations.filter((op) => {
    const want = publicOperations.has(op.operationId) ? publicChecks : protectedChecks;
    return !want.every((check) => checked.get(op.operationId)?.has(check));
  });
  expect(missing.map((op) => op.operationId)).toEqual([]);
  const n = checked.size;
  console.log(
    `auth sweep: ${n} operations checked (${n - publicOperations.size} protected ones: 401 without a token, with a foreign-key, ` +
      `an expired and a revoked token; ${publicOperations.size} public ones: accept a valid body without a token; ` +
      `all: readonly 403 on mutations and UserService, admin 2xx)`,
  );
  expect(n).toBe(operations.length);
});
