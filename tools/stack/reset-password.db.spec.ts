// `npm run admin:reset-password` as an operator runs it: a process against an existing database
// (the one `npm start` made), not the function alone.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { createDatabase, migrateUp } from "@msp/db";
import { migrations } from "@msp/migrations";
import type { TestDatabase } from "@msp/testing";
import { createTestDatabase } from "@msp/testing";
import { bootstrapAdmin } from "../../apps/gateway/src/identity/bootstrap";
import { UserModel, identityModels } from "../../apps/gateway/src/identity/models";
import { verifyPassword } from "../../apps/gateway/src/identity/passwords";

const root = join(__dirname, "..", "..");
const run = promisify(execFile);
let database: TestDatabase;
// Each run starts a TypeScript process and hashes a password with argon2: seconds, more on a loaded machine.
jest.setTimeout(180_000);

beforeAll(async () => {
  database = await createTestDatabase();
  const db = createDatabase(database.config, identityModels);
  try {
    await migrateUp(db, migrations);
    await bootstrapAdmin(db, "the-first-admin-password");
  } finally {
    await db.close();
  }
});
afterAll(() => database.drop());

function resetPassword(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env["PATH"],
    MSP_DATA_DIR: database.config.dataDir,
    ...(database.config.databaseUrl ? { DATABASE_URL: database.config.databaseUrl } : {}),
    ...extraEnv,
  };
  return run(process.execPath, ["--import", "tsx", "tools/stack/reset-password.ts", ...args], { cwd: root, env }).then(
    (done) => ({ code: 0, ...done }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

test("gives the admin of an existing database a new password, printed once, and names a user that is not there", async () => {
  const reset = await resetPassword([]);
  expect(reset.code).toBe(0);
  const printed = /the new one, shown only now:\n {2}(\S+)\n/.exec(reset.stdout)?.[1];
  expect(printed).toBeDefined();
  const db = createDatabase(database.config, identityModels);
  try {
    const admin = await UserModel.findOne({ where: { username: "admin" } });
    expect(await verifyPassword(admin!.password_hash, printed!)).toBe(true);
  } finally {
    await db.close();
  }

  const missing = await resetPassword(["--user", "nobody"]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('no user named "nobody" in this database');
});

test("says where it looked when there is no platform database", async () => {
  const nowhere = await resetPassword([], { MSP_DATA_DIR: join(database.config.dataDir, "elsewhere"), DATABASE_URL: "" });
  expect(nowhere.code).toBe(1);
  expect(nowhere.stderr).toContain("admin:reset-password: there is no platform database at");
});
