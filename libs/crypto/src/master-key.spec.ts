import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CryptoError } from "./crypto-error";
import { createMasterKeyFile, generateKey, parseMasterKey, readMasterKeyFile } from "./master-key";

const SOURCE = "MSP_VAULT_MASTER_KEY";
const posix = process.platform !== "win32";

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "msp-crypto-"));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

function caught(action: () => unknown): CryptoError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    return error as CryptoError;
  }
  throw new Error("expected a CryptoError");
}

describe("generateKey", () => {
  it("makes 32 distinct random bytes each time", () => {
    const a = generateKey();
    expect(a).toHaveLength(32);
    expect(a.equals(generateKey())).toBe(false);
  });
});

describe("parseMasterKey", () => {
  it("decodes 32 bytes of standard base64, trimming whitespace", () => {
    const key = generateKey();
    expect(parseMasterKey(`  ${key.toString("base64")}\n`, SOURCE).equals(key)).toBe(true);
  });

  it.each([
    ["too short", Buffer.alloc(16).toString("base64"), "got 16 bytes"],
    ["too long", Buffer.alloc(64).toString("base64"), "got 64 bytes"],
    ["empty", "", "got 0 bytes"],
  ])("refuses a key that is %s, naming the source and the rule", (_label, text, got) => {
    const error = caught(() => parseMasterKey(text, SOURCE));
    expect(error.code).toBe("bad_key");
    expect(error.message).toContain(SOURCE);
    expect(error.message).toContain("must be 32 random bytes in base64, such as `openssl rand -base64 32`");
    expect(error.message).toContain(got);
  });

  it("refuses text that is not standard base64, without echoing it", () => {
    const text = `${generateKey().toString("base64url")}!`;
    const error = caught(() => parseMasterKey(text, SOURCE));
    expect(error.code).toBe("bad_key");
    expect(error.message).toContain(SOURCE);
    expect(error.message).not.toContain(text);
  });
});

describe("master key files", () => {
  it("creates a key file with mode 0600 and reads the same key back", () => {
    const path = join(folder, "master.key");
    const key = createMasterKeyFile(path);
    expect(readFileSync(path, "utf8")).toBe(`${key.toString("base64")}\n`);
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readMasterKeyFile(path, SOURCE).equals(key)).toBe(true);
  });

  it("keeps an existing key file instead of replacing it", () => {
    const path = join(folder, "master.key");
    const first = createMasterKeyFile(path);
    expect(createMasterKeyFile(path).equals(first)).toBe(true);
    expect(readMasterKeyFile(path, SOURCE).equals(first)).toBe(true);
  });

  it("leaves no temporary file behind", () => {
    const path = join(folder, "master.key");
    createMasterKeyFile(path);
    createMasterKeyFile(path);
    expect(readFileSync(path, "utf8")).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(readdirSync(folder)).toEqual(["master.key"]);
  });

  (posix ? it : it.skip)("refuses a key file that group or others can read, telling to chmod 600", () => {
    const path = join(folder, "master.key");
    const key = generateKey();
    writeFileSync(path, key.toString("base64"));
    chmodSync(path, 0o644);
    const error = caught(() => readMasterKeyFile(path, SOURCE));
    expect(error.code).toBe("bad_key");
    expect(error.message).toContain("chmod 600");
    expect(error.message).toContain(SOURCE);
    expect(error.message).not.toContain(key.toString("base64"));
  });

  it("refuses a missing key file with a clear message", () => {
    const error = caught(() => readMasterKeyFile(join(folder, "absent.key"), SOURCE));
    expect(error.code).toBe("bad_key");
    expect(error.message).toContain("cannot read the master key file");
    expect(error.message).toContain("ENOENT");
  });

  it("refuses a key file with a key of the wrong size", () => {
    const path = join(folder, "master.key");
    writeFileSync(path, Buffer.alloc(31).toString("base64"), { mode: 0o600 });
    const error = caught(() => readMasterKeyFile(path, SOURCE));
    expect(error.code).toBe("bad_key");
    expect(error.message).toContain("got 31 bytes");
  });
});
