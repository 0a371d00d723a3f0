import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Writes a file so readers see the old or the new content, never half of it: a temporary file
 * in the same folder, fsynced, then renamed over the target. `durable: false` leaves out the
 * fsync (0.3 ms to 10 ms on a busy disk) for state that can be rebuilt: other processes still see
 * the old or the new content, and only a power cut in the seconds before the kernel writes it
 * back can leave the old content, or on some file systems an empty file (read as missing).
 */
export function writeFileAtomic(path: string, content: string, mode = 0o600, durable = true): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  const fd = openSync(temporary, "w", mode);
  try {
    writeSync(fd, content);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
