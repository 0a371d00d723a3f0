import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { BackupError, messageOf } from "./backup-error";
import { backupFileMode, removePartialFile } from "./backup-folder";
import { DumpRowCounter } from "./dump-row-counter";
import type { MariaDbTarget } from "./mariadb-client";
import { clientConnectionArgs, clientEnvironment, clientToolMissing, collectStderr, firstLines, isMissingProgram } from "./mariadb-client";

/** What a finished dump wrote: the gzip file's size and sha256, and the rows it holds per table. */
export interface DumpOutcome {
  sizeBytes: number;
  checksum: string;
  tableCounts: Record<string, number>;
}

/**
 * Dumps one MariaDB database with `mariadb-dump --single-transaction` (a consistent snapshot
 * that does not block writers) through gzip into `destination` (created 0600, never
 * overwritten). The rows per table are counted from the dump and the sha256 is computed over
 * the gzip bytes as they are written, so the file is read only once. A failed dump deletes the
 * partial file.
 */
export async function dumpMariaDb(target: MariaDbTarget, destination: string): Promise<DumpOutcome> {
  const args = [
    "--single-transaction",
    "--quick",
    "--routines",
    "--triggers",
    "--hex-blob",
    "--default-character-set=utf8mb4",
    "--skip-lock-tables",
    ...clientConnectionArgs(target),
    target.database,
  ];
  const child = spawn("mariadb-dump", args, { env: clientEnvironment(target), stdio: ["ignore", "pipe", "pipe"] });
  const stderr = collectStderr(child.stderr);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  const counter = new DumpRowCounter();
  const hash = createHash("sha256");
  let sizeBytes = 0;
  const written = pipeline(
    child.stdout,
    tap((chunk) => counter.write(chunk)),
    createGzip(),
    tap((chunk) => {
      hash.update(chunk);
      sizeBytes += chunk.length;
    }),
    createWriteStream(destination, { flags: "wx", mode: backupFileMode }),
  );
  // A write that fails (disk full) stops the dump too, rather than leave it blocked on a full pipe.
  written.catch(() => child.kill());
  const [exit, stream] = await Promise.allSettled([exited, written]);
  if (exit.status === "fulfilled" && exit.value === 0 && stream.status === "fulfilled") {
    return { sizeBytes, checksum: hash.digest("hex"), tableCounts: counter.counts() };
  }
  // The file is ours to delete unless it existed before ("wx" refuses to open an existing one).
  const existedBefore = stream.status === "rejected" && (stream.reason as { code?: unknown }).code === "EEXIST";
  if (!existedBefore) await removePartialFile(destination);
  if (exit.status === "rejected") {
    if (isMissingProgram(exit.reason)) throw clientToolMissing("mariadb-dump", exit.reason);
    throw new BackupError("dump_failed", `mariadb-dump could not be started: ${messageOf(exit.reason)}`, { cause: exit.reason });
  }
  if (stream.status === "rejected") {
    throw new BackupError("dump_failed", `writing the dump to ${destination} failed: ${messageOf(stream.reason)}`, {
      cause: stream.reason,
    });
  }
  throw new BackupError(
    "dump_failed",
    `mariadb-dump of database ${target.database} on ${target.host}:${target.port} exited with code ${exit.value}: ${firstLines(stderr())}`,
  );
}

/** A pass-through stream that shows every chunk to `see` on its way. */
function tap(see: (chunk: Buffer) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      see(chunk);
      done(null, chunk);
    },
  });
}
