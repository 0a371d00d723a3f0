import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../local/atomic-file";

const journalFile = "delivered.log";

/**
 * The ids of spooled events already delivered (or given up on), one per line, fsynced after
 * each: a sender that crashes mid-batch resumes after the last event it finished and never
 * sends one twice from this side (the server's idempotency covers the send that was in flight).
 */
export class DeliveredJournal {
  private readonly path: string;
  private readonly ids: Set<string>;

  constructor(spoolDir: string) {
    this.path = join(spoolDir, journalFile);
    this.ids = new Set(readLines(this.path));
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records one id durably. */
  add(id: string): void {
    if (this.ids.has(id)) return;
    const fd = openSync(this.path, "a", 0o600);
    try {
      writeSync(fd, `${id}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.ids.add(id);
  }

  /** Keeps only the ids still present in some spool file, so the journal does not grow forever. */
  retainOnly(live: ReadonlySet<string>): void {
    const kept = [...this.ids].filter((id) => live.has(id));
    if (kept.length === this.ids.size) return;
    writeFileAtomic(this.path, kept.map((id) => `${id}\n`).join(""));
    this.ids.clear();
    for (const id of kept) this.ids.add(id);
  }
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
