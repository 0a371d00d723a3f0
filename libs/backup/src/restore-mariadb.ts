import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import * as mariadb from "mariadb";
import { BackupError, messageOf } from "./backup-error";
import type { MariaDbTarget } from "./mariadb-client";
import {
  clientConnectionArgs,
  clientEnvironment,
  clientToolMissing,
  collectStderr,
  databaseUrlWith,
  firstLines,
  isMissingProgram,
  mariaDbTargetOf,
  quoteMariaDbName,
} from "./mariadb-client";
import type { RestoredCopy } from "./restored-copy";

/** Scratch databases are named `msp_restore_<random hex>`; a crash may leave one, easy to spot. */
export const scratchDatabasePrefix = "msp_restore_";

/**
 * Restores a `.sql.gz` dump into a new scratch database on the server of databaseUrl (the
 * platform's own), replaying it with the `mariadb` client. The scratch database is dropped by
 * discard(), and here already when the restore cannot even start.
 */
export async function restoreMariaDbCopy(backupFile: string, databaseUrl: string, scratchDir: string): Promise<RestoredCopy> {
  const server = mariaDbTargetOf(databaseUrl);
  const scratch = `${scratchDatabasePrefix}${randomBytes(6).toString("hex")}`;
  const admin = await connectTo(server);
  let dropped = false;
  const discard = async () => {
    if (dropped) return;
    dropped = true;
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteMariaDbName(scratch)}`);
    } finally {
      await admin.end();
    }
  };
  try {
    await admin.query(`CREATE DATABASE ${quoteMariaDbName(scratch)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return {
      integrity: await replayDump(backupFile, { ...server, database: scratch }),
      countRows: () => countMariaDbRows(admin, scratch),
      config: { databaseUrl: databaseUrlWith(databaseUrl, scratch), dataDir: scratchDir, poolMax: 2 },
      discard,
    };
  } catch (error) {
    await discard().catch(() => undefined);
    if (error instanceof BackupError) throw error;
    throw new BackupError(
      "scratch_database_failed",
      `cannot make the scratch database ${scratch} on ${server.host}:${server.port}: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
}

async function connectTo(server: MariaDbTarget): Promise<mariadb.Connection> {
  try {
    return await mariadb.createConnection({
      host: server.host,
      port: server.port,
      user: server.user,
      password: server.password,
      connectTimeout: 10_000,
    });
  } catch (error) {
    throw new BackupError(
      "scratch_database_failed",
      `cannot connect to MariaDB at ${server.host}:${server.port} to restore into a scratch database: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** Gunzips the dump into the `mariadb` client; ok when the client replayed every statement. */
async function replayDump(backupFile: string, scratch: MariaDbTarget): Promise<{ ok: boolean; detail: string }> {
  const child = spawn("mariadb", [...clientConnectionArgs(scratch), "--default-character-set=utf8mb4", scratch.database], {
    env: clientEnvironment(scratch),
    stdio: ["pipe", "ignore", "pipe"],
  });
  const stderr = collectStderr(child.stderr);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  const fed = pipeline(createReadStream(backupFile), createGunzip(), child.stdin);
  const [exit, feeding] = await Promise.allSettled([exited, fed]);
  if (exit.status === "rejected") {
    if (isMissingProgram(exit.reason)) throw clientToolMissing("mariadb", exit.reason);
    throw new BackupError("scratch_database_failed", `the mariadb client could not be started: ${messageOf(exit.reason)}`, {
      cause: exit.reason,
    });
  }
  if (exit.value !== 0)
    return { ok: false, detail: `the dump did not replay (mariadb exited with code ${exit.value}): ${firstLines(stderr())}` };
  if (feeding.status === "rejected") return { ok: false, detail: `the dump did not decompress whole: ${messageOf(feeding.reason)}` };
  return { ok: true, detail: "the dump replayed without an error" };
}

async function countMariaDbRows(admin: mariadb.Connection, database: string): Promise<Record<string, number>> {
  const tables = (await admin.query(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name",
    [database],
  )) as { name: string }[];
  const counts: [string, number][] = [];
  for (const { name } of tables) {
    const [row] = (await admin.query(`SELECT COUNT(*) AS \`rows\` FROM ${quoteMariaDbName(database)}.${quoteMariaDbName(name)}`)) as {
      rows: unknown;
    }[];
    counts.push([name, Number(row?.rows ?? 0)]);
  }
  return Object.fromEntries(counts);
}
