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

/** An asset of a client (msp.infra.v1.Asset), as far as the hooks read it: the names it goes by. */
export interface Asset {
  id: string;
  clientId?: string;
  hostname?: string;
  ipAddress?: string;
  aliases?: string[];
  /** Such as ASSET_STATUS_ACTIVE. */
  status?: string;
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
  /** The dense form's parts (description is composed from them when set). */
  problem?: string;
  cause?: string;
  fix?: string;
  verify?: string;
  /** An enum name such as WORK_ITEM_STATUS_COMPLETED. */
  status?: string;
  affectedSystems?: string[];
  position?: number;
  startedAt?: string;
  completedAt?: string;
  actualMinutes?: number;
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
  workItemId?: string;
  /** An enum name such as BILLABLE_TIME_SOURCE_CLAUDE_CODE_SESSION. */
  source?: string;
  /** An enum name such as BILLABLE_TIME_REVIEW_STATUS_PENDING. */
  reviewStatus?: string;
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
  /** Which summary of past sessions to show where a model wrote one: "model" or "deterministic" (absent: the platform's setting). */
  contextSummary?: "model" | "deterministic";
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

/** msp.recall.v1.AttachSessionSummaryRequest: a model's summary of a Claude session, stored beside the deterministic one. */
export interface AttachSessionSummaryRequest {
  claudeSessionId: string;
  text: string;
  model: string;
  /** int64 in proto3 JSON: a decimal string. */
  tokens: string;
}

export interface AttachSessionSummaryResponse {
  context?: { id?: string; modelSummary?: string; modelSummaryModel?: string };
  redactions?: number;
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

/** An int64 as proto3 JSON writes it (a string); some gateways send a number. */
export type Int64 = string | number;

/** One event of the audit chain (msp.audit.v1.AuditEvent). */
export interface AuditEvent {
  id: string;
  seq: Int64;
  occurredAt?: string;
  service?: string;
  method?: string;
  principal?: string;
  resourceType?: string;
  resourceId?: string;
  /** An enum name such as AUDIT_ACTION_CREATE. */
  action?: string;
  /** An enum name such as AUDIT_OUTCOME_OK. */
  outcome?: string;
  requestSummary?: Record<string, unknown>;
  sourceIp?: string;
  prevHash?: string;
  hash?: string;
  chainedAt?: string;
}

/** The first broken link a verification found (msp.audit.v1.VerifyFailure). */
export interface VerifyFailure {
  seq?: Int64;
  /** An enum name such as VERIFY_PROBLEM_HASH_MISMATCH. */
  problem?: string;
  detail?: string;
}

/** The range of VerifyAuditChain and ExportAuditChain; 0 or absent: the chain's start or end. */
export interface SeqRange {
  fromSeq?: number;
  toSeq?: number;
}

export interface VerifyAuditChainResponse {
  ok?: boolean;
  checkedEvents?: Int64;
  checkedCheckpoints?: Int64;
  firstSeq?: Int64;
  lastSeq?: Int64;
  lastCheckpointSeq?: Int64;
  unanchoredEvents?: Int64;
  failure?: VerifyFailure;
}

/** The keys of the audit chain as an operator may see them (never the HMAC key itself). */
export interface AuditKeys {
  publicKeyPem?: string;
  publicKeyId?: string;
  hmacKeyId?: string;
  anchorSeq?: Int64;
  anchorHash?: string;
}

export interface ExportAuditChainResponse {
  lines?: string[];
  nextPageToken?: string;
}

export interface PruneAuditEventsResponse {
  prunedEvents?: Int64;
  anchorSeq?: Int64;
  detail?: string;
}

export interface AuditStatus {
  headSeq?: Int64;
  headHash?: string;
  outboxPending?: Int64;
  lastCheckpointSeq?: Int64;
  lastCheckpointAt?: string;
  drainHolder?: string;
  drainLeaseUntil?: string;
}

/** A backup of the platform's database (msp.audit.v1.Backup). */
export interface Backup {
  id: string;
  /** An enum name such as BACKUP_TYPE_MANUAL. */
  backupType?: string;
  filePath?: string;
  sizeBytes?: Int64;
  startedAt?: string;
  completedAt?: string;
  /** An enum name such as BACKUP_STATUS_VERIFIED. */
  status?: string;
  verification?: string;
  checksum?: string;
  dialect?: string;
  verifiedAt?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface CreateBackupRequest {
  backupType?: string;
  verify?: boolean;
}

/** A recurring failure and its known fix (msp.recall.v1.FailurePattern), as `msp mcp` shows it. */
export interface FailurePattern {
  id: string;
  clientId?: string;
  infrastructureId?: string;
  /** An enum name such as FAILURE_PATTERN_TYPE_PERMISSION_DENIED. */
  patternType?: string;
  errorPattern?: string;
  triggeringCommands?: string[];
  description?: string;
  rootCause?: string;
  recommendedSolution?: string;
  alternatives?: string[];
  occurrenceCount?: number;
  firstSeenAt?: string;
  lastSeenAt?: string;
  /** An enum name such as FAILURE_SEVERITY_HIGH. */
  severity?: string;
  isActive?: boolean;
  host?: string;
}

/** A small reusable fact (msp.recall.v1.ContextSnippet). */
export interface ContextSnippet {
  id: string;
  projectId?: string;
  clientId?: string;
  machineId?: string;
  machineName?: string;
  repository?: string;
  /** An enum name such as SNIPPET_CATEGORY_CONFIGURATION. */
  category?: string;
  title?: string;
  denseContent?: string;
  tags?: string[];
  importance?: number;
  createdAt?: string;
}

/** A decision and why (msp.recall.v1.DecisionLog). */
export interface DecisionLog {
  id: string;
  projectId?: string;
  clientId?: string;
  sessionId?: string;
  repository?: string;
  decision?: string;
  rationale?: string;
  tags?: string[];
  subject?: string;
  machineId?: string;
  machineName?: string;
  createdAt?: string;
}
