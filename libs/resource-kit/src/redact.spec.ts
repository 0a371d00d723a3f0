import { redactSummary } from "./audit-outbox";
import { isSecretKey, redactSecrets } from "./redact";

describe("redactSecrets", () => {
  it("replaces values under secret-looking keys, at any depth", () => {
    expect(
      redactSecrets({
        ticket: { subject: "Printer", password: "hunter2" },
        headers: { Authorization: "xyz", "X-Api-Key": "k", Cookie: "a=b", "content-type": "application/json" },
        auth: { user: "bob", pass: "x" },
        items: [{ client_secret: "s" }, { name: "fine" }],
        author: "Alice",
      }),
    ).toEqual({
      ticket: { subject: "Printer", password: "[redacted]" },
      headers: { Authorization: "[redacted]", "X-Api-Key": "[redacted]", Cookie: "[redacted]", "content-type": "application/json" },
      auth: "[redacted]",
      items: [{ client_secret: "[redacted]" }, { name: "fine" }],
      author: "Alice",
    });
  });

  it("replaces credential-looking strings wherever they are", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    expect(redactSecrets({ note: "Bearer abcdefghijkl", list: [jwt, "plain text"], key: "msp_ab12cd_abcdefghijklmnopqrstuvwxyz" })).toEqual(
      {
        note: "[redacted]",
        list: ["[redacted]", "plain text"],
        key: "[redacted]",
      },
    );
  });

  it("keeps numbers and flags under such keys, and empty values", () => {
    expect(redactSecrets({ source_tokens: 1200, has_password: true, token: null, secret: "" })).toEqual({
      source_tokens: 1200,
      has_password: true,
      token: null,
      secret: "",
    });
    expect(isSecretKey("api_key")).toBe(true);
    expect(isSecretKey("authorization")).toBe(true);
    expect(isSecretKey("x-auth-token")).toBe(true);
    expect(isSecretKey("author")).toBe(false);
    expect(isSecretKey("ticket_id")).toBe(false);
  });

  it("cuts off JSON nested deeper than it follows", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 100; i++) deep = { next: deep };
    expect(JSON.stringify(redactSecrets(deep))).toContain("[redacted]");
  });
});

describe("redactSummary", () => {
  it("redacts secret fields and nested secrets, and shortens long text", () => {
    const summary = redactSummary({ password_hash: "x", request_data: { token: "t" }, notes: "n".repeat(3000), name: "ok" });
    expect(summary["password_hash"]).toBe("[redacted]");
    expect(summary["request_data"]).toEqual({ token: "[redacted]" });
    expect(summary["notes"]).toMatch(/^n{2000}\.\.\. \(3000 characters\)$/);
    expect(summary["name"]).toBe("ok");
  });
});
