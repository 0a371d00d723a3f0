import { createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuditKeyError } from "./audit-key-error";
import {
  hmacKeyId,
  keyId,
  loadOrCreateHmacKeyFile,
  loadOrCreateSigningKeyFile,
  parseHmacKey,
  parsePublicKey,
  parseSigningKey,
  publicKeyId,
  publicKeyPem,
  readHmacKeyFile,
  readSigningKeyFile,
} from "./keys";

const posix = process.platform !== "win32";
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "audit-keys-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function caught(action: () => unknown): AuditKeyError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AuditKeyError);
    return error as AuditKeyError;
  }
  throw new Error("expected an AuditKeyError");
}

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

describe("the HMAC key", () => {
  it("is created once, as base64 and a newline in a 0600 file, and read back the same", () => {
    const path = join(dir, "audit-hmac-key");
    const key = loadOrCreateHmacKeyFile(path);
    expect(key).toHaveLength(32);
    expect(readFileSync(path, "utf8")).toBe(`${key.toString("base64")}\n`);
    if (posix) expect(modeOf(path)).toBe(0o600);
    expect(loadOrCreateHmacKeyFile(path).equals(key)).toBe(true);
    expect(readHmacKeyFile(path, "MSP_AUDIT_HMAC_KEY_FILE").equals(key)).toBe(true);
    expect(readdirSync(dir)).toEqual(["audit-hmac-key"]);
  });

  it("keeps a key file that exists rather than replacing it", () => {
    const path = join(dir, "key");
    const existing = randomBytes(32);
    writeFileSync(path, existing.toString("base64"), { mode: 0o600 });
    expect(loadOrCreateHmacKeyFile(path).equals(existing)).toBe(true);
  });

  (posix ? it : it.skip)("is refused from a file the group or others may read, naming chmod 600", () => {
    const path = join(dir, "key");
    writeFileSync(path, randomBytes(32).toString("base64"), { mode: 0o600 });
    chmodSync(path, 0o644);
    const error = caught(() => readHmacKeyFile(path, "MSP_AUDIT_HMAC_KEY_FILE"));
    expect(error.code).toBe("insecure_key_file");
    expect(error.message).toContain("MSP_AUDIT_HMAC_KEY_FILE");
    expect(error.message).toContain("mode 644");
    expect(error.message).toContain(`chmod 600 ${path}`);
    expect(() => loadOrCreateHmacKeyFile(path)).toThrow(/chmod 600/);
  });

  it("names the variable and the fix when the text is not a key, without echoing it", () => {
    const cases: [string, RegExp][] = [
      ["", /it is empty/],
      ["not base64 at all!", /not valid base64/],
      [randomBytes(16).toString("base64"), /decodes to 16 bytes/],
    ];
    for (const [text, reason] of cases) {
      const error = caught(() => parseHmacKey(text, "MSP_AUDIT_HMAC_KEY"));
      expect(error.code).toBe("bad_key");
      expect(error.message).toMatch(/^MSP_AUDIT_HMAC_KEY must hold the audit HMAC key/);
      expect(error.message).toContain("openssl rand -base64 32");
      expect(error.message).toMatch(reason);
      if (text !== "") expect(error.message).not.toContain(text);
    }
    expect(parseHmacKey(`  ${Buffer.alloc(32, 1).toString("base64")}\n`, "x").equals(Buffer.alloc(32, 1))).toBe(true);
  });

  it("names the file when it cannot be read", () => {
    const path = join(dir, "missing");
    const error = caught(() => readHmacKeyFile(path, "MSP_AUDIT_HMAC_KEY_FILE"));
    expect(error.code).toBe("unreadable_key_file");
    expect(error.message).toBe(`MSP_AUDIT_HMAC_KEY_FILE: cannot read the audit HMAC key file ${path} (ENOENT)`);
  });

  it("names the file when a file holds a bad key", () => {
    const path = join(dir, "key");
    writeFileSync(path, "oops\n", { mode: 0o600 });
    expect(caught(() => readHmacKeyFile(path, "MSP_AUDIT_HMAC_KEY_FILE")).message).toContain(
      `MSP_AUDIT_HMAC_KEY_FILE: the audit HMAC key file ${path} must hold the audit HMAC key`,
    );
  });

  it("reports a file that cannot be created", () => {
    const error = caught(() => loadOrCreateHmacKeyFile(join(dir, "no-such-folder", "key")));
    expect(error.code).toBe("key_file_not_created");
    expect(error.message).toContain("ENOENT");
  });
});

describe("the signing key", () => {
  it("is created once as an Ed25519 PKCS#8 PEM in a 0600 file, and read back the same", () => {
    const path = join(dir, "audit-signing-key.pem");
    const pair = loadOrCreateSigningKeyFile(path);
    expect(readFileSync(path, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    if (posix) expect(modeOf(path)).toBe(0o600);
    expect(pair.privateKey.asymmetricKeyType).toBe("ed25519");
    expect(pair.publicKey.type).toBe("public");
    expect(publicKeyId(loadOrCreateSigningKeyFile(path).publicKey)).toBe(publicKeyId(pair.publicKey));
    expect(publicKeyId(readSigningKeyFile(path, "MSP_AUDIT_SIGNING_KEY_FILE").publicKey)).toBe(publicKeyId(pair.publicKey));
    expect(readdirSync(dir)).toEqual(["audit-signing-key.pem"]);
  });

  (posix ? it : it.skip)("is refused from a file the group or others may read", () => {
    const path = join(dir, "signing.pem");
    loadOrCreateSigningKeyFile(path);
    chmodSync(path, 0o640);
    const error = caught(() => readSigningKeyFile(path, "MSP_AUDIT_SIGNING_KEY_FILE"));
    expect(error.code).toBe("insecure_key_file");
    expect(error.message).toContain(`chmod 600 ${path}`);
  });

  it("says what is wrong with text that is not an Ed25519 private key", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const ed = generateKeyPairSync("ed25519");
    const encrypted = ed.privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "x" }).toString();
    const cases: [string, RegExp][] = [
      ["hello", /it is not PEM text/],
      [ed.publicKey.export({ type: "spki", format: "pem" }).toString(), /it holds a public key, not the private key/],
      [encrypted, /it is encrypted/],
      ["-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", /could not be parsed as a private key/],
      [ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), /it holds a key of type ec, not ed25519/],
    ];
    for (const [pem, reason] of cases) {
      const error = caught(() => parseSigningKey(pem, "MSP_AUDIT_SIGNING_KEY"));
      expect(error.code).toBe("bad_key");
      expect(error.message).toMatch(/^MSP_AUDIT_SIGNING_KEY must hold the audit signing key: an unencrypted Ed25519 private key/);
      expect(error.message).toMatch(reason);
    }
  });
});

describe("the public key and key ids", () => {
  const pair = generateKeyPairSync("ed25519");

  it("round-trips the public key through SPKI PEM", () => {
    const pem = publicKeyPem(pair.publicKey);
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(publicKeyPem(pair.privateKey)).toBe(pem);
    const parsed = parsePublicKey(pem, "--public-key-file");
    expect(parsed.equals(pair.publicKey)).toBe(true);
  });

  it("refuses a private key, a non-Ed25519 key and garbage as the public key", () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const cases: [string, RegExp][] = [
      [pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), /holds a private key/],
      [ec.publicKey.export({ type: "spki", format: "pem" }).toString(), /key of type ec/],
      ["-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", /could not be parsed/],
      ["nope", /not PEM text/],
    ];
    for (const [pem, reason] of cases) {
      const error = caught(() => parsePublicKey(pem, "--public-key-file"));
      expect(error.code).toBe("bad_key");
      expect(error.message).toMatch(/^--public-key-file must hold the audit service's Ed25519 public key/);
      expect(error.message).toMatch(reason);
    }
  });

  it("ids keys by the first 16 hex digits of a SHA-256, the public key by its SPKI DER", () => {
    const key = Buffer.alloc(32, 9);
    expect(keyId(Buffer.from("abc"))).toBe("ba7816bf8f01cfea");
    expect(hmacKeyId(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(hmacKeyId(key)).not.toContain(key.toString("hex").slice(0, 16));
    expect(publicKeyId(pair.publicKey)).toBe(keyId(pair.publicKey.export({ type: "spki", format: "der" })));
    expect(publicKeyId(pair.privateKey)).toBe(publicKeyId(createPublicKey(pair.privateKey)));
  });
});
