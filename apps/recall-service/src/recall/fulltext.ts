import type { Database } from "@msp/db";
import type { MemoryKind } from "./candidate";
import { createMariaDbFullTextIndex } from "./fulltext-mariadb";
import { createSqliteFullTextIndex } from "./fulltext-sqlite";
import type { ReadRows } from "./read-rows";
import { createRowReader } from "./read-rows";

/** The kinds full-text search finds (project states are read by their key, never searched). */
export type SearchableKind = Exclude<MemoryKind, "project_state">;

/** Where to search: rows of this project, client or repository, and optionally rows of none. */
export interface FullTextScope {
  projectId?: string;
  clientId?: string;
  repository?: string;
  /** Also rows with no project, client or repository (the caller keeps the pinned ones). */
  includeGlobal: boolean;
}

export interface FullTextHit {
  kind: SearchableKind;
  id: string;
  /** 0..1 within this query: the best hit is 1. */
  relevance: number;
}

/** Full-text search over contexts, snippets, decisions, insights and failure patterns, on either dialect. */
export interface FullTextIndex {
  search(query: string, scope: FullTextScope, limit: number): Promise<FullTextHit[]>;
}

/** The index of the database's dialect: FTS5 on SQLite, InnoDB FULLTEXT on MariaDB. */
export function createFullTextIndex(db: Database, read: ReadRows = createRowReader(db)): FullTextIndex {
  return db.dialect === "sqlite" ? createSqliteFullTextIndex(read) : createMariaDbFullTextIndex(read);
}
