// Backups through the service, on the test's database (SQLite, or MariaDB with
// MSP_TEST_DATABASE_URL): a backup restored into a scratch database and checked (row counts, the
// audit chain); a pre-migration backup taken when a migration runs on an existing database, and
// recorded in backup_log by the audit service.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDatabase, migrateUp } from "@msp/db";
import { migrations } from "@msp/migrations";
import type { TestService } from "@msp/testing";
import { call, connect, createTestDatabase, startTestService, withSlowness } from "@msp/testing";
import type { Backup } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import { BackupServiceClient, BackupStatus, BackupType } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import { auditModule } from "../audit-module";
import type { AuditStack } from "./audit-stack";
import { drained, fastDrainEnv, startAuditStack, writeChanges } from "./audit-stack";

jest.setTimeout(withSlowness(300_000));

const final = new Set([
  BackupStatus.BACKUP_STATUS_COMPLETED,
  BackupStatus.BACKUP_STATUS_FAILED,
  BackupStatus.BACKUP_STATUS_VERIFIED,
  BackupStatus.BACKUP_STATUS_VERIFY_FAILED,
]);

async function finished(client: BackupServiceClient, id: string): Promise<Backup> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const backup = await call(client, "getBackup", { id });
    if (final.has(backup.status)) return backup;
    if (Date.now() > deadline) throw new Error(`backup ${id} still ${backup.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a backup with a verified restore", () => {
  let stack: AuditStack;
  let backups: BackupServiceClient;
  beforeAll(async () => {
    stack = await startAuditStack();
    backups = connect(BackupServiceClient, stack.services[0]!);
    await writeChanges(stack.db, 25, "backup");
    await drained(stack.db);
  }, 300_000);
  afterAll(async () => {
    backups?.close();
    await stack?.stop();
  }, 120_000);

  test("is written with a checksum, restored into a scratch database, and checked", async () => {
    const started = await call(backups, "createBackup", { backupType: BackupType.BACKUP_TYPE_MANUAL, verify: true });
    expect([BackupStatus.BACKUP_STATUS_RUNNING, BackupStatus.BACKUP_STATUS_VERIFYING]).toContain(started.status);
    const backup = await finished(backups, started.id);
    expect(backup.verification).toContain("audit chain verifies");
    expect(backup.status).toBe(BackupStatus.BACKUP_STATUS_VERIFIED);
    expect(backup.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(backup.sizeBytes)).toBeGreaterThan(0);
    expect(existsSync(backup.filePath)).toBe(true);
    expect(backup.dialect).toBe(stack.database.dialect);

    const list = await call(backups, "listBackups", { pageSize: 10, pageToken: "", filter: 'status = "verified"', orderBy: "" });
    expect(list.backups.map((b) => b.id)).toContain(backup.id);
    // Asking again verifies again; an unknown id is a clear NOT_FOUND.
    const again = await call(backups, "verifyBackup", { id: backup.id });
    expect((await finished(backups, again.id)).status).toBe(BackupStatus.BACKUP_STATUS_VERIFIED);
    await expect(call(backups, "verifyBackup", { id: "0190f7a0-0000-7000-8000-000000000000" })).rejects.toMatchObject({ code: 5 });
    await expect(call(backups, "createBackup", { backupType: BackupType.BACKUP_TYPE_PRE_MIGRATION, verify: false })).rejects.toMatchObject({
      code: 3,
    });
  });
});

test("a migration on an existing database is preceded by a backup that backup_log records", async () => {
  const database = await createTestDatabase();
  let service: TestService | undefined;
  try {
    // A database from before the audit service's migration, with data in it.
    const old = createDatabase(database.config);
    await migrateUp(
      old,
      migrations.slice(
        0,
        migrations.findIndex((m) => m.name === "20261205000000-Audit"),
      ),
    );
    await old.sequelize.query(
      "INSERT INTO tags (id, revision, created_at, updated_at, name) VALUES ('0190f7a0-0000-7000-8000-00000000000a', 1, '2026-12-01 10:00:00.000', '2026-12-01 10:00:00.000', 'before-upgrade')",
    );
    await old.close();

    service = await startTestService(auditModule, { database, env: fastDrainEnv });
    const client = connect(BackupServiceClient, service);
    try {
      const { backups } = await call(client, "listBackups", {
        pageSize: 10,
        pageToken: "",
        filter: 'backup_type = "pre_migration"',
        orderBy: "",
      });
      expect(backups).toHaveLength(1);
      expect(backups[0]!.status).toBe(BackupStatus.BACKUP_STATUS_COMPLETED);
      expect(existsSync(backups[0]!.filePath)).toBe(true);
      // It holds the database as it was: verifying restores it and finds the old rows.
      const verified = await finished(client, (await call(client, "verifyBackup", { id: backups[0]!.id })).id);
      expect({ status: verified.status, verification: verified.verification }).toEqual({
        status: BackupStatus.BACKUP_STATUS_VERIFIED,
        verification: expect.stringContaining("predates the audit service's tables"),
      });
    } finally {
      client.close();
    }
  } finally {
    await service?.stop();
    await database.drop();
  }
});

describe("scheduled backups", () => {
  let stack: AuditStack;
  let backups: BackupServiceClient;
  beforeAll(async () => {
    // Due since midnight: the day's backup is taken at start; checked every 200 ms here.
    stack = await startAuditStack({
      ...fastDrainEnv,
      AUDIT_BACKUP_DAILY_AT: "00:00",
      AUDIT_BACKUP_CHECK_SECONDS: "0.2",
      AUDIT_BACKUP_KEEP_DAILY: "1",
      AUDIT_BACKUP_KEEP_WEEKLY: "1",
      AUDIT_BACKUP_KEEP_MONTHLY: "1",
    });
    backups = connect(BackupServiceClient, stack.services[0]!);
  }, 300_000);
  afterAll(async () => {
    backups?.close();
    await stack?.stop();
  }, 120_000);

  const scheduledKinds = new Set([BackupType.BACKUP_TYPE_DAILY, BackupType.BACKUP_TYPE_WEEKLY, BackupType.BACKUP_TYPE_MONTHLY]);
  const listScheduled = async () =>
    (await call(backups, "listBackups", { pageSize: 50, pageToken: "", filter: "", orderBy: "" })).backups.filter((b) =>
      scheduledKinds.has(b.backupType),
    );

  test("takes the day's backup once, verified, and keeps only the newest of its kind", async () => {
    let taken: Backup[] = [];
    for (let i = 0; i < 2400 && taken.length === 0; i++) {
      taken = await listScheduled();
      if (taken.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(taken).toHaveLength(1);
    const backup = await finished(backups, taken[0]!.id);
    expect(backup.status).toBe(BackupStatus.BACKUP_STATUS_VERIFIED);

    // An older backup of the same kind, as a previous day would have left it: retention deletes it
    // (row and file), and no second backup is taken today.
    const older = join(stack.database.config.dataDir, "older-backup.sqlite");
    writeFileSync(older, "old");
    const kind = {
      [BackupType.BACKUP_TYPE_DAILY]: "daily",
      [BackupType.BACKUP_TYPE_WEEKLY]: "weekly",
      [BackupType.BACKUP_TYPE_MONTHLY]: "monthly",
    }[backup.backupType as number];
    await stack.db.sequelize.query(
      "INSERT INTO backup_log (id, revision, created_at, updated_at, backup_type, file_path, started_at, completed_at, status, dialect) VALUES (?, 1, ?, ?, ?, ?, ?, ?, 'completed', ?)",
      {
        replacements: [
          "0190f7a0-0000-7000-8000-0000000000bb",
          new Date("2026-01-01T00:00:00Z"),
          new Date("2026-01-01T00:00:00Z"),
          kind,
          older,
          new Date("2026-01-01T00:00:00Z"),
          new Date("2026-01-01T00:01:00Z"),
          stack.database.dialect,
        ],
      },
    );
    // The file goes first, then the row: wait for the row, after which the file must be gone too.
    let ids = (await listScheduled()).map((b) => b.id);
    for (let i = 0; i < 600 && ids.length > 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ids = (await listScheduled()).map((b) => b.id);
    }
    expect(ids).toEqual([backup.id]);
    expect(existsSync(older)).toBe(false);
  });
});
