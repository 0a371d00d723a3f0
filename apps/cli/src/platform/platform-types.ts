// The parts of the gateway's REST JSON (proto3 canonical JSON, lowerCamelCase) the CLI reads and
// writes. Field names follow proto/msp/*/v1; only what the CLI uses is listed.

export interface Project {
  id: string;
  clientId?: string;
  name?: string;
  slug?: string;
  repoUrl?: string;
}

export interface Client {
  id: string;
  name?: string;
}

export interface Machine {
  id: string;
  hostname?: string;
  fingerprint?: string;
  friendlyName?: string;
  lastSeenAt?: string;
}

export interface WorkSession {
  id: string;
  clientId?: string;
  projectId?: string;
  machineId?: string;
  externalSessionId?: string;
  title?: string;
  summary?: string;
  status?: string;
  startedAt?: string;
  endedAt?: string;
  durationMinutes?: number;
  billableMinutes?: number;
  billableHours?: string;
  etag?: string;
}

export interface WorkItem {
  id: string;
  sessionId?: string;
  title?: string;
  category?: string;
  categorySource?: string;
  description?: string;
  etag?: string;
}

export interface CommandRun {
  id: string;
  sessionId?: string;
  commandText?: string;
  exitCode?: number;
  success?: boolean;
  outputSummary?: string;
  position?: number;
}

export interface FileChange {
  id: string;
  sessionId?: string;
  filePath?: string;
  changeType?: string;
  description?: string;
}

export interface BillableTime {
  id: string;
  sessionId?: string;
  startedAt?: string;
  endedAt?: string;
  durationMinutes?: number;
  roundedMinutes?: number;
  isInvoiced?: boolean;
  description?: string;
  etag?: string;
}

/** Where a memory belongs; every field optional (msp.recall.v1.Scope). */
export interface MemoryScope {
  machineId?: string;
  machineName?: string;
  projectId?: string;
  clientId?: string;
  cwd?: string;
  repository?: string;
  host?: string;
}

export interface ScoreParts {
  textRelevance?: number;
  tagOverlap?: number;
  scopeMatch?: number;
  importance?: number;
  decay?: number;
  usefulness?: number;
  pinned?: boolean;
}

export interface RecalledItem {
  shortId: string;
  kind?: string;
  id?: string;
  title?: string;
  line?: string;
  time?: string;
  machineId?: string;
  machineName?: string;
  score?: number;
  scoreParts?: ScoreParts;
}

export interface RecallRequest {
  scope: MemoryScope;
  query?: string;
  budgetChars?: number;
  explain?: boolean;
  maxItems?: number;
  excludeShortIds?: string[];
}

export interface RecallResponse {
  items?: RecalledItem[];
  text?: string;
  textChars?: number;
}

export interface MemoryItem {
  shortId: string;
  kind?: string;
  id?: string;
  title?: string;
  text?: string;
  time?: string;
  machineName?: string;
  projectId?: string;
  clientId?: string;
  tags?: string[];
}

export interface IngestRequest {
  scope: MemoryScope;
  claudeSessionId: string;
  workSessionId?: string;
  idempotencyKey: string;
  transcript: string;
  partIndex: number;
  partCount: number;
  trigger: "stop" | "session_end" | "pre_compact" | "manual";
}

export interface IngestResponse {
  /** stored, updated, duplicate or part_received. */
  status?: string;
  context?: { id?: string; title?: string; denseSummary?: string };
  stats?: { sourceTokens?: string | number; summaryTokens?: string | number; partsReceived?: number; partsExpected?: number };
}

export interface TokenResponse {
  accessToken: string;
  refreshToken?: string;
  role?: string;
  scopes?: string[];
}

/** A vault credential (msp.vault.v1.Credential): never its secret. */
export interface Credential {
  id: string;
  clientId?: string;
  infrastructureId?: string;
  serviceId?: string;
  /** An enum name such as CREDENTIAL_TYPE_PASSWORD. */
  credentialType?: string;
  name?: string;
  username?: string;
  publicPart?: string;
  url?: string;
  port?: number;
  requiresVpn?: boolean;
  requires2fa?: boolean;
  accessNotes?: string;
  expiresAt?: string;
  rotatedAt?: string;
  rotatedBy?: string;
  isActive?: boolean;
  hasSecret?: boolean;
  secretVersion?: number;
  host?: string;
  etag?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** The body of CreateCredential: the credential and its secret. */
export interface CreateCredentialRequest {
  credential: Partial<Credential>;
  secret: string;
}

export interface RevealCredentialResponse {
  id: string;
  secret: string;
  version?: number;
  username?: string;
}

export interface TotpCodeResponse {
  code: string;
  validUntil?: string;
  periodSeconds?: number;
}

export interface GeneratePasswordResponse {
  password: string;
  entropyBits?: number;
}
