import type { Candidate, RecallScope } from "./candidate";

/**
 * The keys of recall_scope_versions a scope's candidates depend on: every candidate a recall can
 * read is placed by its project, repository, client or host, or is global ("g"), and any change
 * to it moves the version of each of those keys (the triggers of migration RecallScopeVersions
 * build the same keys from the row).
 */
export function scopeVersionKeys(scope: RecallScope): string[] {
  const keys = ["g"];
  if (scope.projectId) keys.push(`p:${scope.projectId}`);
  if (scope.repository) keys.push(`r:${scope.repository}`);
  if (scope.clientId) keys.push(`c:${scope.clientId}`);
  if (scope.host) keys.push(`h:${scope.host}`);
  return keys;
}

/**
 * The versions of a scope as read, in one comparable string: the rows found, sorted (a key
 * never changed has no row). Rows are compared as the database returns them, so a key it
 * matches without regard to case compares equal however the request spelled it.
 */
export function versionStamp(rows: readonly { key: string; version: unknown }[]): string {
  return rows
    .map((row) => `${row.key}=${String(row.version)}`)
    .sort()
    .join("\n");
}

interface CachedScope {
  stamp: string;
  candidates: readonly Candidate[];
  chars: number;
  /** Whether its candidates have a memo yet (given when the entry is first reused). */
  memoized: boolean;
}

/** What a cached candidate costs beyond its texts (the object, dates, ids, tags), in characters. */
const candidateOverheadChars = 300;

/**
 * The candidates of recently recalled scopes, each with the version stamp it was read at, kept
 * while they fit in `maxChars` characters of text (least recently used go first). A recall
 * reads its scope's versions (one primary-key read) and reuses the candidates while the stamp
 * is unchanged: a SessionStart and the prompts after it read the same scope again and again.
 * Entries are shared between calls: nothing may change a cached candidate but its memo, which
 * the first reuse gives it (values derived from a candidate then serve every later recall).
 * Not before: derived values kept on the candidates of scopes recalled once would survive each
 * young-generation collection for nothing (in process, 40 % more collection time on misses).
 */
export class ScopeCache {
  private readonly entries = new Map<string, CachedScope>();
  private chars = 0;

  constructor(private readonly maxChars: number) {}

  /** The cache key of a scope: the fields that choose its candidates. */
  static keyOf(scope: RecallScope): string {
    return [scope.projectId ?? "", scope.repository ?? "", scope.clientId ?? "", scope.host ?? ""].join("\u0000");
  }

  /** A scope's candidates and the stamp they were read at, marked as used most recently. */
  get(key: string): { stamp: string; candidates: readonly Candidate[] } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (!entry.memoized) {
      for (const candidate of entry.candidates) candidate.memo ??= {};
      entry.memoized = true;
    }
    return entry;
  }

  set(key: string, stamp: string, candidates: readonly Candidate[]): void {
    this.delete(key);
    const chars = candidates.reduce((sum, c) => sum + c.title.length + c.body.length + candidateOverheadChars, 0);
    if (chars > this.maxChars) return;
    for (const [oldest] of this.entries) {
      if (this.chars + chars <= this.maxChars) break;
      this.delete(oldest);
    }
    this.entries.set(key, { stamp, candidates: Object.freeze([...candidates]), chars, memoized: false });
    this.chars += chars;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.chars -= entry.chars;
  }

  /** How many scopes are held and their size in characters. */
  get size(): { scopes: number; chars: number } {
    return { scopes: this.entries.size, chars: this.chars };
  }
}
