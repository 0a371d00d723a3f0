// The pre-migration backup as services take it (migrateUp's beforeMigrating hook), on a real test
// database: SQLite by default, MariaDB with MSP_TEST_DATABASE_URL.
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { QueryTypes } from "sequelize";
import type { Database } from "@msp/db";
import { createDatabase, migrateUp, prepareDatabase } from "@msp/db";
import { migrations } from "@msp/migrations";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase, withSlowness } from "@msp/testing";
import type { PreMigrationLog } from "./index";
import { listBackupManifests, preMigrationBackup, verifyBackup } from "./index";

jest.setTimeout(withSlowness(180_000));

const newest = migrations[migrations.length - 1]!;
const older = migrations.slice(0, -1);

/** A log that keeps its lines. */
function recordingLog(): PreMigrationLog & { lines: { level: string; fields: object; message: string }[] } {
  const lines: { level: string; fields: object; message: string }[] = [];
  return {
    lines,
    info: (fields, message) => void lines.push({ level: "info", fields, message }),
    warn: (fields, message) => void lines.push({ level: "warn", fields, message }),
  };
}

/** The tables of the database (views excluded), by name. */
async function tableNames(db: Database): Promise<string[]> {
  const sql =
    db.dialect === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'";
  const rows = await db.sequelize.query<{ name: string }>(sql, { type: QueryTypes.SELECT });
  return rows.map((row) => row.name).sort();
}

async function appliedNames(db: Database): Promise<string[]> {
  const rows = await db.sequelize.query<{ name: string }>("SELECT name FROM schema_migrations ORDER BY name", { type: QueryTypes.SELECT });
  return rows.map((row) => row.name);
}

let testDb: TestDatabase;
let db: Database;
beforeEach(async () => {
  testDb = await createTestDatabase();
  db = createDatabase(testDb.config);
  await prepareDatabase(db);
  await migrateUp(db, older); // an existing database, one migration behind
});
afterEach(async () => {
  await db.close();
  await testDb.drop();
});

describe("preMigrationBackup", () => {
  it("backs up the existing database into <dataDir>/backups before the pending migration, and logs the file and size", async () => {
    const log = recordingLog();
    const { databaseUrl, dataDir } = testDb.config;
    const tablesBefore = await tableNames(db);
    expect(await migrateUp(db, migrations, { beforeMigrating: preMigrationBackup({ databaseUrl, dataDir, log }) })).toEqual([newest.name]);

    const { manifests, skipped } = await listBackupManifests(join(dataDir, "backups"));
    expect(skipped).toEqual([]);
    expect(manifests).toHaveLength(1);
    const [backup] = manifests;
    expect(backup).toMatchObject({ type: "pre_migration", dialect: databaseUrl ? "mariadb" : "sqlite" });
    // Taken before the schema changed: the tables and the migration ledger as they were.
    expect(Object.keys(backup?.tableCounts ?? {}).sort()).toEqual(tablesBefore);
    expect(backup?.tableCounts).toMatchObject({ schema_migrations: older.length });
    expect(log.lines).toEqual([
      {
        level: "info",
        fields: { file: backup?.filePath, sizeBytes: backup?.sizeBytes, pending: 1 },
        message: "pre-migration backup taken",
      },
    ]);

    const verification = await verifyBackup({ filePath: backup?.filePath ?? "", databaseUrl, scratchDir: join(dataDir, "scratch") });
    expect(verification).toMatchObject({ ok: true, mismatches: [] });
  });

  it("puts the backup in the configured folder (MSP_BACKUP_DIR)", async () => {
    const backupDir = join(testDb.config.dataDir, "elsewhere");
    await migrateUp(db, migrations, { beforeMigrating: preMigrationBackup({ ...testDb.config, backupDir, log: recordingLog() }) });
    expect((await listBackupManifests(backupDir)).manifests).toHaveLength(1);
  });

  it("stops the upgrade when the backup fails, saying how to fix or skip it", async () => {
    const backupDir = join(testDb.config.dataDir, "not-a-folder");
    await writeFile(backupDir, "a file where the backup folder should be");
    const upgrade = migrateUp(db, migrations, {
      beforeMigrating: preMigrationBackup({ ...testDb.config, backupDir, log: recordingLog() }),
    });
    await expect(upgrade).rejects.toThrow(
      /backup before applying 1 pending migration\(s\) failed, so none was applied: .*MSP_SKIP_PREMIGRATION_BACKUP=1/,
    );
    expect(await appliedNames(db)).toEqual(older.map((m) => m.name));
    await rm(backupDir);
  });

  it("migrates without a backup, with a warning, when MSP_SKIP_PREMIGRATION_BACKUP is set", async () => {
    const log = recordingLog();
    expect(await migrateUp(db, migrations, { beforeMigrating: preMigrationBackup({ ...testDb.config, skip: true, log }) })).toEqual([
      newest.name,
    ]);
    expect((await listBackupManifests(join(testDb.config.dataDir, "backups"))).manifests).toEqual([]);
    expect(log.lines).toEqual([
      { level: "warn", fields: { pending: 1 }, message: expect.stringContaining("MSP_SKIP_PREMIGRATION_BACKUP") },
    ]);
  });
});
