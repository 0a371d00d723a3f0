import { redactValue } from "./index";
import { syntheticText } from "./testing";

const base64Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

describe("redactValue", () => {
  it("replaces string values under keys that name secrets, whole, whatever they hold", () => {
    const input = {
      password: "hunter2",
      passwd: "x",
      db_password: "Secr3t!",
      secret: "s",
      token: "abc",
      api_key: "key-1",
      apiKey: "key-2",
      private_key: "-----BEGIN...",
      client_secret: "cs",
      Authorization: "Bearer abc",
      cookie: "sid=1",
      "Set-Cookie": ["a=1", "b=2"],
      headers: { "Proxy-Authorization": "Basic eA==", accessToken: "at" },
    };
    const { value, redactions, total } = redactValue(input);
    expect(value).toEqual({
      password: "[REDACTED:password]",
      passwd: "[REDACTED:password]",
      db_password: "[REDACTED:password]",
      secret: "[REDACTED:secret_assignment]",
      token: "[REDACTED:secret_assignment]",
      api_key: "[REDACTED:secret_assignment]",
      apiKey: "[REDACTED:secret_assignment]",
      private_key: "[REDACTED:private_key]",
      client_secret: "[REDACTED:secret_assignment]",
      Authorization: "[REDACTED:authorization_header]",
      cookie: "[REDACTED:cookie]",
      "Set-Cookie": ["[REDACTED:cookie]", "[REDACTED:cookie]"],
      headers: { "Proxy-Authorization": "[REDACTED:authorization_header]", accessToken: "[REDACTED:secret_assignment]" },
    });
    expect(redactions).toEqual([
      { kind: "private_key", count: 1 },
      { kind: "authorization_header", count: 2 },
      { kind: "cookie", count: 3 },
      { kind: "password", count: 3 },
      { kind: "secret_assignment", count: 6 },
    ]);
    expect(total).toBe(15);
  });

  it("scans every other string with the text rules and keeps other values as they are", () => {
    const input = {
      type: "tool_use",
      input: { command: "mysql -u root -pS3cr3t!x crm", timeout: 120, background: false, note: null },
      tags: ["deploy", "export GITHUB_TOKEN=ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH3jK5"],
      max_tokens: 4096,
      input_tokens: "12",
    };
    const { value, total } = redactValue(input);
    expect(value).toEqual({
      type: "tool_use",
      input: { command: "mysql -u root -p[REDACTED:password] crm", timeout: 120, background: false, note: null },
      tags: ["deploy", "export GITHUB_TOKEN=[REDACTED:github_token]"],
      max_tokens: 4096,
      input_tokens: "12",
    });
    expect(total).toBe(2);
  });

  it("keeps a thinking block's signature and base64 image data", () => {
    const signature = `EqQB${syntheticText("sig", 200, base64Chars)}+AKIAQWERTYUIOPASDFGH/${syntheticText("sig2", 200, base64Chars)}`;
    const image = `iVBORw0KGgo${syntheticText("image", 500, base64Chars)}+AKIAQWERTYUIOPASDFGH/`;
    const input = {
      content: [
        { type: "thinking", thinking: "Checking the config.", signature },
        { type: "image", source: { type: "base64", media_type: "image/png", data: image } },
      ],
    };
    expect(redactValue(input)).toEqual({ value: input, redactions: [], total: 0 });
  });

  it("still scans text under a data key when it is not base64", () => {
    const { value } = redactValue({ data: "curl -u admin:Adm1nPw9 https://nas" });
    expect(value).toEqual({ data: "curl -u admin:[REDACTED:authorization_header] https://nas" });
  });

  it("redacts a secret set in one field where another field repeats it", () => {
    const { value } = redactValue({
      input: { command: "htpasswd -bc /etc/nginx/.htpasswd ops Gr8Pass2025" },
      result: { stdout: "Adding password for user ops" },
      summary: "Created user ops with Gr8Pass2025",
      config: { password: "An0therPass!", comment: "rotated An0therPass! yesterday" },
    });
    expect(JSON.stringify(value)).not.toMatch(/Gr8Pass2025|An0therPass!/);
    expect(value.summary).toBe("Created user ops with [REDACTED:password]");
    expect(value.config.comment).toBe("rotated [REDACTED:password] yesterday");
  });

  it("returns a new value and leaves the input untouched", () => {
    const input = { password: "hunter2", list: [{ token: "t0k3n" }] };
    const snapshot = structuredClone(input);
    const { value } = redactValue(input);
    expect(input).toEqual(snapshot);
    expect(value).not.toBe(input);
    expect(value.list).not.toBe(input.list);
  });

  it("is idempotent", () => {
    const once = redactValue({ password: "hunter2", cmd: "sshpass -p Tr0ub4dor ssh host" }).value;
    expect(redactValue(once)).toEqual({ value: once, redactions: [], total: 0 });
  });

  it("accepts primitives and keeps empty secret values empty", () => {
    expect(redactValue("PASSWORD=Abc12345x").value).toBe("PASSWORD=[REDACTED:password]");
    expect(redactValue(7)).toEqual({ value: 7, redactions: [], total: 0 });
    expect(redactValue(null).value).toBeNull();
    expect(redactValue({ password: "" }).value).toEqual({ password: "" });
  });

  it("refuses values that are not JSON-like, naming where", () => {
    expect(() => redactValue({ a: [{ b: () => 1 }] })).toThrow(new TypeError("redactValue: unsupported function at $.a[0].b"));
    expect(() => redactValue({ m: new Map([["password", "x"]]) })).toThrow(new TypeError("redactValue: unsupported Map at $.m"));
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic["self"] = cyclic;
    expect(() => redactValue(cyclic)).toThrow(new TypeError("redactValue: cyclic value at $.self"));
  });

  it("allows the same object twice when it is not a cycle", () => {
    const shared = { password: "hunter2" };
    expect(redactValue({ a: shared, b: shared }).value).toEqual({
      a: { password: "[REDACTED:password]" },
      b: { password: "[REDACTED:password]" },
    });
  });
});
