// `npm run admin:reset-password [-- --user NAME]`: a new password for a user of an existing
// platform database (the admin by default), for an operator who lost it. It reads the database as
// `npm start` does (DATABASE_URL, else the SQLite file in MSP_DATA_DIR or ./data), sets the password
// given in MSP_NEW_PASSWORD or a generated one (printed once), lifts any lockout and enables the
// account, and ends the user's sessions (their tokens stop working); the change is audited. It can
// run while the platform runs.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createDatabase } from "@msp/db";
import { identityModels } from "../../apps/gateway/src/identity/models";
import { resetPassword } from "../../apps/gateway/src/identity/password-reset";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { user: { type: "string", default: "admin" } } });
  const dataDir = resolve(process.env["MSP_DATA_DIR"] ?? "./data");
  const databaseUrl = process.env["DATABASE_URL"];
  const sqliteFile = join(dataDir, "msp.sqlite");
  if (!databaseUrl && !existsSync(sqliteFile)) {
    console.error(
      `admin:reset-password: there is no platform database at ${sqliteFile} (set MSP_DATA_DIR or DATABASE_URL, or start the platform once)`,
    );
    return 1;
  }
  const db = createDatabase({ dataDir, databaseUrl }, identityModels);
  try {
    const reset = await resetPassword(db, values.user, process.env["MSP_NEW_PASSWORD"] || undefined);
    // The password alone on its line: nothing around it to be copied with it.
    console.log(
      reset.generated
        ? `The password of "${values.user}" was reset; the new one, shown only now:\n  ${reset.password}`
        : `The password of "${values.user}" was reset to MSP_NEW_PASSWORD.`,
    );
    console.log(
      "Any lockout was lifted, the account is enabled, and its existing tokens no longer work (API keys it made, such as the\n" +
        "msp machine keys, keep working: revoke one with POST /api/v1/apiKeys/{id}:revoke). An admin can set another password\n" +
        "with POST /api/v1/users/{id}:setPassword.",
    );
    return 0;
  } catch (error) {
    const where = databaseUrl ? "the database of DATABASE_URL" : `the SQLite database in ${dataDir}`;
    const message = error instanceof Error ? error.message : String(error);
    const reason = /no such table|doesn't exist/i.test(message) ? "the database has no users yet: start the platform once" : message;
    console.error(`admin:reset-password: ${reason} (${where})`);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
