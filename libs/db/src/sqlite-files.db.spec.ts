// The SQLite database holds password and API key hashes: its folder is owner-only (0700) and its
// files (the database, -wal, -shm) owner-only (0600) from their creation, whatever the umask, and
// files an older version left world-readable are tightened at start-up (issue 18).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, prepareDatabase, secureDataFolder, sqlitePath } from "./database";

const modeOf = (path: string) => statSync(path).mode & 0o777;

let parent: string;
let umask: number;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), "msp-modes-"));
  // The loosest usual mask: files 0644 and folders 0755 unless the code says otherwise.
  umask = process.umask(0o022);
});
afterEach(() => {
  process.umask(umask);
  rmSync(parent, { recursive: true, force: true });
});

/** Opens the database, writes in WAL mode (so -wal and -shm exist), and returns the three files' modes. */
async function openAndWrite(dataDir: string): Promise<Record<string, number>> {
  const db = createDatabase({ dataDir });
  try {
    await prepareDatabase(db);
    await db.sequelize.query("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY)");
    await db.transaction((transaction) => db.sequelize.query("INSERT INTO t DEFAULT VALUES", { transaction }));
    const file = sqlitePath(dataDir);
    expect([existsSync(`${file}-wal`), existsSync(`${file}-shm`)]).toEqual([true, true]);
    return { folder: modeOf(dataDir), db: modeOf(file), wal: modeOf(`${file}-wal`), shm: modeOf(`${file}-shm`) };
  } finally {
    await db.close();
  }
}

it("creates the data folder 0700 and the database, -wal and -shm files 0600", async () => {
  expect(await openAndWrite(join(parent, "data"))).toEqual({ folder: 0o700, db: 0o600, wal: 0o600, shm: 0o600 });
});

it("tightens a folder and database files an older version made readable by everyone", async () => {
  const dataDir = join(parent, "old-data");
  mkdirSync(dataDir, { mode: 0o755 });
  chmodSync(dataDir, 0o755);
  const file = sqlitePath(dataDir);
  // An older version's files: a database written once, its WAL left behind.
  const old = createDatabase({ dataDir });
  await prepareDatabase(old);
  await old.sequelize.query("CREATE TABLE t (id INTEGER PRIMARY KEY)");
  await old.close();
  writeFileSync(`${file}-wal`, "");
  for (const path of [file, `${file}-wal`]) chmodSync(path, 0o644);

  expect(await openAndWrite(dataDir)).toEqual({ folder: 0o700, db: 0o600, wal: 0o600, shm: 0o600 });
});

it("secureDataFolder makes a missing folder, with its parents, and leaves it owner-only", () => {
  const dataDir = join(parent, "a", "b", "data");
  secureDataFolder(dataDir);
  expect(modeOf(dataDir)).toBe(0o700);
});
