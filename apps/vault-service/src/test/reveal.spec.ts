import { status } from "@grpc/grpc-js";
import { call, expectStatus, testToken } from "@msp/testing";
import { Credential, CredentialType, PermissionLevel } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import type { VaultTestStack } from "./vault-test-stack";
import { startVault } from "./vault-test-stack";

let stack: VaultTestStack;
beforeAll(async () => {
  stack = await startVault();
});
afterAll(() => stack.stop());

async function count(table: string, where = "", params: unknown[] = []): Promise<number> {
  const rows = await stack.vault.service.db.select<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} ${where}`, params);
  return Number(rows[0]?.n);
}

async function create(secret: string, name = `cred ${Math.random()}`) {
  return call(stack.credentials, "createCredential", {
    credential: Credential.fromPartial({
      name,
      credentialType: CredentialType.CREDENTIAL_TYPE_PASSWORD,
      username: "administrator",
      url: "https://DC01.contoso.local:3389",
    }),
    secret,
  });
}

describe("credentials keep their secret out of every answer", () => {
  it("create, get and list say a secret is set, never what it is", async () => {
    const secret = "S3cret-create-get-list";
    const created = await create(secret);
    expect(created.hasSecret).toBe(true);
    expect(created.secretVersion).toBe(1);
    expect(created.host).toBe("dc01.contoso.local");
    expect(created.rotatedBy).toBe("test-admin");
    const got = await call(stack.credentials, "getCredential", { id: created.id });
    const listed = await call(stack.credentials, "listCredentials", { pageSize: 500, pageToken: "", filter: "", orderBy: "" });
    for (const answer of [created, got, listed]) expect(JSON.stringify(answer)).not.toContain(secret);
    expect(listed.credentials.map((c) => c.id)).toContain(created.id);
  });

  it("the stored row holds ciphertext, not the secret", async () => {
    const secret = "S3cret-at-rest-check";
    const created = await create(secret);
    const [row] = await stack.vault.service.db.select<Record<string, unknown>>("SELECT * FROM credentials WHERE id = ?", [created.id]);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(typeof row?.["secret"]).toBe("string");
  });
});

describe("reveal", () => {
  it("without a reason is refused as invalid, and reveals nothing", async () => {
    const created = await create("no-reason-secret");
    await expectStatus(call(stack.credentials, "revealCredential", { id: created.id, reason: "" }), status.INVALID_ARGUMENT, /reason/);
    await expectStatus(call(stack.credentials, "revealCredential", { id: created.id, reason: "  " }), status.INVALID_ARGUMENT, /reason/);
  });

  it("with a reason: the plaintext, one access-log row and one audit event, which holds no secret", async () => {
    const secret = "Reveal-me-0001";
    const created = await create(secret);
    const logBefore = await count("credential_access_log", "WHERE credential_id = ? AND action = 'reveal'", [created.id]);
    const auditBefore = await count("audit_outbox", "WHERE resource_id = ? AND action = 'reveal'", [created.id]);
    const revealed = await call(stack.credentials, "revealCredential", { id: created.id, reason: "reset the backup job" });
    expect(revealed.secret).toBe(secret);
    expect(revealed.version).toBe(1);
    expect(await count("credential_access_log", "WHERE credential_id = ? AND action = 'reveal' AND outcome = 'ok'", [created.id])).toBe(
      logBefore + 1,
    );
    expect(await count("audit_outbox", "WHERE resource_id = ? AND action = 'reveal' AND outcome = 'ok'", [created.id])).toBe(
      auditBefore + 1,
    );
    const events = await stack.vault.service.db.select<Record<string, unknown>>("SELECT * FROM audit_outbox WHERE resource_id = ?", [
      created.id,
    ]);
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it("without permission on the credential: 403, logged as denied", async () => {
    const created = await create("tech-cannot-see");
    const tech = await testToken(stack.vault, { role: "technician", username: "tina" });
    await expectStatus(
      call(stack.credentials, "revealCredential", { id: created.id, reason: "curious" }, tech.metadata()),
      status.PERMISSION_DENIED,
      /reveal permission/,
    );
    expect(
      await count("credential_access_log", "WHERE credential_id = ? AND outcome = 'denied' AND principal = 'tina'", [created.id]),
    ).toBe(1);
    expect(await count("audit_outbox", "WHERE resource_id = ? AND outcome = 'denied'", [created.id])).toBe(1);
    await expectStatus(call(stack.credentials, "getCredential", { id: created.id }, tech.metadata()), status.PERMISSION_DENIED);
  });

  it("an API key without vault:reveal: 403, logged as denied", async () => {
    const created = await create("scoped-key-cannot-see");
    const key = await testToken(stack.vault, { role: "admin", kind: "api_key", scopes: ["vault:read"], username: "hooks" });
    await expectStatus(
      call(stack.credentials, "revealCredential", { id: created.id, reason: "from a hook" }, key.metadata()),
      status.PERMISSION_DENIED,
      /vault:reveal/,
    );
    expect(await count("credential_access_log", "WHERE credential_id = ? AND outcome = 'denied'", [created.id])).toBe(1);
    const allowed = await testToken(stack.vault, { role: "admin", kind: "api_key", scopes: ["vault:reveal"] });
    const revealed = await call(stack.credentials, "revealCredential", { id: created.id, reason: "from a tool" }, allowed.metadata());
    expect(revealed.secret).toBe("scoped-key-cannot-see");
  });

  it("a granted reveal permission lets a technician reveal, and List shows them only what they may read", async () => {
    const created = await create("granted-secret");
    const hidden = await create("hidden-secret");
    const tech = await testToken(stack.vault, { role: "technician", username: "tom" });
    await call(stack.credentials, "grantCredentialPermission", {
      credentialId: created.id,
      principal: tech.principal.userId,
      level: PermissionLevel.PERMISSION_LEVEL_REVEAL,
    });
    const listed = await call(
      stack.credentials,
      "listCredentials",
      { pageSize: 500, pageToken: "", filter: "", orderBy: "" },
      tech.metadata(),
    );
    expect(listed.credentials.map((c) => c.id)).toEqual([created.id]);
    expect(listed.credentials.map((c) => c.id)).not.toContain(hidden.id);
    const revealed = await call(stack.credentials, "revealCredential", { id: created.id, reason: "fix the printer" }, tech.metadata());
    expect(revealed.secret).toBe("granted-secret");
    await expectStatus(
      call(stack.credentials, "rotateCredentialSecret", { id: created.id, secret: "new", reason: "" }, tech.metadata()),
      status.PERMISSION_DENIED,
    );
    await call(stack.credentials, "revokeCredentialPermission", { credentialId: created.id, principal: tech.principal.userId });
    await expectStatus(
      call(stack.credentials, "revealCredential", { id: created.id, reason: "again" }, tech.metadata()),
      status.PERMISSION_DENIED,
    );
  });
});

describe("rotation keeps the old secret as a version", () => {
  it("rotate, list versions, reveal the earlier one; revealed-since-change forgets reveals of the old secret", async () => {
    const created = await create("first-secret");
    await call(stack.credentials, "revealCredential", { id: created.id, reason: "before rotation" });
    let report = await call(stack.credentials, "listRevealedSinceChange", { credentialId: created.id, principalId: "" });
    expect(report.reveals).toHaveLength(1);
    expect(report.reveals[0]?.revealCount).toBe(1);
    const rotated = await call(stack.credentials, "rotateCredentialSecret", {
      id: created.id,
      secret: "second-secret",
      reason: "tech left",
    });
    expect(rotated.secretVersion).toBe(2);
    report = await call(stack.credentials, "listRevealedSinceChange", { credentialId: created.id, principalId: "" });
    expect(report.reveals).toHaveLength(0);
    const versions = await call(stack.credentials, "listCredentialVersions", { credentialId: created.id });
    expect(versions.versions.map((v) => v.version)).toEqual([1]);
    const old = await call(stack.credentials, "revealCredentialVersion", { credentialId: created.id, version: 1, reason: "audit" });
    expect(old.secret).toBe("first-secret");
    const now = await call(stack.credentials, "revealCredential", { id: created.id, reason: "after rotation" });
    expect(now).toMatchObject({ secret: "second-secret", version: 2 });
    const updated = await call(stack.credentials, "updateCredential", {
      credential: Credential.fromPartial({ id: created.id, accessNotes: "via jump host" }),
      updateMask: undefined,
      secret: "third-secret",
    });
    expect(updated.secretVersion).toBe(3);
    expect(updated.accessNotes).toBe("via jump host");
  });
});

describe("a reveal is fail-closed", () => {
  it("sends nothing when its audit event cannot be committed", async () => {
    const secret = "Not-without-audit-9";
    const created = await create(secret);
    const db = stack.vault.service.db;
    // The audit outbox refuses this credential's events, as a full disk or a lost database would.
    const trigger =
      db.dialect === "sqlite"
        ? `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_outbox WHEN NEW.resource_id = '${created.id}' BEGIN SELECT RAISE(ABORT, 'audit down'); END`
        : `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_outbox FOR EACH ROW BEGIN IF NEW.resource_id = '${created.id}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit down'; END IF; END`;
    await db.sequelize.query(trigger);
    try {
      const failed = call(stack.credentials, "revealCredential", { id: created.id, reason: "audit is down" });
      await expectStatus(failed, status.INTERNAL);
      await failed.catch((error: unknown) => expect(String(error)).not.toContain(secret));
      expect(await count("credential_access_log", "WHERE credential_id = ? AND action = 'reveal'", [created.id])).toBe(0);
    } finally {
      await db.sequelize.query("DROP TRIGGER refuse_audit");
    }
    const revealed = await call(stack.credentials, "revealCredential", { id: created.id, reason: "audit is back" });
    expect(revealed.secret).toBe(secret);
  });

  it("a deleted credential keeps its access log, and its secret is gone", async () => {
    const created = await create("to-be-deleted");
    await call(stack.credentials, "deleteCredential", { id: created.id, etag: "" });
    await expectStatus(call(stack.credentials, "revealCredential", { id: created.id, reason: "after delete" }), status.NOT_FOUND);
    expect(await count("credential_access_log", "WHERE credential_id = ? AND action IN ('create', 'delete')", [created.id])).toBe(2);
    expect(await count("credential_permissions", "WHERE credential_id = ?", [created.id])).toBe(0);
  });
});
