import type { ServiceError } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { call, testToken } from "@msp/testing";
import { Credential, CredentialType } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import type { VaultTestStack } from "./vault-test-stack";
import { startVault } from "./vault-test-stack";

// Creates that arrive together are written in one transaction (credential-creates.ts): each must
// still get its own row, permission, access-log row and audit event, its own answer and outcome.

let stack: VaultTestStack;
beforeAll(async () => {
  stack = await startVault();
});
afterAll(() => stack.stop());

async function rows(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  // A copy: MariaDB's driver hangs its column metadata on the array it returns.
  return [...(await stack.vault.service.db.select<Record<string, unknown>>(sql, params))];
}

function credential(name: string, port = 0): Credential {
  return Credential.fromPartial({
    name,
    credentialType: CredentialType.CREDENTIAL_TYPE_PASSWORD,
    username: "administrator",
    url: `https://${name.replace(/ /g, "-")}.contoso.example`,
    ...(port === 0 ? {} : { port }),
  });
}

describe("creates that arrive together", () => {
  it("each is written whole, answered with its own record, and reveals its own secret", async () => {
    const tech = await testToken(stack.vault, { role: "technician", username: "tina" });
    const asks = Array.from({ length: 24 }, (_, i) => ({
      name: ` together ${i} `,
      secret: `together-secret-${i}-${Math.random()}`,
      metadata: i % 2 === 0 ? undefined : tech.metadata(),
    }));
    const answers = await Promise.all(
      asks.map((ask) =>
        call(stack.credentials, "createCredential", { credential: credential(ask.name), secret: ask.secret }, ask.metadata),
      ),
    );
    expect(new Set(answers.map((a) => a.id)).size).toBe(asks.length);
    for (const [i, answer] of answers.entries()) {
      const ask = asks[i]!;
      // The answer is the stored record, as Get gives it.
      expect(answer.name).toBe(ask.name.trim());
      expect(answer.hasSecret).toBe(true);
      expect(answer.secretVersion).toBe(1);
      expect(answer).toEqual(await call(stack.credentials, "getCredential", { id: answer.id }));
      const creator = ask.metadata ? "tina" : "test-admin";
      expect(answer.rotatedBy).toBe(creator);
      const permissions = await rows("SELECT principal, level, granted_by FROM credential_permissions WHERE credential_id = ?", [
        answer.id,
      ]);
      expect(permissions).toEqual([{ principal: expect.any(String), level: "admin", granted_by: creator }]);
      const log = await rows("SELECT action, outcome, principal, version FROM credential_access_log WHERE credential_id = ?", [answer.id]);
      expect(log).toEqual([{ action: "create", outcome: "ok", principal: creator, version: 1 }]);
      const events = await rows("SELECT action, principal, request_summary FROM audit_outbox WHERE resource_id = ?", [answer.id]);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ action: "create", principal: creator });
      expect(JSON.stringify(events)).not.toContain(ask.secret);
      expect(JSON.stringify(events)).toContain(`together ${i}`);
    }
    // Each creator may reveal (and so holds admin on) what they made, the secret bound to its own row.
    for (const [i, answer] of answers.entries()) {
      const ask = asks[i]!;
      const revealed = await call(stack.credentials, "revealCredential", { id: answer.id, reason: "check the batch" }, ask.metadata);
      expect(revealed.secret).toBe(ask.secret);
    }
  });

  it("a refused create among them fails alone", async () => {
    const names = Array.from({ length: 9 }, (_, i) => `mixed ${i} ${Math.random()}`);
    const results = await Promise.allSettled(
      names.map((name, i) =>
        call(stack.credentials, "createCredential", { credential: credential(name, i === 4 ? 70_000 : 0), secret: `mixed-secret-${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(names.map((_, i) => (i === 4 ? "rejected" : "fulfilled")));
    const refused = (results[4] as PromiseRejectedResult).reason as ServiceError;
    expect(refused.code).toBe(status.INVALID_ARGUMENT);
    expect(refused.details).toMatch(/port/);
    const stored = await rows(`SELECT name FROM credentials WHERE name IN (${names.map(() => "?").join(", ")})`, names);
    expect(stored.map((row) => row["name"]).sort()).toEqual(names.filter((_, i) => i !== 4).sort());
  });
});
