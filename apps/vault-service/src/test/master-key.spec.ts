// The master key: a wrong one stops the vault at start-up, a malformed, missing or badly kept one is
// a configuration error naming the problem, and changing it (new key, old one as previous for one
// start) keeps every secret readable.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@msp/config";
import { loadServiceConfig } from "@msp/service-runtime";
import type { TestDatabase } from "@msp/testing";
import { call, createTestDatabase, withSlowness } from "@msp/testing";
import { Credential, CredentialType } from "@msp/proto/src/gen/ts/msp/vault/v1/credential";
import { Integration, IntegrationCredential, IntegrationCredentialType } from "@msp/proto/src/gen/ts/msp/vault/v1/integration_credential";
import { vaultModule } from "../vault-module";
import type { VaultTestStack } from "./vault-test-stack";
import { eventually, startLoggedVault } from "./logged-vault";

// Generous budgets for a slow machine: tests wait for work to be done, never for time to pass.
jest.setTimeout(withSlowness(120_000));

const newKey = () => randomBytes(32).toString("base64");
const platform = { MSP_JWT_SECRET: randomBytes(32).toString("hex") };

/** The configuration problems loadServiceConfig reports for `env` (it must refuse it). */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadServiceConfig(vaultModule, { ...platform, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("MSP_VAULT_MASTER_KEY as configuration", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "msp-vault-key-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a missing key is a problem saying what to set and how to make one", () => {
    expect(problemsOf({})).toEqual([
      expect.stringMatching(/^MSP_VAULT_MASTER_KEY: is required \(or MSP_VAULT_MASTER_KEY_FILE\).*openssl rand -base64 32/),
    ]);
  });

  it("a key that is not base64 is a problem that does not repeat the key", () => {
    const given = "this is not base64 but someone's key!!";
    const problems = problemsOf({ MSP_VAULT_MASTER_KEY: given });
    expect(problems).toEqual([expect.stringMatching(/^MSP_VAULT_MASTER_KEY: .*must be 32 random bytes in base64.*not valid base64/)]);
    expect(problems.join("\n")).not.toContain(given);
  });

  it("a key of the wrong length is a problem giving the length it has", () => {
    const short = randomBytes(16).toString("base64");
    expect(problemsOf({ MSP_VAULT_MASTER_KEY: short })).toEqual([
      expect.stringMatching(/^MSP_VAULT_MASTER_KEY: .*32 random bytes.*got 16 bytes/),
    ]);
    expect(problemsOf({ MSP_VAULT_MASTER_KEY: randomBytes(48).toString("base64") })).toEqual([expect.stringMatching(/got 48 bytes/)]);
    expect(problemsOf({ MSP_VAULT_MASTER_KEY: "" })).toEqual([expect.stringMatching(/^MSP_VAULT_MASTER_KEY: .*got 0 bytes/)]);
  });

  it("every problem is listed at once: the previous key's and the platform's too", () => {
    const problems = problemsOf({
      MSP_JWT_SECRET: "short",
      MSP_VAULT_MASTER_KEY: "%%%",
      MSP_VAULT_PREVIOUS_MASTER_KEY: randomBytes(8).toString("base64"),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^MSP_JWT_SECRET: /),
        expect.stringMatching(/^MSP_VAULT_MASTER_KEY: .*not valid base64/),
        expect.stringMatching(/^MSP_VAULT_PREVIOUS_MASTER_KEY: .*got 8 bytes/),
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it("a key file that group or others may read (0644) is refused; at 0600 it is read", () => {
    const key = newKey();
    const path = join(dir, "vault-master-key");
    writeFileSync(path, `${key}\n`);
    chmodSync(path, 0o644);
    expect(problemsOf({ MSP_VAULT_MASTER_KEY_FILE: path })).toEqual([
      expect.stringMatching(/^MSP_VAULT_MASTER_KEY: MSP_VAULT_MASTER_KEY_FILE: .*accessible to group or others \(mode 644\).*chmod 600/),
    ]);
    chmodSync(path, 0o600);
    const { own } = loadServiceConfig(vaultModule, { ...platform, MSP_VAULT_MASTER_KEY_FILE: path });
    expect(own.masterKey.equals(Buffer.from(key, "base64"))).toBe(true);
    expect(own.previousMasterKey).toBeUndefined();
  });

  it("a key file that is missing, or a key given both ways, is refused", () => {
    expect(problemsOf({ MSP_VAULT_MASTER_KEY_FILE: join(dir, "nope") })).toEqual([
      expect.stringMatching(/cannot read the master key file .*ENOENT/),
    ]);
    expect(problemsOf({ MSP_VAULT_MASTER_KEY: newKey(), MSP_VAULT_MASTER_KEY_FILE: join(dir, "nope") })).toEqual([
      expect.stringMatching(/set MSP_VAULT_MASTER_KEY or MSP_VAULT_MASTER_KEY_FILE, not both/),
    ]);
  });
});

describe("the master key at start-up", () => {
  let database: TestDatabase;
  const k1 = newKey();
  const k2 = newKey();
  /** What was stored under K1, to reveal after every change of master key. */
  const stored: { id: string; secret: string }[] = [];
  let versioned: { id: string; secret: string } | undefined;
  let integration: { id: string; secret: string; refreshToken: string } | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  }, 120_000);
  afterAll(() => database?.drop(), 120_000);

  /** Starts the vault on this file's database (kept when it stops). */
  const start = (env: NodeJS.ProcessEnv): Promise<VaultTestStack> => startLoggedVault({ env, database });

  /** Why starting with `env` fails (it must). */
  async function refusal(env: NodeJS.ProcessEnv): Promise<string> {
    const stack = await start(env).catch((error: unknown) => error);
    if (!(stack instanceof Error)) {
      await (stack as VaultTestStack).stop();
      throw new Error("the vault started");
    }
    for (const key of [k1, k2]) expect(stack.message).not.toContain(key);
    return stack.message;
  }

  async function expectEverySecretReveals(stack: VaultTestStack): Promise<void> {
    for (const { id, secret } of stored) {
      expect((await call(stack.credentials, "revealCredential", { id, reason: "after a master key change" })).secret).toBe(secret);
    }
    if (!versioned || !integration) throw new Error("the first start did not run");
    const old = await call(stack.credentials, "revealCredentialVersion", { credentialId: versioned.id, version: 1, reason: "audit" });
    expect(old.secret).toBe(versioned.secret);
    const revealed = await call(stack.integrations, "revealIntegrationCredential", { id: integration.id, reason: "sync" });
    expect(revealed.secrets).toMatchObject({ secret: integration.secret, refreshToken: integration.refreshToken });
  }

  it("K1 makes the key ring; secrets of several kinds, a version and a second data key are stored under it", async () => {
    const stack = await start({ MSP_VAULT_MASTER_KEY: k1 });
    try {
      for (const [i, type] of [
        CredentialType.CREDENTIAL_TYPE_PASSWORD,
        CredentialType.CREDENTIAL_TYPE_SSH_KEY,
        CredentialType.CREDENTIAL_TYPE_TOKEN,
      ].entries()) {
        const secret = `secret-${i}-${randomBytes(12).toString("hex")}`;
        const made = await call(stack.credentials, "createCredential", {
          credential: Credential.fromPartial({ name: `master key ${i}`, credentialType: type }),
          secret,
        });
        stored.push({ id: made.id, secret });
      }
      const first = stored[0];
      if (!first) throw new Error("nothing stored");
      versioned = { id: first.id, secret: first.secret };
      first.secret = `rotated-${randomBytes(12).toString("hex")}`;
      await call(stack.credentials, "rotateCredentialSecret", { id: first.id, secret: first.secret, reason: "before the key change" });
      integration = { id: "", secret: `int-${randomBytes(12).toString("hex")}`, refreshToken: `ref-${randomBytes(12).toString("hex")}` };
      const made = await call(stack.integrations, "createIntegrationCredential", {
        integrationCredential: IntegrationCredential.fromPartial({
          integration: Integration.INTEGRATION_MSP_BACKUPS,
          credentialType: IntegrationCredentialType.INTEGRATION_CREDENTIAL_TYPE_OAUTH_TOKEN,
        }),
        secrets: { secret: integration.secret, refreshToken: integration.refreshToken },
      });
      integration.id = made.id;
      // A second data key, the first retired once the rewrap moved everything: both are wrapped by K1.
      await call(stack.keys, "rotateDataKey", { reason: "before the master key change" });
      await eventually(async () => !(await call(stack.keys, "getRewrapStatus", {})).inProgress, "the rewrap");
      expect((await call(stack.keys, "listEncryptionKeys", {})).keys).toHaveLength(2);
      await expectEverySecretReveals(stack);
    } finally {
      await stack.stop();
    }
  }, 300_000);

  it("another master key does not start the vault: the error names MSP_VAULT_MASTER_KEY and the key ring", async () => {
    const message = await refusal({ MSP_VAULT_MASTER_KEY: k2 });
    expect(message).toMatch(/the vault master key \(MSP_VAULT_MASTER_KEY\) does not open data key [0-9a-f-]{36} of the key ring/);
    expect(message).toMatch(/give the old one as MSP_VAULT_PREVIOUS_MASTER_KEY/);
  }, 300_000);

  it("K2 with MSP_VAULT_PREVIOUS_MASTER_KEY=K1 starts and every secret reveals; then K2 alone works", async () => {
    let stack = await start({ MSP_VAULT_MASTER_KEY: k2, MSP_VAULT_PREVIOUS_MASTER_KEY: k1 });
    try {
      await expectEverySecretReveals(stack);
      expect((await call(stack.keys, "listEncryptionKeys", {})).keys).toHaveLength(2);
    } finally {
      await stack.stop();
    }
    stack = await start({ MSP_VAULT_MASTER_KEY: k2 });
    try {
      await expectEverySecretReveals(stack);
      // New secrets work under the new master key too.
      const made = await call(stack.credentials, "createCredential", {
        credential: Credential.fromPartial({ name: "after the change", credentialType: CredentialType.CREDENTIAL_TYPE_PASSWORD }),
        secret: "made-under-k2",
      });
      stored.push({ id: made.id, secret: "made-under-k2" });
      await expectEverySecretReveals(stack);
    } finally {
      await stack.stop();
    }
  }, 300_000);

  it("K1 alone is refused from then on; a previous key that opens nothing is refused too", async () => {
    expect(await refusal({ MSP_VAULT_MASTER_KEY: k1 })).toMatch(/\(MSP_VAULT_MASTER_KEY\) does not open data key .* of the key ring/);
    expect(await refusal({ MSP_VAULT_MASTER_KEY: newKey(), MSP_VAULT_PREVIOUS_MASTER_KEY: k1 })).toMatch(
      /neither MSP_VAULT_MASTER_KEY nor MSP_VAULT_PREVIOUS_MASTER_KEY opens data key/,
    );
    // Those refusals changed nothing: K2 (with or without the old previous key) still opens everything.
    const stack = await start({ MSP_VAULT_MASTER_KEY: k2, MSP_VAULT_PREVIOUS_MASTER_KEY: k1 });
    try {
      await expectEverySecretReveals(stack);
    } finally {
      await stack.stop();
    }
  }, 300_000);
});
