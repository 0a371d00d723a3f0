import { requestJson } from "./http-json";
import type {
  Asset,
  AuditEvent,
  AuditKeys,
  AuditStatus,
  AttachSessionSummaryRequest,
  AttachSessionSummaryResponse,
  Backup,
  BillableTime,
  Client,
  CommandRun,
  ContextSnippet,
  CreateBackupRequest,
  CreateCredentialRequest,
  Credential,
  DecisionLog,
  ExportAuditChainResponse,
  FailurePattern,
  FileChange,
  GeneratePasswordResponse,
  IngestRequest,
  IngestResponse,
  Machine,
  MemoryItem,
  Project,
  PruneAuditEventsResponse,
  RecallRequest,
  RecallResponse,
  RevealCredentialResponse,
  SeqRange,
  TokenResponse,
  TotpCodeResponse,
  VerifyAuditChainResponse,
  WorkItem,
  WorkSession,
} from "./platform-types";

/** A filter value as AIP-160 wants it: double-quoted, with quotes and backslashes escaped. */
export function quoteFilter(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The set fields of a seq range as proto3 JSON writes int64s: decimal strings. */
function int64Fields(range: SeqRange): Record<string, string> {
  const fields: Record<string, string> = {};
  if (range.fromSeq !== undefined) fields["fromSeq"] = String(range.fromSeq);
  if (range.toSeq !== undefined) fields["toSeq"] = String(range.toSeq);
  return fields;
}

/** The Idempotency-Key of one write: given its method, path and body. */
export type WriteKeys = (method: string, path: string, body: unknown) => string;

/** A fresh random key for every write (interactive commands: each is its own logical write). */
export const randomWriteKeys: WriteKeys = () => globalThis.crypto.randomUUID();

/**
 * Keys for the writes of one event (a hook's spooled event): the same event delivered again, by a
 * later hook or `msp sync`, sends each of its writes with the key it had the first time, so the
 * platform applies it once; another write of the event (another path or body) gets another key.
 */
export function eventWriteKeys(eventId: string): WriteKeys {
  return (method, path, body) => {
    // node:crypto loads only when an event is delivered (a hook that sends nothing saves its milliseconds).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createHash } = require("node:crypto") as typeof import("node:crypto");
    const digest = createHash("sha256")
      .update([eventId, method, path, JSON.stringify(body ?? null)].join("\n"))
      .digest("hex");
    return `msp-event-${digest.slice(0, 40)}`;
  };
}

/** Logging in: public, so nothing to key (a repeat just logs in again). */
const tokenPath = "/api/v1/auth/token";

/** A page of a List call. */
export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

/**
 * The REST calls the CLI makes, each with its own time limit; `observe` hears of every call's
 * outcome (undefined for success), which the hooks use to notice an unreachable platform. Create calls send the resource
 * itself as the body (the protos' `body: "<resource>"`), updates the changed fields with an updateMask (in JSON, a FieldMask lists lowerCamelCase names). One object per server and token;
 * everything goes through the gateway, as ARCHITECTURE.md wants for outside clients. Every write
 * (POST, PATCH, DELETE; logging in aside) carries an Idempotency-Key from `writeKeys`.
 */
export function createPlatformClient(server: string, token?: string, observe?: (error: unknown) => void, writeKeys = randomWriteKeys) {
  const base = server.replace(/\/+$/, "");
  const call = async <T>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, timeoutMs: number, body?: unknown) => {
    const idempotencyKey = method === "GET" || path === tokenPath ? undefined : writeKeys(method, path, body);
    try {
      const answer = await requestJson<T>({ method, url: `${base}${path}`, token, body, idempotencyKey, timeoutMs });
      observe?.(undefined);
      return answer;
    } catch (error) {
      observe?.(error);
      throw error;
    }
  };
  const list = async <T>(path: string, field: string, filter: string, timeoutMs: number, pageToken = "", pageSize = 500, orderBy = "") => {
    const query = new URLSearchParams({ pageSize: String(pageSize), filter });
    if (pageToken) query.set("pageToken", pageToken);
    if (orderBy) query.set("orderBy", orderBy);
    const json = await call<Record<string, unknown>>("GET", `${path}?${query.toString()}`, timeoutMs);
    return { items: (json[field] as T[] | undefined) ?? [], nextPageToken: (json["nextPageToken"] as string | undefined) ?? "" } as Page<T>;
  };
  const patch = <T>(path: string, fields: Record<string, unknown>, timeoutMs: number) =>
    call<T>("PATCH", `${path}?updateMask=${Object.keys(fields).join(",")}`, timeoutMs, fields);

  return {
    server: base,
    /** The same client with the write keys of one event (eventWriteKeys): what delivering an event uses. */
    forEvent: (eventId: string) => createPlatformClient(server, token, observe, eventWriteKeys(eventId)),
    /** Every row of a List call with this filter, page after page. */
    listRaw: <T>(path: string, field: string, filter: string, timeoutMs: number) =>
      allPages<T>((token) => list<T>(path, field, filter, timeoutMs, token)),
    login: (username: string, password: string, timeoutMs = 15_000) =>
      call<TokenResponse>("POST", tokenPath, timeoutMs, { username, password }),
    exchangeApiKey: (apiKey: string, timeoutMs = 15_000) => call<TokenResponse>("POST", tokenPath, timeoutMs, { apiKey }),

    listProjects: (pageToken: string, timeoutMs: number) => list<Project>("/api/v1/projects", "projects", "", timeoutMs, pageToken),
    getProject: (id: string, timeoutMs = 10_000) => call<Project>("GET", `/api/v1/projects/${encodeURIComponent(id)}`, timeoutMs),
    findProjectsBySlug: (slug: string, timeoutMs = 10_000) =>
      list<Project>("/api/v1/projects", "projects", `slug = ${quoteFilter(slug)}`, timeoutMs),
    updateProject: (id: string, fields: Partial<Project>, timeoutMs = 10_000) =>
      patch<Project>(`/api/v1/projects/${encodeURIComponent(id)}`, fields, timeoutMs),
    listClients: (pageToken: string, timeoutMs: number) => list<Client>("/api/v1/clients", "clients", "", timeoutMs, pageToken),
    getClient: (id: string, timeoutMs = 10_000) => call<Client>("GET", `/api/v1/clients/${encodeURIComponent(id)}`, timeoutMs),
    /** A page of a client's assets (msp.infra.v1.AssetService): the machine key needs infra:read. */
    listClientAssets: (clientId: string, pageToken: string, timeoutMs: number) =>
      list<Asset>("/api/v1/assets", "assets", `client_id = ${quoteFilter(clientId)}`, timeoutMs, pageToken),

    getMachine: (id: string, timeoutMs = 10_000) => call<Machine>("GET", `/api/v1/machines/${encodeURIComponent(id)}`, timeoutMs),
    findMachinesByFingerprint: (fingerprint: string, timeoutMs = 10_000) =>
      list<Machine>("/api/v1/machines", "machines", `fingerprint = ${quoteFilter(fingerprint)}`, timeoutMs),
    createMachine: (machine: Record<string, unknown>, timeoutMs = 10_000) => call<Machine>("POST", "/api/v1/machines", timeoutMs, machine),
    updateMachine: (id: string, fields: Record<string, unknown>, timeoutMs = 10_000) =>
      patch<Machine>(`/api/v1/machines/${encodeURIComponent(id)}`, fields, timeoutMs),

    createApiKey: (request: { name: string; scopes: string[]; machineId: string }, timeoutMs = 10_000) =>
      call<{ apiKey: { id: string }; key: string }>("POST", "/api/v1/apiKeys", timeoutMs, request),
    revokeApiKey: (id: string, timeoutMs = 10_000) =>
      call<unknown>("POST", `/api/v1/apiKeys/${encodeURIComponent(id)}:revoke`, timeoutMs, {}),

    findWorkSessions: (machineId: string, externalSessionId: string, timeoutMs: number) =>
      list<WorkSession>(
        "/api/v1/sessions",
        "sessions",
        `machine_id = ${quoteFilter(machineId)} AND external_session_id = ${quoteFilter(externalSessionId)}`,
        timeoutMs,
      ),
    getWorkSession: (id: string, timeoutMs: number) => call<WorkSession>("GET", `/api/v1/sessions/${encodeURIComponent(id)}`, timeoutMs),
    createWorkSession: (session: Partial<WorkSession>, timeoutMs: number) =>
      call<WorkSession>("POST", "/api/v1/sessions", timeoutMs, session),
    updateWorkSession: (id: string, fields: Partial<WorkSession>, timeoutMs: number) =>
      patch<WorkSession>(`/api/v1/sessions/${encodeURIComponent(id)}`, fields, timeoutMs),

    createCommandRun: (commandRun: Omit<CommandRun, "id">, timeoutMs: number) =>
      call<CommandRun>("POST", "/api/v1/commands", timeoutMs, commandRun),
    listCommandRuns: (sessionId: string, pageToken: string, timeoutMs: number) =>
      list<CommandRun>("/api/v1/commands", "commandRuns", `session_id = ${quoteFilter(sessionId)}`, timeoutMs, pageToken),
    createFileChange: (fileChange: Omit<FileChange, "id">, timeoutMs: number) =>
      call<FileChange>("POST", "/api/v1/fileChanges", timeoutMs, fileChange),
    listFileChanges: (sessionId: string, pageToken: string, timeoutMs: number) =>
      list<FileChange>("/api/v1/fileChanges", "fileChanges", `session_id = ${quoteFilter(sessionId)}`, timeoutMs, pageToken),

    createWorkItem: (workItem: Record<string, unknown>, timeoutMs: number) =>
      call<WorkItem>("POST", "/api/v1/workItems", timeoutMs, workItem),
    updateWorkItem: (id: string, fields: Record<string, unknown>, timeoutMs: number) =>
      patch<WorkItem>(`/api/v1/workItems/${encodeURIComponent(id)}`, fields, timeoutMs),
    listWorkItems: (sessionId: string, pageToken: string, timeoutMs: number) =>
      list<WorkItem>("/api/v1/workItems", "workItems", `session_id = ${quoteFilter(sessionId)}`, timeoutMs, pageToken),

    createBillableTime: (billableTime: Record<string, unknown>, timeoutMs: number) =>
      call<BillableTime>("POST", "/api/v1/billableTime", timeoutMs, billableTime),
    updateBillableTime: (id: string, fields: Record<string, unknown>, timeoutMs: number) =>
      patch<BillableTime>(`/api/v1/billableTime/${encodeURIComponent(id)}`, fields, timeoutMs),
    listBillableTime: (sessionId: string, timeoutMs: number) =>
      list<BillableTime>("/api/v1/billableTime", "billableTime", `session_id = ${quoteFilter(sessionId)}`, timeoutMs),

    recall: (request: RecallRequest, timeoutMs: number) => call<RecallResponse>("POST", "/api/v1/memory:recall", timeoutMs, request),
    getMemoryItem: (shortId: string, timeoutMs = 10_000) =>
      call<MemoryItem>("GET", `/api/v1/memory/items/${encodeURIComponent(shortId)}`, timeoutMs),
    ingest: (request: IngestRequest, timeoutMs: number) => call<IngestResponse>("POST", "/api/v1/memory:ingest", timeoutMs, request),
    attachSessionSummary: (request: AttachSessionSummaryRequest, timeoutMs: number) =>
      call<AttachSessionSummaryResponse>("POST", "/api/v1/memory:attachSessionSummary", timeoutMs, request),

    // What `msp mcp` reads and writes besides recall: a project's recent sessions and their work, failure patterns, notes and decisions.
    /** One page of sessions matching a filter (such as `project_id = "..."`), newest first. */
    listRecentSessions: (filter: string, pageSize: number, timeoutMs = 15_000) =>
      list<WorkSession>("/api/v1/sessions", "sessions", filter, timeoutMs, "", pageSize, "started_at desc"),
    /** The first page of a session's work items, in their order. */
    listSessionWorkItems: (sessionId: string, pageSize: number, timeoutMs = 15_000) =>
      list<WorkItem>("/api/v1/workItems", "workItems", `session_id = ${quoteFilter(sessionId)}`, timeoutMs, "", pageSize, "position"),
    /** One page of failure patterns, the most frequent first. */
    listFailurePatterns: (filter: string, pageSize: number, timeoutMs = 15_000) =>
      list<FailurePattern>(
        "/api/v1/failurePatterns",
        "failurePatterns",
        filter,
        timeoutMs,
        "",
        pageSize,
        "occurrence_count desc,last_seen_at desc",
      ),
    createContextSnippet: (snippet: Partial<ContextSnippet>, timeoutMs = 15_000) =>
      call<ContextSnippet>("POST", "/api/v1/contextSnippets", timeoutMs, snippet),
    createDecisionLog: (decision: Partial<DecisionLog>, timeoutMs = 15_000) =>
      call<DecisionLog>("POST", "/api/v1/decisionLogs", timeoutMs, decision),

    // The vault (msp.vault.v1.CredentialService). Secrets travel in bodies only, never in a path or query.
    listCredentials: (filter: string, pageToken: string, timeoutMs = 15_000) =>
      list<Credential>("/api/v1/credentials", "credentials", filter, timeoutMs, pageToken, 500, "name"),
    getCredential: (id: string, timeoutMs = 15_000) => call<Credential>("GET", `/api/v1/credentials/${encodeURIComponent(id)}`, timeoutMs),
    createCredential: (request: CreateCredentialRequest, timeoutMs = 15_000) =>
      call<Credential>("POST", "/api/v1/credentials", timeoutMs, request),
    revealCredential: (id: string, reason: string, timeoutMs = 15_000) =>
      call<RevealCredentialResponse>("POST", `/api/v1/credentials/${encodeURIComponent(id)}:reveal`, timeoutMs, { reason }),
    rotateCredentialSecret: (id: string, secret: string, reason: string, timeoutMs = 15_000) =>
      call<Credential>("POST", `/api/v1/credentials/${encodeURIComponent(id)}:rotate`, timeoutMs, { secret, reason }),
    getTotpCode: (id: string, reason: string, timeoutMs = 15_000) =>
      call<TotpCodeResponse>("POST", `/api/v1/credentials/${encodeURIComponent(id)}:totp`, timeoutMs, { reason }),
    generatePassword: (length: number | undefined, timeoutMs = 15_000) =>
      call<GeneratePasswordResponse>("POST", "/api/v1/credentials:generatePassword", timeoutMs, length === undefined ? {} : { length }),

    // The audit chain and the backups (msp.audit.v1.AuditService, BackupService): admins, or keys with audit scopes.
    listAuditEvents: (filter: string, orderBy: "seq desc" | "seq", pageToken: string, pageSize: number, timeoutMs = 30_000) =>
      list<AuditEvent>("/api/v1/auditEvents", "auditEvents", filter, timeoutMs, pageToken, pageSize, orderBy),
    /** Recomputes the chain over the range; int64 fields travel as JSON strings, as proto3 JSON writes them. */
    verifyAuditChain: (range: SeqRange, timeoutMs = 600_000) =>
      call<VerifyAuditChainResponse>("POST", "/api/v1/auditEvents:verify", timeoutMs, int64Fields(range)),
    getAuditKeys: (timeoutMs = 15_000) => call<AuditKeys>("GET", "/api/v1/auditKeys", timeoutMs),
    exportAuditChain: (range: SeqRange, pageToken: string, pageSize: number, timeoutMs = 300_000) => {
      const query = new URLSearchParams(int64Fields(range));
      query.set("pageSize", String(pageSize));
      if (pageToken) query.set("pageToken", pageToken);
      return call<ExportAuditChainResponse>("GET", `/api/v1/auditEvents:export?${query.toString()}`, timeoutMs);
    },
    pruneAuditEvents: (olderThanDays: number, timeoutMs = 600_000) =>
      call<PruneAuditEventsResponse>("POST", "/api/v1/auditEvents:prune", timeoutMs, { olderThanDays }),
    getAuditStatus: (timeoutMs = 15_000) => call<AuditStatus>("GET", "/api/v1/audit:status", timeoutMs),

    createBackup: (request: CreateBackupRequest, timeoutMs = 30_000) => call<Backup>("POST", "/api/v1/backups", timeoutMs, request),
    getBackup: (id: string, timeoutMs = 15_000) => call<Backup>("GET", `/api/v1/backups/${encodeURIComponent(id)}`, timeoutMs),
    listBackups: (filter: string, pageToken: string, pageSize = 100, timeoutMs = 15_000) =>
      list<Backup>("/api/v1/backups", "backups", filter, timeoutMs, pageToken, pageSize),
    verifyBackup: (id: string, timeoutMs = 30_000) =>
      call<Backup>("POST", `/api/v1/backups/${encodeURIComponent(id)}:verify`, timeoutMs, {}),
  };
}

/** The client's type, for functions that take it as a dependency (and fakes in tests). */
export type PlatformClient = ReturnType<typeof createPlatformClient>;

/** Every item of a paged List, following next_page_token. */
export async function allPages<T>(fetchPage: (pageToken: string) => Promise<Page<T>>, maxPages = 50): Promise<T[]> {
  const items: T[] = [];
  let pageToken = "";
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(pageToken);
    items.push(...result.items);
    if (!result.nextPageToken) break;
    pageToken = result.nextPageToken;
  }
  return items;
}
