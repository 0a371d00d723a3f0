import { accountAtHost, credentialPointerOf, pointerText } from "./credential-pointer";

const id = "0190f5c8-0000-7000-8000-0000000000d1";

describe("credentialPointerOf", () => {
  it("reads a snippet's structured data", () => {
    expect(credentialPointerOf({ credential_id: id.toUpperCase(), name: "DC01 admin", host: "DC01", username: "Administrator" })).toEqual({
      id,
      name: "DC01 admin",
      host: "dc01",
      username: "Administrator",
      type: "",
    });
  });

  it("is undefined without a credential id (a UUID): such a snippet is shown as written", () => {
    for (const data of [null, "x", {}, { credential_id: "dc01-admin" }, { credential_id: 42 }])
      expect(credentialPointerOf(data)).toBeUndefined();
  });
});

describe("pointerText", () => {
  it("says the name, what the credential is for, and the command that reveals it by id", () => {
    expect(pointerText({ id, name: "DC01 admin", host: "dc01", username: "administrator", type: "ssh_key" })).toBe(
      `vault credential "DC01 admin" (ssh key for administrator@dc01); the secret is never in memory: msp cred reveal ${id} --reason "<why you need it>"`,
    );
  });

  it("cuts a long name and account short, so the reveal command always fits in a recalled line", () => {
    const text = pointerText({
      id,
      name: "N".repeat(255),
      host: `${"h".repeat(250)}.local`,
      username: "u".repeat(128),
      type: "connection_string",
    });
    expect(text.length).toBeLessThan(420);
    expect(text.endsWith(`msp cred reveal ${id} --reason "<why you need it>"`)).toBe(true);
  });

  it("names the host or the account alone when the credential has only one", () => {
    expect(accountAtHost({ host: "fw01", username: "", name: "n" })).toBe("fw01");
    expect(accountAtHost({ host: "", username: "svc", name: "n" })).toBe("svc");
    expect(accountAtHost({ host: "", username: "", name: "n" })).toBe("n");
  });
});
