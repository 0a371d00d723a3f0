/**
 * Writes that arrive together commit together. On MariaDB most of a small write's cost is per
 * statement (a round trip through the driver and the server), so N creates written as one
 * transaction of multi-row INSERTs cost little more than one. Each caller is still answered only
 * after its own rows committed, and with its own outcome:
 *  - while a batch is being written, new items wait; they go together in the next one (up to
 *    `maxBatch`);
 *  - a batch whose statements fail rolled back whole, so each of its items is written again alone
 *    (`writeAlone`, the unbatched path): one bad item fails only its own caller;
 *  - a batch that failed as it committed (`committing` was called, so the outcome is not known)
 *    fails every caller with that error, as an unbatched write would: nothing is written twice.
 */
export interface BatchWriter<I, R> {
  /** Writes the items in one transaction; returns their results in order. Calls `committing` when only the COMMIT is left. */
  writeBatch(items: readonly I[], committing: () => void): Promise<R[]>;
  /** Writes one item by itself (its own transaction, its own errors). */
  writeAlone(item: I): Promise<R>;
}

interface Waiting<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, R> {
  private waiting: Waiting<I, R>[] = [];
  private writing = false;

  constructor(
    private readonly writer: BatchWriter<I, R>,
    private readonly maxBatch = 64,
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      // The next turn of the event loop: the calls that arrived with this one join its batch.
      if (!this.writing && this.waiting.length === 1) setImmediate(() => void this.next());
    });
  }

  private async next(): Promise<void> {
    if (this.writing || this.waiting.length === 0) return;
    this.writing = true;
    const batch = this.waiting.splice(0, this.maxBatch);
    try {
      await this.write(batch);
    } finally {
      this.writing = false;
      if (this.waiting.length > 0) void this.next();
    }
  }

  private async write(batch: Waiting<I, R>[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [Waiting<I, R>];
      await this.writer.writeAlone(only.item).then(only.resolve, only.reject);
      return;
    }
    let committing = false;
    try {
      const results = await this.writer.writeBatch(
        batch.map((w) => w.item),
        () => (committing = true),
      );
      batch.forEach((w, i) => w.resolve(results[i] as R));
    } catch (error) {
      if (committing) {
        for (const w of batch) w.reject(error);
        return;
      }
      // Rolled back: each alone, so that each caller hears its own outcome.
      for (const w of batch) await this.writer.writeAlone(w.item).then(w.resolve, w.reject);
    }
  }
}
