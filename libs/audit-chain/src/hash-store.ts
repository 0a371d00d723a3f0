import { isChainHash } from "./chain";

const HASH_BYTES = 32;
const HASHES_PER_CHUNK = 32_768;

/**
 * The hashes of consecutive events, 32 bytes each in 1 MiB chunks (32 MB per million events,
 * a third of keeping the hex strings), so that checkpoints given after their events can still
 * be matched and a misplaced link can be traced to the event it points at.
 */
export class HashStore {
  private readonly chunks: Buffer[] = [];
  private count = 0;

  /** `firstSeq` is the seq of the first hash pushed. */
  constructor(readonly firstSeq: number) {}

  /** Appends the hash (64 lower-case hex digits, already checked) of event `firstSeq + size`. */
  push(hashHex: string): void {
    const slot = this.count % HASHES_PER_CHUNK;
    if (slot === 0) this.chunks.push(Buffer.alloc(HASHES_PER_CHUNK * HASH_BYTES));
    (this.chunks[this.chunks.length - 1] as Buffer).write(hashHex, slot * HASH_BYTES, HASH_BYTES, "hex");
    this.count += 1;
  }

  /** The hash of event `seq` in hex, or undefined when it is not stored. */
  hashOf(seq: number): string | undefined {
    const index = seq - this.firstSeq;
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.count) return undefined;
    const chunk = this.chunks[Math.floor(index / HASHES_PER_CHUNK)] as Buffer;
    const offset = (index % HASHES_PER_CHUNK) * HASH_BYTES;
    return chunk.toString("hex", offset, offset + HASH_BYTES);
  }

  /** The seq of the stored event with this hash, or undefined. A linear scan: for diagnosis only. */
  seqOf(hashHex: string): number | undefined {
    if (!isChainHash(hashHex)) return undefined;
    const needle = Buffer.from(hashHex, "hex");
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as Buffer;
      const filled = Math.min(this.count - c * HASHES_PER_CHUNK, HASHES_PER_CHUNK) * HASH_BYTES;
      for (let at = chunk.indexOf(needle); at !== -1 && at < filled; at = chunk.indexOf(needle, at + 1)) {
        if (at % HASH_BYTES === 0) return this.firstSeq + c * HASHES_PER_CHUNK + at / HASH_BYTES;
      }
    }
    return undefined;
  }
}
