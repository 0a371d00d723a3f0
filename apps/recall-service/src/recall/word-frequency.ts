import type { ReadRows } from "./read-rows";
import { sqlPlaceholders } from "@msp/db";
import { termsOf } from "./terms";

/** Estimates how many stored items contain a word, from a sample of the newest ones. */
export interface WordFrequency {
  /** Estimated number of items (of the sampled tables) that contain `word`. */
  documents(word: string): Promise<number>;
}

/** The tables sampled, with how many of their newest rows and which text. */
const sampled = [
  { table: "conversation_contexts", rows: 400, text: "title, SUBSTR(dense_summary, 1, 2000) AS body, tags" },
  { table: "context_snippets", rows: 200, text: "title, SUBSTR(dense_content, 1, 2000) AS body, tags" },
  { table: "decision_logs", rows: 100, text: "decision AS title, SUBSTR(rationale, 1, 2000) AS body, tags" },
] as const;

interface Sample {
  /** Items per word in the sample. */
  counts: Map<string, number>;
  size: number;
  /** Rows of the sampled tables (the server's estimate). */
  total: number;
  takenAt: number;
}

/**
 * Word frequencies for MariaDB, where InnoDB full-text search reads a word's whole posting list
 * whatever the LIMIT: a word in most of 100,000 items costs tens of milliseconds per index. The
 * newest 700 items are read (one indexed query per table) and counted, and the share of items
 * with a word, times the table sizes, estimates its document count. Refreshed every
 * `refreshMs` in the background; the first search waits for the first sample.
 */
export function createWordFrequency(read: ReadRows, refreshMs = 5 * 60_000): WordFrequency {
  let current: Promise<Sample> | undefined;
  let refreshing = false;

  const take = async (): Promise<Sample> => {
    const counts = new Map<string, number>();
    let size = 0;
    for (const source of sampled) {
      const rows = await read<{ title: unknown; body: unknown; tags: unknown }>(
        `SELECT ${source.text} FROM ${source.table} ORDER BY created_at DESC LIMIT ${source.rows}`,
        [],
      );
      for (const row of rows) {
        size += 1;
        for (const word of termsOf([row.title, row.body, row.tags].map((v) => (typeof v === "string" ? v : "")).join(" "))) {
          counts.set(word, (counts.get(word) ?? 0) + 1);
        }
      }
    }
    const [sizes] = await read<{ total: number | string | bigint | null }>(
      `SELECT SUM(TABLE_ROWS) AS total FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${sqlPlaceholders(sampled.length)})`,
      sampled.map((s) => s.table),
    );
    return { counts, size, total: Math.max(size, Number(sizes?.total ?? 0)), takenAt: Date.now() };
  };

  const sample = (): Promise<Sample> => {
    if (!current) {
      current = take().catch((error: unknown) => {
        current = undefined;
        throw error;
      });
      return current;
    }
    const settled = current;
    void settled.then((s) => {
      if (refreshing || Date.now() - s.takenAt < refreshMs) return;
      refreshing = true;
      take()
        .then((fresh) => {
          current = Promise.resolve(fresh);
        })
        .catch(() => undefined)
        .finally(() => {
          refreshing = false;
        });
    });
    return settled;
  };

  return {
    async documents(word: string): Promise<number> {
      const s = await sample();
      if (s.size === 0) return 0;
      return ((s.counts.get(word) ?? 0) / s.size) * s.total;
    },
  };
}
