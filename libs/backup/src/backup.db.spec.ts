// takeBackup, verifyBackup and listBackupManifests over a real platform schema: SQLite by default,
// MariaDB with MSP_TEST_DATABASE_URL=mariadb://root@127.0.0.1:3306/<name> (then with the real
// mariadb-dump and mariadb clients).
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import * as mariadb from "mariadb";
import * as sqlite3 from "sqlite3";
import type { Database } from "@msp/db";
import { createDatabase, migrateUp, prepareDatabase, uuidv7 } from "@msp/db";
import { migrations } from "@msp/migrations";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase, withSlowness } from "@msp/testing";
import type { BackupResult, RestoredCheck } from "./index";
import { BackupError, listBackupManifests, takeBackup, verifyBackup } from "./index";

jest.setTimeout(withSlowness(180_000));

const onMariaDb = Boolean(process.env["MSP_TEST_DATABASE_URL"]);
const hasDumpTool = spawnSync("mariadb-dump", ["--version"]).error === undefined;

/** Notes that would trip a naive parser of the dump. */
const trickyNotes = ["a),(b", "it's \\ a 'quoted' (thing)", "line\nbreak; INSERT INTO `x` VALUES (1);"];

let testDb: TestDatabase;
let db: Database;
let workDir: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config);
  await prepareDatabase(db);
  await migrateUp(db, migrations);
  await db.sequelize.query("CREATE TABLE backup_probe (id INTEGER NOT NULL PRIMARY KEY, note VARCHAR(200) NOT NULL, payload BLOB)");
  const now = new Date().toISOString().slice(0, 23).replace("T", " ");
  for (const [i, note] of trickyNotes.entries()) {
    await db.sequelize.query(
      "INSERT INTO clients (id, revision, created_at, updated_at, name, client_type, notes) VALUES (?, 1, ?, ?, ?, 'internal', ?)",
      {
        replacements: [uuidv7(), now, now, `client ${i}`, note],
      },
    );
  }
  for (let id = 1; id <= 50; id++) await insertProbe(db, id);
  workDir = await mkdtemp(join(tmpdir(), "msp-backup-spec-"));
});

afterAll(async () => {
  await db.close();
  await testDb.drop();
  await rm(workDir, { recursive: true, force: true });
});

/** A row whose payload holds quotes, parentheses, backslashes and zero bytes. */
function insertProbe(target: Database, id: number): Promise<unknown> {
  const payload = Buffer.from([0x27, 0x28, 0x29, 0x2c, 0x5c, 0x00, 0x3b, id % 256]);
  return target.sequelize.query("INSERT INTO backup_probe (id, note, payload) VALUES (?, ?, ?)", {
    replacements: [id, `probe '${id}' (x),(y)`, payload],
  });
}

async function freshFolder(name: string): Promise<string> {
  const folder = join(workDir, `${name}-${randomBytes(3).toString("hex")}`);
  await mkdir(folder, { recursive: true });
  return folder;
}

/** Where takeBackup finds the test database. */
const place = () => ({ databaseUrl: testDb.config.databaseUrl, dataDir: testDb.config.dataDir });
/** The platform's server, for verifyBackup's scratch database. */
const server = () => ({ databaseUrl: testDb.config.databaseUrl });

async function sha256(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

/** The scratch databases of that name still on the server (MariaDB). */
async function databasesNamed(name: string): Promise<string[]> {
  const url = new URL(testDb.config.databaseUrl ?? "");
  const connection = await mariadb.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  try {
    const rows = (await connection.query("SHOW DATABASES LIKE 'msp\\_restore\\_%'")) as Record<string, string>[];
    return rows.map((row) => Object.values(row)[0] ?? "").filter((found) => found === name);
  } finally {
    await connection.end();
  }
}

/** A check of the restored copy that counts its clients and notes which database it ran on. */
function countingClients(seen: { database?: string }): (restored: Database) => Promise<RestoredCheck> {
  return async (restored) => {
    if (restored.dialect === "mariadb") {
      const [row] = await restored.select<{ name: string }>("SELECT DATABASE() AS name", []);
      seen.database = row?.name ?? "";
    }
    const [row] = await restored.select<{ n: unknown }>("SELECT COUNT(*) AS n FROM clients", []);
    const clients = Number(row?.n);
    return { ok: clients === trickyNotes.length, detail: `${clients} clients in the restored copy` };
  };
}

describe(`takeBackup and verifyBackup (${onMariaDb ? "MariaDB" : "SQLite"})`, () => {
  let backupDir: string;
  let backup: BackupResult;

  beforeAll(async () => {
    backupDir = join(await freshFolder("taken"), "backups"); // made by takeBackup
    // Another connection keeps writing for the whole backup.
    const writer = createDatabase(testDb.config);
    let stop = false;
    let written = 0;
    const writing = (async () => {
      for (let id = 1000; !stop; id++) {
        await writer.transaction((transaction) =>
          writer.sequelize.query("INSERT INTO backup_probe (id, note) VALUES (?, 'during')", { replacements: [id], transaction }),
        );
        written++;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    try {
      while (written < 5) await new Promise((resolve) => setTimeout(resolve, 10));
      backup = await takeBackup({ ...place(), backupDir, type: "manual" });
    } finally {
      stop = true;
      await writing;
      await writer.close();
    }
  });

  it("writes the file (0600) and its manifest (0600) in a 0700 folder, with a sha256 of the file", async () => {
    const extension = onMariaDb ? "sql\\.gz" : "sqlite";
    expect(basename(backup.filePath)).toMatch(new RegExp(`^msp-manual-\\d{8}T\\d{6}Z-[0-9a-f]{4}\\.${extension}$`));
    expect(backup.dialect).toBe(onMariaDb ? "mariadb" : "sqlite");
    expect(backup.checksum).toBe(await sha256(backup.filePath));
    expect(backup.sizeBytes).toBe((await stat(backup.filePath)).size);
    expect(backup.completedAt.getTime()).toBeGreaterThanOrEqual(backup.startedAt.getTime());
    expect((await stat(backupDir)).mode & 0o777).toBe(0o700);
    expect((await stat(backup.filePath)).mode & 0o777).toBe(0o600);
    const manifestPath = `${backup.filePath}.manifest.json`;
    expect((await stat(manifestPath)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(manifestPath, "utf8"))).toEqual({
      formatVersion: 1,
      type: "manual",
      fileName: basename(backup.filePath),
      filePath: backup.filePath,
      sizeBytes: backup.sizeBytes,
      checksum: backup.checksum,
      dialect: backup.dialect,
      startedAt: backup.startedAt.toISOString(),
      completedAt: backup.completedAt.toISOString(),
      tableCounts: backup.tableCounts,
    });
    // Nothing else is left in the folder (no WAL or journal files of the copy).
    expect((await readdir(backupDir)).sort()).toEqual([basename(backup.filePath), basename(manifestPath)].sort());
  });

  it("counts the rows of every table of the backup, tables without rows included", () => {
    expect(backup.tableCounts).toMatchObject({ clients: trickyNotes.length, schema_migrations: migrations.length, credentials: 0 });
    expect(backup.tableCounts["backup_probe"]).toBeGreaterThanOrEqual(50 + 5);
  });

  it("verifies: checksum, integrity, the rows of every table and the caller's check of the restored copy", async () => {
    const seen: { database?: string } = {};
    const verification = await verifyBackup({
      filePath: backup.filePath,
      ...server(),
      scratchDir: await freshFolder("scratch"),
      checkRestored: countingClients(seen),
    });
    expect(verification).toMatchObject({ ok: true, checksumOk: true, integrityOk: true, mismatches: [] });
    expect(verification.restoredCheck).toEqual({ ok: true, detail: `${trickyNotes.length} clients in the restored copy` });
    expect(verification.tables).toContainEqual({ name: "clients", expected: trickyNotes.length, restored: trickyNotes.length });
    expect(verification.tables.map((table) => table.name)).toEqual(Object.keys(backup.tableCounts).sort());
    expect(verification.detail).toMatch(/^Backup verified: checksum ok/);
    if (onMariaDb) {
      expect(seen.database).toMatch(/^msp_restore_[0-9a-f]+$/);
      expect(await databasesNamed(seen.database ?? "")).toEqual([]); // dropped afterwards
    }
  });

  it("fails, naming the checksum, when one byte of the file changed", async () => {
    const folder = await freshFolder("corrupt");
    const damaged = join(folder, basename(backup.filePath));
    await copyFile(backup.filePath, damaged);
    const bytes = await readFile(damaged);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    await writeFile(damaged, bytes);
    const verification = await verifyBackup({
      filePath: damaged,
      checksum: backup.checksum,
      tableCounts: backup.tableCounts,
      ...server(),
      scratchDir: await freshFolder("scratch"),
    });
    expect(verification).toMatchObject({ ok: false, checksumOk: false, tables: [] });
    expect(verification.detail).toMatch(/^Checksum mismatch/);
  });

  it("fails with the check's own detail when the check of the restored copy fails, and drops the copy even then", async () => {
    const seen: { database?: string } = {};
    const broken = async (restored: Database): Promise<RestoredCheck> => {
      await countingClients(seen)(restored);
      return { ok: false, detail: "audit chain broken at seq 7" };
    };
    const verification = await verifyBackup({
      filePath: backup.filePath,
      ...server(),
      scratchDir: await freshFolder("scratch"),
      checkRestored: broken,
    });
    expect(verification).toMatchObject({ ok: false, checksumOk: true, integrityOk: true, mismatches: [] });
    expect(verification.restoredCheck).toEqual({ ok: false, detail: "audit chain broken at seq 7" });
    expect(verification.detail).toContain("audit chain broken at seq 7");
    if (onMariaDb) expect(await databasesNamed(seen.database ?? "")).toEqual([]);
  });

  it("reports a check that throws as a failed check", async () => {
    const verification = await verifyBackup({
      filePath: backup.filePath,
      ...server(),
      scratchDir: await freshFolder("scratch"),
      checkRestored: () => Promise.reject(new Error("no signing key")),
    });
    expect(verification.ok).toBe(false);
    expect(verification.restoredCheck).toEqual({ ok: false, detail: "the check threw: no signing key" });
  });

  it("lists every table whose rows differ from what was recorded", async () => {
    const recorded = { ...backup.tableCounts, clients: 99, gone_table: 4 };
    const verification = await verifyBackup({
      filePath: backup.filePath,
      checksum: backup.checksum,
      tableCounts: recorded,
      ...server(),
      scratchDir: await freshFolder("scratch"),
    });
    expect(verification).toMatchObject({ ok: false, checksumOk: true, integrityOk: true });
    expect(verification.mismatches).toEqual([
      `clients: the backup recorded 99 rows, the restored copy has ${trickyNotes.length}`,
      "gone_table: the backup recorded 4 rows, but the restored copy has no such table",
    ]);
    expect(verification.detail).toMatch(/^Backup verification failed: .*2 of \d+ tables differ/);
  });

  it("throws a clear error for a file that is not there", async () => {
    const missing = join(workDir, "msp-manual-20260101T000000Z-abcd.sqlite");
    const failure = verifyBackup({ filePath: missing, ...server(), scratchDir: workDir });
    await expect(failure).rejects.toThrow(BackupError);
    await expect(failure).rejects.toMatchObject({ code: "backup_not_found", message: expect.stringContaining(missing) });
  });

  it("throws when there is nothing to compare with: no manifest and no recorded checksum", async () => {
    const folder = await freshFolder("lonely");
    const lonely = join(folder, basename(backup.filePath));
    await copyFile(backup.filePath, lonely);
    await expect(verifyBackup({ filePath: lonely, ...server(), scratchDir: workDir })).rejects.toMatchObject({
      code: "manifest_unusable",
      message: expect.stringMatching(/cannot read the manifest .*pass the checksum and tableCounts/),
    });
  });

  it("throws for a MariaDB dump without the database URL to restore it on", async () => {
    const folder = await freshFolder("dump");
    const dump = join(folder, "msp-manual-20260101T000000Z-abcd.sql.gz");
    await writeFile(dump, gzipSync("SELECT 1;"));
    await expect(verifyBackup({ filePath: dump, checksum: "0".repeat(64), tableCounts: {}, scratchDir: workDir })).rejects.toMatchObject({
      code: "database_url_required",
    });
  });
});

describe("listBackupManifests", () => {
  it("lists the manifests oldest first and skips, with a reason, what cannot be adopted", async () => {
    const backupDir = await freshFolder("listed");
    const later = await takeBackup({ ...place(), backupDir, type: "daily", now: new Date("2026-03-02T03:00:00Z") });
    const earlier = await takeBackup({ ...place(), backupDir, type: "pre_migration", now: new Date("2026-03-01T03:00:00Z") });
    const extension = onMariaDb ? "sql.gz" : "sqlite";
    await writeFile(join(backupDir, `msp-weekly-20260303T030000Z-0001.${extension}.manifest.json`), '{"formatVersion": 1, "type": "wee');
    await writeFile(join(backupDir, `msp-weekly-20260304T030000Z-0002.${extension}`), "cut off before its manifest");
    const orphan = JSON.parse(await readFile(`${later.filePath}.manifest.json`, "utf8")) as Record<string, unknown>;
    await writeFile(
      join(backupDir, "msp-daily-20260305T030000Z-0003.sqlite.manifest.json"),
      JSON.stringify({ ...orphan, fileName: "msp-daily-20260305T030000Z-0003.sqlite" }),
    );

    const { manifests, skipped } = await listBackupManifests(backupDir);
    expect(manifests.map((m) => [m.type, m.filePath, m.checksum])).toEqual([
      ["pre_migration", earlier.filePath, earlier.checksum],
      ["daily", later.filePath, later.checksum],
    ]);
    expect(manifests[0]).toMatchObject({
      formatVersion: 1,
      sizeBytes: earlier.sizeBytes,
      dialect: earlier.dialect,
      startedAt: earlier.startedAt,
      tableCounts: earlier.tableCounts,
    });
    expect(skipped.map((s) => [basename(s.path), s.reason]).sort()).toEqual([
      ["msp-daily-20260305T030000Z-0003.sqlite.manifest.json", expect.stringContaining("is not readable")],
      [`msp-weekly-20260303T030000Z-0001.${extension}.manifest.json`, expect.stringContaining("not valid JSON")],
      [`msp-weekly-20260304T030000Z-0002.${extension}`, expect.stringContaining("without a manifest")],
    ]);
  });

  it("finds nothing in a folder that does not exist yet", async () => {
    expect(await listBackupManifests(join(workDir, "never-made"))).toEqual({ manifests: [], skipped: [] });
  });
});

describe("takeBackup of a SQLite file another process holds locked", () => {
  /** Runs one statement on a raw node-sqlite3 connection. */
  const run = (connection: sqlite3.Database, sql: string) =>
    new Promise<void>((resolve, reject) => connection.run(sql, (error: Error | null) => (error ? reject(error) : resolve())));

  it("retries the busy steps and copies what the writer committed", async () => {
    const dataDir = await freshFolder("busy");
    // A rollback-journal database (not WAL): an exclusive writer keeps every reader out.
    const writer = new sqlite3.Database(join(dataDir, "msp.sqlite"));
    try {
      await run(writer, "CREATE TABLE t (id INTEGER)");
      await run(writer, "BEGIN EXCLUSIVE");
      await run(writer, "INSERT INTO t VALUES (1)");
      const backup = takeBackup({ dataDir, backupDir: join(dataDir, "backups"), type: "manual" });
      // Longer than node-sqlite3's own busy timeout (1 s): steps come back BUSY and are retried.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await run(writer, "COMMIT");
      expect((await backup).tableCounts).toEqual({ t: 1 });
    } finally {
      await new Promise((resolve) => writer.close(resolve));
    }
  });
});

describe("takeBackup errors", () => {
  it("says how to install the MariaDB client tools when mariadb-dump is missing, and leaves no file", async () => {
    const backupDir = await freshFolder("no-tools");
    const path = process.env["PATH"];
    process.env["PATH"] = backupDir; // a folder without mariadb-dump
    try {
      const failure = takeBackup({
        databaseUrl: "mariadb://backup:s3cret-pass@127.0.0.1:1/msp",
        dataDir: workDir,
        backupDir,
        type: "manual",
      });
      await expect(failure).rejects.toMatchObject({
        code: "client_tool_missing",
        message: expect.stringContaining("apt-get install mariadb-client"),
      });
      await expect(failure).rejects.toThrow(/^(?!.*s3cret-pass)/s);
    } finally {
      process.env["PATH"] = path;
    }
    expect(await readdir(backupDir)).toEqual([]);
  });

  (hasDumpTool ? it : it.skip)(
    "throws mariadb-dump's own error for a failed dump, deletes the partial file, and never shows the password",
    async () => {
      const backupDir = await freshFolder("failed-dump");
      const failure = takeBackup({
        databaseUrl: "mariadb://backup:s3cret-pass@127.0.0.1:1/msp",
        dataDir: workDir,
        backupDir,
        type: "manual",
      });
      await expect(failure).rejects.toMatchObject({
        code: "dump_failed",
        message: expect.stringMatching(/exited with code \d+: .*(connect|Connection)/i),
      });
      await expect(failure).rejects.toThrow(/^(?!.*s3cret-pass)/s);
      expect(await readdir(backupDir)).toEqual([]);
    },
  );

  it("names the SQLite file it did not find", async () => {
    const backupDir = await freshFolder("no-sqlite");
    await expect(takeBackup({ dataDir: join(workDir, "empty-data"), backupDir, type: "manual" })).rejects.toMatchObject({
      code: "database_not_found",
      message: expect.stringContaining(join(workDir, "empty-data", "msp.sqlite")),
    });
  });
});

(onMariaDb ? describe : describe.skip)("on MariaDB", () => {
  /** Runs statements as the test URL's user (root in CI) on no particular database. */
  async function asAdmin<T>(fn: (connection: mariadb.Connection) => Promise<T>): Promise<T> {
    const url = new URL(testDb.config.databaseUrl ?? "");
    const connection = await mariadb.createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    });
    try {
      return await fn(connection);
    } finally {
      await connection.end();
    }
  }

  it("gives the clients a password through MYSQL_PWD, and the backup verifies", async () => {
    // As in production: the platform's own user (not root) migrates its database, so it owns the
    // triggers (their DEFINER), backs it up and restores it.
    const user = `msp_bk_${randomBytes(4).toString("hex")}`;
    const password = `pw-${randomBytes(8).toString("hex")}`;
    const database = `${user}_db`;
    await asAdmin(async (c) => {
      await c.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await c.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await c.query(`GRANT ALL ON \`${database}\`.* TO '${user}'@'%'`);
      await c.query(`GRANT ALL ON \`msp\\_restore\\_%\`.* TO '${user}'@'%'`);
    });
    const url = new URL(testDb.config.databaseUrl ?? "");
    url.username = user;
    url.password = password;
    url.pathname = `/${database}`;
    const own = createDatabase({ databaseUrl: url.toString(), dataDir: workDir, poolMax: 2 });
    try {
      await migrateUp(own, migrations);
      const backup = await takeBackup({
        databaseUrl: url.toString(),
        dataDir: workDir,
        backupDir: await freshFolder("with-password"),
        type: "manual",
      });
      expect(backup.tableCounts).toMatchObject({ schema_migrations: migrations.length });
      const verification = await verifyBackup({
        filePath: backup.filePath,
        databaseUrl: url.toString(),
        scratchDir: await freshFolder("scratch"),
      });
      expect(verification.detail).toMatch(/^Backup verified/);
    } finally {
      await own.close();
      await asAdmin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
        await c.query(`DROP USER IF EXISTS '${user}'@'%'`);
      });
    }
  });

  it("reports a dump that does not replay, and drops the scratch database all the same", async () => {
    const marker = `marker_${randomBytes(4).toString("hex")}`;
    const folder = await freshFolder("bad-dump");
    const dump = join(folder, "msp-manual-20260101T000000Z-abcd.sql.gz");
    await writeFile(dump, gzipSync(`CREATE TABLE ${marker} (id INT);\nTHIS IS NOT SQL;\n`));
    const verification = await verifyBackup({
      filePath: dump,
      checksum: await sha256(dump),
      tableCounts: {},
      ...server(),
      scratchDir: folder,
    });
    expect(verification).toMatchObject({ ok: false, checksumOk: true, integrityOk: false });
    expect(verification.detail).toMatch(
      /^Checksum ok, but the restore failed: the dump did not replay \(mariadb exited with code 1\): .*syntax/,
    );
    const left = await asAdmin(
      (c) => c.query("SELECT table_schema FROM information_schema.tables WHERE table_name = ?", [marker]) as Promise<unknown[]>,
    );
    expect(left).toHaveLength(0);
  });
});
