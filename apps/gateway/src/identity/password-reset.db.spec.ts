import { createDatabase, migrateUp } from "@msp/db";
import { migrations } from "@msp/migrations";
import { AuditOutboxModel } from "@msp/resource-kit";
import { createTestDatabase } from "@msp/testing";
import { bootstrapAdmin } from "./bootstrap";
import { UserModel, identityModels } from "./models";
import { verifyPassword } from "./passwords";
import { resetPassword } from "./password-reset";

test("resets a lost admin password on an existing database, lifting a lockout, and audits it", async () => {
  const database = await createTestDatabase();
  const db = createDatabase(database.config, identityModels);
  try {
    await migrateUp(db, migrations);
    const first = await bootstrapAdmin(db, "the-first-admin-password");
    expect(first.created).toBe(true);
    // The bootstrap acts on an empty database only: it cannot help once admin exists.
    expect(await bootstrapAdmin(db, "another-password-here")).toEqual({ created: false });
    await UserModel.update(
      { failed_logins: 3, locked_until: new Date(Date.now() + 600_000), is_active: false },
      { where: { username: "admin" } },
    );

    const reset = await resetPassword(db, " Admin ");
    expect(reset.generated).toBe(true);
    const user = await UserModel.findOne({ where: { username: "admin" } });
    expect(await verifyPassword(user!.password_hash, reset.password)).toBe(true);
    expect(await verifyPassword(user!.password_hash, "the-first-admin-password")).toBe(false);
    expect([user!.failed_logins, user!.locked_until, user!.is_active]).toEqual([0, null, true]);
    const events = await AuditOutboxModel.findAll({ where: { resource_id: reset.userId }, raw: true });
    expect(events.map((e) => (e as unknown as { action: string }).action)).toContain("update");

    expect((await resetPassword(db, "admin", "chosen-password-123")).generated).toBe(false);
    await expect(resetPassword(db, "nobody")).rejects.toThrow('no user named "nobody" in this database');
    await expect(resetPassword(db, "admin", "short")).rejects.toThrow("password: must be at least");
  } finally {
    await db.close();
    await database.drop();
  }
});
