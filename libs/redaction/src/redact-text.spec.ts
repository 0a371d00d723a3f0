import { REDACTION_KINDS, redact, redactText } from "./index";
import { plantedSecrets } from "./testing";

/** A raw JSONL record of a Bash tool result, holding `output` as Claude Code writes it (JSON-escaped). */
function transcriptLine(output: string): string {
  return JSON.stringify({
    type: "user",
    message: { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01AbCdEf", content: `$ run\n${output}\nexit 0` }] },
    toolUseResult: { stdout: output, stderr: "" },
  });
}

describe("redactText: one planted secret per kind", () => {
  const planted = plantedSecrets();

  it("plants at least 20 different secrets and covers every kind the redactor emits", () => {
    expect(new Set(planted.map((entry) => entry.secret)).size).toBeGreaterThanOrEqual(20);
    expect(REDACTION_KINDS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(planted.map((entry) => entry.kind))).toEqual(new Set(REDACTION_KINDS));
    for (const entry of planted) expect(entry.line).toContain(entry.secret);
  });

  it.each(planted.map((entry) => [entry.kind, entry] as const))("removes a %s from plain text and names its kind", (kind, entry) => {
    const result = redactText(entry.line);
    expect(result.text).not.toContain(entry.secret);
    expect(result.text).toContain(`[REDACTED:${kind}]`);
    expect(result.redactions).toContainEqual({ kind, count: expect.any(Number) });
    expect(result.total).toBe(result.redactions.reduce((sum, redaction) => sum + redaction.count, 0));
  });

  it.each(planted.map((entry) => [entry.kind, entry] as const))("removes a %s from a raw JSONL line, which still parses", (kind, entry) => {
    const line = transcriptLine(entry.line);
    const result = redactText(line);
    expect(result.text).not.toContain(entry.secret);
    expect(result.text).toContain(`[REDACTED:${kind}]`);
    const parsed = JSON.parse(result.text) as { toolUseResult: { stdout: string } };
    expect(parsed.toolUseResult.stdout).not.toContain(entry.secret);
    expect(parsed.toolUseResult.stdout).toContain(`[REDACTED:${kind}]`);
  });

  it("is idempotent: redacting a redacted text changes nothing", () => {
    for (const entry of planted) {
      for (const text of [entry.line, transcriptLine(entry.line)]) {
        const once = redact(text);
        expect(redact(once)).toBe(once);
        expect(redactText(once).total).toBe(0);
      }
    }
  });
});

describe("redactText keeps the meaning: only the secret value goes", () => {
  it.each([
    ["mysql -u root -pS3cr3t!x db", "mysql -u root -p[REDACTED:password] db"],
    ["mysqldump -h db -u backup -p'Xy7!pw99' crm > crm.sql", "mysqldump -h db -u backup -p'[REDACTED:password]' crm > crm.sql"],
    ["mysql -u root -p crm", "mysql -u root -p crm"],
    ["sshpass -p Tr0ub4dor ssh admin@host", "sshpass -p [REDACTED:password] ssh admin@host"],
    ["psql --password=Hunter2x --host db", "psql --password=[REDACTED:password] --host db"],
    ["vault login --password Kq8!zzTop", "vault login --password [REDACTED:password]"],
    ["export PGPASSWORD=Pg9pass1 && psql", "export PGPASSWORD=[REDACTED:password] && psql"],
    ["password: 'Wx5#rty'", "password: '[REDACTED:password]'"],
    ["ALTER USER 'app'@'%' IDENTIFIED BY 'N3wPass!';", "ALTER USER 'app'@'%' IDENTIFIED BY '[REDACTED:password]';"],
    ["https://admin:Adm1nPw@host/", "https://admin:[REDACTED:basic_auth_url]@host/"],
    ["redis://:R3disPw@cache:6379/0", "redis://:[REDACTED:connection_string]@cache:6379/0"],
    ["mongodb+srv://app:M0ngoPw@cluster0.example.net/db", "mongodb+srv://app:[REDACTED:connection_string]@cluster0.example.net/db"],
    [
      "Server=sql;Database=crm;User Id=sa;Password=Sql P@ss 1;",
      "Server=sql;Database=crm;User Id=sa;Password=[REDACTED:connection_string];",
    ],
    ["curl -u admin:Cu9rlPw https://nas/api", "curl -u admin:[REDACTED:authorization_header] https://nas/api"],
    [
      'curl -H "Authorization: Bearer abc123DEF456ghi789" https://api',
      'curl -H "Authorization: Bearer [REDACTED:authorization_header]" https://api',
    ],
    ["echo 'root:Pr0xm0x' | chpasswd", "echo 'root:[REDACTED:password]' | chpasswd"],
    ["echo 'Sud0Pass' | sudo -S apt-get update", "echo '[REDACTED:password]' | sudo -S apt-get update"],
    ["ttyd -c ops:Tty9pass bash", "ttyd -c ops:[REDACTED:password] bash"],
    ["GITHUB_TOKEN=ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH3jK5", "GITHUB_TOKEN=[REDACTED:github_token]"],
    [
      'New-LocalUser -Name svc -Password (ConvertTo-SecureString "Ps9!Local" -AsPlainText -Force)',
      'New-LocalUser -Name svc -Password (ConvertTo-SecureString "[REDACTED:powershell_secure_string]" -AsPlainText -Force)',
    ],
    [
      "$cred = New-Object PSCredential('svc', ('Ps9!Pipe' | ConvertTo-SecureString -AsPlainText -Force))",
      "$cred = New-Object PSCredential('svc', ('[REDACTED:powershell_secure_string]' | ConvertTo-SecureString -AsPlainText -Force))",
    ],
    ['key = "q8Zr2LmX0aB7cD9eF1gH"', 'key = "[REDACTED:high_entropy]"'],
    ["signing_salt: Xq7Lm2Zp9Rt4Wv8Ks1Nb", "signing_salt: [REDACTED:high_entropy]"],
    ["backup --key Xq7Lm2Zp9Rt4Wv8Ks1Nb --to s3", "backup --key [REDACTED:high_entropy] --to s3"],
    ["export STRIPE_SECRET_KEY=whatever-it-is", "export STRIPE_SECRET_KEY=[REDACTED:env_secret]"],
    ["API_KEY=abc123", "API_KEY=[REDACTED:env_secret]"],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("redacts each later mention of a password it found, also in prose", () => {
    const text = [
      "htpasswd -bc /etc/nginx/.htpasswd ubuntu Gr8Pass2025",
      "Done: the user ubuntu can now log in (ubuntu:Gr8Pass2025).",
      'I set the password to "Gr8Pass2025" as you asked.',
    ].join("\n");
    const result = redactText(text);
    expect(result.text).not.toContain("Gr8Pass2025");
    expect(result.text).toContain("(ubuntu:[REDACTED:password])");
    expect(result.total).toBe(3);
  });

  it("redacts a repeated password right after an escaped newline in JSONL", () => {
    const line = JSON.stringify({ output: "sshpass -p Rep3atMe9 ssh host\nRep3atMe9\n(Rep3atMe9)" });
    expect(redact(line)).not.toContain("Rep3atMe9");
  });

  it("does not spread a short or plain-word password over the text", () => {
    const result = redactText(
      "POSTGRES_PASSWORD=postgres\nPOSTGRES_USER=postgres\nDB_HOST=postgres\nADMIN_PASSWORD=Changeme\nlogin: Changeme",
    );
    expect(result.text).toBe(
      "POSTGRES_PASSWORD=[REDACTED:password]\nPOSTGRES_USER=postgres\nDB_HOST=postgres\nADMIN_PASSWORD=[REDACTED:password]\nlogin: Changeme",
    );
  });

  it("keeps PEM headers and removes the key body, in plain text and in a JSON string", () => {
    const body =
      "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MaOpq3bKcpQ0lmNM\nq2C3oElXy8+lVJ0xOB8rD6AjdJDqvSN2XCgzsAEoQ3bX3rk1iY4dK7dV3yS5X9Qr";
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`;
    expect(redact(pem)).toBe("-----BEGIN RSA PRIVATE KEY-----\n[REDACTED:private_key]\n-----END RSA PRIVATE KEY-----");
    const jsonl = JSON.stringify({ content: `cat id_rsa\n${pem}\n` });
    const redacted = redact(jsonl);
    expect((JSON.parse(redacted) as { content: string }).content).toBe(
      "cat id_rsa\n-----BEGIN RSA PRIVATE KEY-----\n[REDACTED:private_key]\n-----END RSA PRIVATE KEY-----\n",
    );
  });

  it("redacts the body of a key cut short (no END line)", () => {
    const text =
      "head -3 id_rsa\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDx";
    expect(redact(text)).toBe("head -3 id_rsa\n-----BEGIN OPENSSH PRIVATE KEY-----\n[REDACTED:private_key]");
  });

  it("finds secrets right after an escaped newline inside a JSON string", () => {
    const output = [
      "ready",
      "GITHUB_TOKEN=ghp_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gH3jK5",
      "password: Yaml9Pass!",
      "PASSWORD=Env7Pass",
      "--api-token Zq8Wx7Ec6Rv5Tb4Yn3",
      "Authorization: Bearer abc123DEF456ghi789",
      "$6$saltsalt$" + "a".repeat(86),
    ].join("\n");
    const redacted = (JSON.parse(redact(JSON.stringify({ output }))) as { output: string }).output;
    expect(redacted.split("\n")).toEqual([
      "ready",
      "GITHUB_TOKEN=[REDACTED:github_token]",
      "password: [REDACTED:password]",
      "PASSWORD=[REDACTED:password]",
      "--api-token [REDACTED:secret_assignment]",
      "Authorization: Bearer [REDACTED:authorization_header]",
      "[REDACTED:password_hash]",
    ]);
  });

  it("counts redactions per kind in REDACTION_KINDS order", () => {
    const result = redactText("PASSWORD=Abc12345x\nexport API_TOKEN=Zz9Yy8Xx7Ww6\nmysql -pQw3rty9z db\nAKIAIOSFODNN7EXAMPL2");
    expect(result.redactions).toEqual([
      { kind: "aws_access_key", count: 1 },
      { kind: "password", count: 2 },
      { kind: "env_secret", count: 1 },
    ]);
    expect(result.total).toBe(4);
  });

  it("returns the text unchanged, with no redactions, when there is no secret", () => {
    expect(redactText("ls -la /var/log && tail -n 20 syslog")).toEqual({
      text: "ls -la /var/log && tail -n 20 syslog",
      redactions: [],
      total: 0,
    });
    expect(redactText("")).toEqual({ text: "", redactions: [], total: 0 });
  });

  it("refuses what is not a string", () => {
    expect(() => redactText(42 as unknown as string)).toThrow(new TypeError("redactText expects a string, got number"));
    expect(() => redact(null as unknown as string)).toThrow(TypeError);
  });
});

describe("redactText on text built to make patterns backtrack", () => {
  // Not a speed benchmark: a pattern that backtracks takes minutes on these, a sound one well
  // under a second, so the generous bound only catches the former.
  it.each([
    ["repeated token prefixes", "sk-".repeat(130_000)],
    ["JWT starts without dots", "eyJ".repeat(130_000)],
    ["key headers without their END line", "-----BEGIN RSA PRIVATE KEY-----".repeat(13_000)],
    ["one long upper-case name", "TOKEN_".repeat(65_000)],
    ["unclosed quotes after keys", "password: '".repeat(36_000)],
    ["colons after a scheme", `://${"a:".repeat(200_000)}`],
    ["here-documents that never end", "chpasswd <<EOF\n".repeat(20_000)],
    ["YAML data: blocks without entries", "kind: Secret\n" + "  data:\n".repeat(30_000)],
    ["a Secret's JSON data without end", `"kind":"Secret","data":{${'"a":"YWJj",'.repeat(40_000)}`],
    ["sentences about passwords without a value", "the password is ".repeat(30_000)],
    ["options of openssl passwd", `openssl passwd ${"-x ".repeat(60_000)}`],
  ])("%s", (_name, text) => {
    const started = Date.now();
    redactText(text);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
