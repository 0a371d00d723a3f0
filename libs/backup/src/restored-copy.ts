import type { DatabaseConfig } from "@msp/db";

/** A backup restored somewhere disposable, to be checked and then thrown away. */
export interface RestoredCopy {
  /** Whether the restore went through and the copy is sound; the detail says what was found. */
  integrity: { ok: boolean; detail: string };
  /** Rows per table of the copy (views excluded). */
  countRows(): Promise<Record<string, number>>;
  /** How createDatabase opens the copy. */
  config: DatabaseConfig;
  /** Removes the copy (temporary folder or scratch database). */
  discard(): Promise<void>;
}
