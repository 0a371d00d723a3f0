import { decodeBase64, isEncodedSecret, keyNamesSecret } from "./base64-values";
import { redact, redactText, redactValue } from "./index";
import { syntheticText } from "./testing";

// Base64-encoded secrets: the values of a Kubernetes Secret, and encoded values under keys that
// name secrets. Each is decoded and judged by what it holds; the key always stays.

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const certificate = b64("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2\n-----END CERTIFICATE-----\n");
const privateKey = b64(`-----BEGIN EC PRIVATE KEY-----\n${syntheticText("ec", 64, base64Chars)}\n-----END EC PRIVATE KEY-----\n`);
const connection = b64("postgresql://portal:Pg-9secret@postgres-service:5432/portal");

/** A Secret manifest as `kubectl get secret -o yaml` prints it: data before kind. */
function kubectlYaml(data: Record<string, string>): string {
  return [
    "apiVersion: v1",
    "data:",
    ...Object.entries(data).map(([key, value]) => `  ${key}: ${value}`),
    "kind: Secret",
    "metadata:",
    "  name: portal",
    "type: Opaque",
  ].join("\n");
}

describe("a Kubernetes Secret's data", () => {
  it("redacts the values that decode to secrets and keeps user names, hosts, certificates", () => {
    const text = kubectlYaml({
      username: b64("portal"),
      password: b64("hunter"),
      url: connection,
      host: b64("postgres-service.default.svc"),
      port: b64("5432"),
      "tls.crt": certificate,
      "tls.key": privateKey,
      "api-token": b64("Zx9!kq2Lp"),
    });
    const result = redactText(text);
    expect(result.text).toBe(
      kubectlYaml({
        username: b64("portal"),
        password: "[REDACTED:encoded_secret]",
        url: "[REDACTED:encoded_secret]",
        host: b64("postgres-service.default.svc"),
        port: b64("5432"),
        "tls.crt": certificate,
        "tls.key": "[REDACTED:encoded_secret]",
        "api-token": "[REDACTED:encoded_secret]",
      }),
    );
    expect(result.redactions).toEqual([{ kind: "encoded_secret", count: 4 }]);
  });

  it("reads a manifest written by hand (kind first, comments), in plain text and in a raw JSONL record", () => {
    const text = [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: db-secret",
      "type: Opaque",
      "data:",
      `  password: ${b64("password123")}  # base64 encoded`,
      `  url: ${connection}`,
      "",
      "---",
      "apiVersion: v1",
      "kind: Secret",
      "data:",
      `  jwt-secret: ${b64("super_secret_jwt_key_12345678")}`,
    ].join("\n");
    const expected = text
      .replace(b64("password123"), "[REDACTED:encoded_secret]")
      .replace(connection, "[REDACTED:encoded_secret]")
      .replace(b64("super_secret_jwt_key_12345678"), "[REDACTED:encoded_secret]");
    expect(redact(text)).toBe(expected);
    const line = redact(JSON.stringify({ type: "assistant", message: { content: [{ type: "text", text }] } }));
    expect((JSON.parse(line) as { message: { content: Array<{ text: string }> } }).message.content[0]?.text).toBe(expected);
  });

  it("redacts the decoded secret where the session prints it", () => {
    const text = [
      "kind: Secret",
      "data:",
      `  password: ${b64("Portal-2025x")}`,
      "$ kubectl get secret portal -o jsonpath='{.data.password}' | base64 -d",
      "Portal-2025x",
    ].join("\n");
    expect(redact(text)).not.toContain("Portal-2025x");
  });

  it("reads the values of a List item by item, and stringData as written", () => {
    const text = [
      "apiVersion: v1",
      "items:",
      "- apiVersion: v1",
      "  data:",
      `    mode: ${b64("Mq7!zz4Rt")}`,
      "  kind: ConfigMap",
      "- apiVersion: v1",
      "  data:",
      `    token: ${b64("Zx9!kq2Lp")}`,
      "  kind: Secret",
      "- kind: Secret",
      "  stringData:",
      "    username: portal",
      "    password: Hunter-2x",
      "kind: List",
    ].join("\n");
    expect(redact(text)).toBe(
      text.replace(`token: ${b64("Zx9!kq2Lp")}`, "token: [REDACTED:encoded_secret]").replace("Hunter-2x", "[REDACTED:encoded_secret]"),
    );
  });

  it("reads `kubectl get secret -o json`, and redactValue reads a parsed Secret", () => {
    const json = JSON.stringify(
      { apiVersion: "v1", data: { password: b64("hunter"), username: b64("portal"), "ca.crt": certificate }, kind: "Secret" },
      null,
      2,
    );
    expect(JSON.parse(redact(json))).toEqual({
      apiVersion: "v1",
      data: { password: "[REDACTED:encoded_secret]", username: b64("portal"), "ca.crt": certificate },
      kind: "Secret",
    });
    const { value } = redactValue({ kind: "Secret", data: { url: connection, username: b64("portal") }, stringData: { api: "Zk9!ab12" } });
    expect(value).toEqual({
      kind: "Secret",
      data: { url: "[REDACTED:encoded_secret]", username: b64("portal") },
      stringData: { api: "[REDACTED:encoded_secret]" },
    });
  });

  it("leaves a ConfigMap, an image and a Helm template alone", () => {
    for (const text of [
      ["kind: ConfigMap", "data:", `  api: ${b64("Zx9!kq2Lp")}`, `  url: ${connection.slice(0, 20)}`].join("\n"),
      ["kind: Secret", "data:", "  password: {{ .Values.password | b64enc }}"].join("\n"),
      ["kind: Secret", "data:", `  logo.png: iVBORw0KGgo${syntheticText("png", 200, base64Chars)}`].join("\n"),
    ])
      expect(redactText(text)).toEqual({ text, redactions: [], total: 0 });
  });
});

describe("base64 outside manifests", () => {
  it.each([
    [`echo ${b64("Hunter-2x")} | base64 -d`, "echo [REDACTED:encoded_secret] | base64 -d"],
    [`base64 --decode <<< "${b64("Hunter-2x")}"`, 'base64 --decode <<< "[REDACTED:encoded_secret]"'],
    [`API_KEY_B64=${b64("abc12")}`, "API_KEY_B64=[REDACTED:encoded_secret]"],
    [`jwtSecretBase64: "${b64("s3cr")}"`, 'jwtSecretBase64: "[REDACTED:encoded_secret]"'],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("keeps base64 that is not a secret", () => {
    for (const text of [
      `echo ${b64("hello world")} | base64 -d`,
      `echo ${b64("/etc/nginx/nginx.conf")} | base64 -d`,
      `ca_cert: ${certificate}`,
      `public_key_b64: ${b64("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG user@host")}`,
      "token: expired",
      "token_count: 4096",
      `{"type":"image","source":{"type":"base64","data":"iVBORw0KGgo${syntheticText("png", 400, base64Chars)}"}}`,
    ])
      expect(redactText(text)).toEqual({ text, redactions: [], total: 0 });
  });
});

describe("decodeBase64, keyNamesSecret, isEncodedSecret", () => {
  it("decodes canonical base64 only", () => {
    expect(decodeBase64(b64("hunter2"))?.toString()).toBe("hunter2");
    expect(decodeBase64("aHVudGVyMg")?.toString()).toBe("hunter2"); // unpadded
    expect(decodeBase64("expired")).toBeUndefined(); // stray bits: a word, not base64
    expect(decodeBase64("abc")).toBeUndefined();
    expect(decodeBase64("a b c d")).toBeUndefined();
  });

  it("names secret keys, not their metadata", () => {
    for (const key of ["password", "jwt-secret", "API_TOKEN_B64", "tls.key", ".dockerconfigjson", "ssh-privatekey", "DB_PASSWORD"])
      expect([key, keyNamesSecret(key)]).toEqual([key, true]);
    for (const key of ["username", "url", "token_name", "secret_file", "public_key", "ca.crt", "host"])
      expect([key, keyNamesSecret(key)]).toEqual([key, false]);
    expect(keyNamesSecret("key", true)).toBe(false);
  });

  it("judges decoded bytes by what they hold", () => {
    const judge = (text: string, context: Parameters<typeof isEncodedSecret>[1]) => isEncodedSecret(Buffer.from(text), context);
    expect(judge("hunter", "secret-key")).toBe(true);
    expect(judge("hunter", "secret-manifest")).toBe(false); // a lower-case name: an account, a database
    expect(judge("Hunter-2x", "secret-manifest")).toBe(true);
    expect(judge("db.acme.internal", "secret-manifest")).toBe(false);
    expect(judge("admin@acme.com", "secret-manifest")).toBe(false);
    expect(judge("mysql://app:Pw-9x@db/app", "secret-manifest")).toBe(true);
    expect(judge("-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----", "secret-key")).toBe(false);
    expect(isEncodedSecret(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]), "secret-manifest")).toBe(
      false,
    );
    const keyBytes = Buffer.from(Buffer.from(syntheticText("key-bytes", 32), "latin1").map((byte) => byte ^ 0x80));
    expect(isEncodedSecret(keyBytes, "secret-manifest")).toBe(true);
  });
});
