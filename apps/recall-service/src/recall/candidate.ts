import type { CredentialPointer } from "../credential-pointer";
import type { Memo } from "./memo";

/** The six kinds of memory recall can return, as the contract names them. */
export const memoryKinds = ["project_state", "context", "snippet", "decision", "insight", "failure_pattern"] as const;
export type MemoryKind = (typeof memoryKinds)[number];

export function isMemoryKind(value: string): value is MemoryKind {
  return (memoryKinds as readonly string[]).includes(value);
}

/**
 * The work recorded in the work service that recall shows too: work items (Problem / Cause / Fix /
 * Verify) and problem solutions, asked of the work service (work-recall.ts), never stored here.
 */
export const workRecordKinds = ["work_item", "problem_solution"] as const;
export type WorkRecordKind = (typeof workRecordKinds)[number];

export function isWorkRecordKind(value: string): value is WorkRecordKind {
  return (workRecordKinds as readonly string[]).includes(value);
}

/** Every kind of item a recall can show (host lines aside). */
export type RecalledKind = MemoryKind | WorkRecordKind;

/**
 * One stored item that might be recalled, in the shape the ranking rules read: every kind is
 * mapped to these fields by the repository, so scoring, supersession and packing are pure.
 */
export interface Candidate {
  kind: RecalledKind;
  id: string;
  title: string;
  /** The dense text shown after the title (summary, content, rationale, description...). */
  body: string;
  tags: readonly string[];
  projectId: string | null;
  clientId: string | null;
  /** The normalized git remote the item was saved under, standing in for a project not yet known. */
  repository?: string | null;
  machineId: string | null;
  machineName: string | null;
  /** When the item was saved or last confirmed; what decay and the line's date are based on. */
  time: Date;
  /** 0..10. */
  importance: number;
  pinned: boolean;
  usefulCount: number;
  recallCount: number;
  /** When a recall last returned the item (null if never, or for kinds that do not count). */
  lastRecalledAt?: Date | null;
  /** 0..1, normalized per query from the full-text score; 0 without a query or a hit. */
  textRelevance: number;
  contentHash: string | null;
  /** Decisions: what the decision is about; a newer one on the same subject replaces it. */
  subject: string | null;
  supersededById: string | null;
  /** A problem whose fix was later found wrong: never recalled as a fix. */
  fixKnownWrong: boolean;
  /** Project state: its open next actions and blockers, packed right after it. */
  nextActions?: readonly string[] | undefined;
  blockers?: readonly string[] | undefined;
  /** Failure patterns: how often seen and the fix that worked. */
  occurrenceCount?: number | undefined;
  errorPattern?: string | undefined;
  recommendedSolution?: string | undefined;
  /** A credential_reference snippet: the vault credential it points to, shown as a pointer line (never a secret). */
  credential?: CredentialPointer | undefined;
  /** Values derived from the fields above, filled in as first needed (memo.ts). */
  memo?: Memo | undefined;
}

/** What the caller asked about: the work service's ids and what the hook knows of the machine. */
export interface RecallScope {
  machineId?: string;
  machineName?: string;
  projectId?: string;
  clientId?: string;
  cwd?: string;
  repository?: string;
  host?: string;
}
