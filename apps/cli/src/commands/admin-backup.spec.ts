import type { Backup } from "../platform/platform-types";
import type { FakeGateway, Route } from "../test-support/fake-gateway";
import { captured, fakeGateway, machineHome, msp, noTerminal, withExitCode } from "../test-support/fake-gateway";
import { adminBackupCommand, adminBackupsCommand, adminVerifyBackupCommand } from "./admin-backup";
import type { AuditDeps } from "./audit";
import { backupLines, backupTable, backupTypeEnum, isFinal, sizeLabel } from "./backup-format";

const id = "01938a2b-1c2d-7e3f-8a4b-5c6d7e8f9a0b";

const running: Backup = {
  id,
  backupType: "BACKUP_TYPE_MANUAL",
  filePath: "/var/lib/msp/backups/msp-2026-12-01T100000Z-manual.sqlite",
  startedAt: "2026-12-01T10:00:00Z",
  status: "BACKUP_STATUS_RUNNING",
  dialect: "sqlite",
};

const completed: Backup = {
  ...running,
  status: "BACKUP_STATUS_COMPLETED",
  sizeBytes: "12908544",
  completedAt: "2026-12-01T10:00:04Z",
  checksum: "9f".repeat(32),
};

const verified: Backup = {
  ...completed,
  status: "BACKUP_STATUS_VERIFIED",
  verifiedAt: "2026-12-01T10:00:09Z",
  verification: "restored into a scratch database: 31 tables, row counts match\naudit chain intact: 1200 events, 2 checkpoints",
};

/** A backup server whose GetBackup answers `states` one after the other (the last one from then on). */
function backupServer(...states: Backup[]): Route {
  let polled = 0;
  return ({ method, path }) => {
    if (method === "POST" && path === "/api/v1/backups") return { json: running };
    if (method === "POST" && path === `/api/v1/backups/${id}:verify`) return { json: { ...completed, status: "BACKUP_STATUS_VERIFYING" } };
    if (method === "GET" && path === `/api/v1/backups/${id}`) return { json: states[Math.min(polled++, states.length - 1)] };
    if (method === "GET" && path === "/api/v1/backups")
      return { json: { backups: [verified, { ...running, id: "second" }], nextPageToken: "" } };
    return undefined;
  };
}

/** Dependencies with a clock that only moves when the command sleeps. */
function clockDeps() {
  const clock = { ms: 0, sleeps: [] as number[] };
  const deps: AuditDeps = {
    secrets: noTerminal(),
    env: {},
    ask: () => Promise.reject(new Error("no question expected")),
    now: () => clock.ms,
    sleep: (ms) => {
      clock.sleeps.push(ms);
      clock.ms += ms;
      return Promise.resolve();
    },
  };
  return { clock, deps };
}

let gateway: FakeGateway;
let home: string;

async function serve(route: Route): Promise<void> {
  gateway = await fakeGateway(route);
  home = machineHome(gateway.url);
}

afterEach(() => gateway?.close());

describe("backup formatting", () => {
  it("maps --type to the enum and refuses anything else", () => {
    expect(backupTypeEnum("weekly")).toBe("BACKUP_TYPE_WEEKLY");
    expect(backupTypeEnum("MANUAL")).toBe("BACKUP_TYPE_MANUAL");
    expect(backupTypeEnum("BACKUP_TYPE_MONTHLY")).toBe("BACKUP_TYPE_MONTHLY");
    expect(() => backupTypeEnum("hourly")).toThrow(/--type: "hourly" is not a backup type \(one of manual, daily, weekly, monthly\)/);
    expect(() => backupTypeEnum("pre_migration")).toThrow(/is not a backup type/);
  });

  it("knows when a backup is done: COMPLETED only when it is not being verified", () => {
    expect(isFinal(running, false)).toBe(false);
    expect(isFinal(completed, false)).toBe(true);
    expect(isFinal(completed, true)).toBe(false);
    expect(isFinal({ ...completed, status: "BACKUP_STATUS_VERIFYING" }, true)).toBe(false);
    for (const status of ["FAILED", "VERIFIED", "VERIFY_FAILED"])
      expect(isFinal({ id, status: `BACKUP_STATUS_${status}` }, true) && isFinal({ id, status: `BACKUP_STATUS_${status}` }, false)).toBe(
        true,
      );
  });

  it("prints a backup's file, size, checksum, status and verification", () => {
    expect(sizeLabel(512)).toBe("512 bytes");
    expect(sizeLabel(12_908_544)).toBe("12.3 MiB (12,908,544 bytes)");
    expect(backupLines(verified)).toEqual([
      `Backup ${id}: verified`,
      "Type         manual (sqlite)",
      "File         /var/lib/msp/backups/msp-2026-12-01T100000Z-manual.sqlite",
      "Size         12.3 MiB (12,908,544 bytes)",
      `Checksum     sha256 ${"9f".repeat(32)}`,
      "Started      2026-12-01T10:00:00Z",
      "Completed    2026-12-01T10:00:04Z",
      "Verified     2026-12-01T10:00:09Z",
      "Verification restored into a scratch database: 31 tables, row counts match",
      "             audit chain intact: 1200 events, 2 checkpoints",
    ]);
    const table = backupTable([verified, { ...running, id: "second" }]);
    expect(table[0]).toMatch(/^ID\s+TYPE\s+STATUS\s+STARTED\s+SIZE\s+FILE$/);
    expect(table[1]).toMatch(new RegExp(`^${id}\\s+manual\\s+verified\\s+2026-12-01T10:00:00Z\\s+12\\.3 MiB\\s+/var/lib/msp/backups/`));
    expect(table[2]).toMatch(/^second\s+manual\s+running\s+2026-12-01T10:00:00Z\s+-\s+\//);
    expect(backupTable([])).toEqual(["No backups."]);
  });
});

describe("msp admin backup", () => {
  it("starts a backup, polls every second until it is done, and prints it", async () => {
    await serve(backupServer(running, running, completed));
    const { clock, deps } = clockDeps();
    const result = await withExitCode(() => adminBackupCommand({ home }, deps));
    expect(gateway.seen.map((seen) => `${seen.method} ${seen.path}`)).toEqual([
      "POST /api/v1/backups",
      `GET /api/v1/backups/${id}`,
      `GET /api/v1/backups/${id}`,
      `GET /api/v1/backups/${id}`,
    ]);
    expect(gateway.seen[0]!.body).toEqual({ backupType: "BACKUP_TYPE_MANUAL" });
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Backup ${id}: completed\n`));
    expect(result.stdout).toContain("Size         12.3 MiB (12,908,544 bytes)");
    expect(result.stdout).toContain(`Checksum     sha256 ${"9f".repeat(32)}`);
    expect(result.stderr).toBe(`Backing up into ${running.filePath}; waiting for it (at most 3600 s)...\n`);
  });

  it("--verify waits past COMPLETED for the verification", async () => {
    await serve(backupServer(completed, { ...completed, status: "BACKUP_STATUS_VERIFYING" }, verified));
    const { deps } = clockDeps();
    const result = await withExitCode(() => adminBackupCommand({ home, verify: true, type: "weekly", json: true }, deps));
    expect(gateway.seen[0]!.body).toEqual({ backupType: "BACKUP_TYPE_WEEKLY", verify: true });
    expect(gateway.seen).toHaveLength(4);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(verified);
  });

  it("exits 1 when the backup or its verification failed", async () => {
    const failed = { ...completed, status: "BACKUP_STATUS_VERIFY_FAILED", verification: "row counts differ: credentials 12 != 13" };
    await serve(backupServer(failed));
    const { deps } = clockDeps();
    const result = await withExitCode(() => adminBackupCommand({ home, verify: true }, deps));
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^Backup ${id}: verify failed\n`));
    expect(result.stdout).toContain("Verification row counts differ: credentials 12 != 13");

    await gateway.close();
    await serve(backupServer({ ...running, status: "BACKUP_STATUS_FAILED", verification: "disk full" }));
    expect((await withExitCode(() => adminBackupCommand({ home }, clockDeps().deps))).exitCode).toBe(1);
  });

  it("--no-wait returns at once with the running backup", async () => {
    await serve(backupServer(completed));
    const result = await withExitCode(() => adminBackupCommand({ home, wait: false }, clockDeps().deps));
    expect(gateway.seen).toHaveLength(1);
    expect(result.stdout).toMatch(new RegExp(`^Backup ${id}: running\n`));
    expect(result.stdout).toContain("msp admin backups");
  });

  it("gives up after --timeout seconds, saying the backup goes on", async () => {
    await serve(backupServer(running));
    const { clock, deps } = clockDeps();
    await expect(adminBackupCommand({ home, timeout: "5" }, deps)).rejects.toThrow(
      new RegExp(`^backup ${id} is still running after 5 s; it goes on in the background: msp admin backups shows how it ends$`),
    );
    expect(clock.sleeps).toHaveLength(5);
  });

  it("asks again when the platform is briefly unavailable while it waits", async () => {
    const route = backupServer(completed);
    let failures = 2;
    await serve((seen) =>
      seen.method === "GET" && failures-- > 0 ? { status: 503, json: { code: "unavailable", message: "busy" } } : route(seen),
    );
    const result = await withExitCode(() => adminBackupCommand({ home }, clockDeps().deps));
    expect(result.exitCode).toBe(0);
    expect(gateway.seen).toHaveLength(4);
  });

  it("checks its options before signing in", async () => {
    await serve(backupServer(completed));
    const { deps } = clockDeps();
    await expect(adminBackupCommand({ home, type: "hourly" }, deps)).rejects.toThrow(/--type: "hourly" is not a backup type/);
    await expect(adminBackupCommand({ home, timeout: "0" }, deps)).rejects.toThrow(/--timeout: "0" is not a number of seconds/);
    await expect(adminVerifyBackupCommand("../etc", { home }, deps)).rejects.toThrow(/"\.\.\/etc" is not a backup id/);
    expect(gateway.seen).toHaveLength(0);
  });

  it("verify-backup asks for a verification and waits for it", async () => {
    await serve(backupServer({ ...completed, status: "BACKUP_STATUS_VERIFYING" }, verified));
    const result = await withExitCode(() => adminVerifyBackupCommand(id, { home }, clockDeps().deps));
    expect(gateway.seen.map((seen) => `${seen.method} ${seen.path}`)).toEqual([
      `POST /api/v1/backups/${id}:verify`,
      `GET /api/v1/backups/${id}`,
      `GET /api/v1/backups/${id}`,
    ]);
    expect(gateway.seen[0]!.body).toEqual({});
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/: verified\n/);
  });

  it("backups lists them as a table or JSON", async () => {
    await serve(backupServer());
    const { stdout } = await captured(() => adminBackupsCommand({ home, filter: 'status = "verified"' }, clockDeps().deps));
    expect(gateway.seen[0]!.query.get("filter")).toBe('status = "verified"');
    expect(stdout).toMatch(/^ID\s+TYPE\s+STATUS/);
    expect(stdout).toMatch(/^second\s+manual\s+running/m);
    const json = await msp(["admin", "backups", "--json", "--home", home]);
    expect((JSON.parse(json.stdout) as { backups: Backup[] }).backups).toHaveLength(2);
  });

  it("a 403 for the machine key says to use --user or MSP_TOKEN", async () => {
    await serve(() => ({ status: 403, json: { code: "permission_denied", message: "API key lacks scope audit:write" } }));
    const result = await msp(["admin", "backup", "--home", home]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^msp: permission denied: API key lacks scope audit:write \(the machine key .* add --user NAME \(an admin\), or set MSP_TOKEN/,
    );
  });

  it("the help lists the admin commands", async () => {
    await serve(backupServer());
    const { stdout } = await msp(["admin", "--help"]);
    for (const command of ["backup", "backups", "verify-backup"]) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    const backup = await msp(["admin", "backup", "--help"]);
    for (const option of ["--verify", "--type", "--no-wait", "--timeout", "--user"]) expect(backup.stdout).toContain(option);
  });
});
