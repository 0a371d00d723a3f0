import { redact, redactionContexts } from "./index";
import { accountOf, hostOf } from "./redaction-context";
import { plantedSecrets } from "./testing";

/** The one context of a line, redacted as the redactor redacts it. */
function contextOf(line: string) {
  const redacted = redact(line);
  expect(redacted).toContain("[REDACTED:");
  const contexts = redactionContexts(redacted);
  expect(contexts).toHaveLength(1);
  return contexts[0]!;
}

describe("redactionContexts: the hosts and accounts a redacted secret's statement names", () => {
  it.each([
    ["sshpass -p 'Adm1n!2025x' ssh administrator@dc01 'hostname'", "password", ["dc01"], ["administrator"]],
    ["mysql -h db01.contoso.local -u root -pS3cr3t!x crm", "password", ["db01.contoso.local"], ["root"]],
    ["mysqldump -hdb02 -uapp -pS3cr3t!x crm > crm.sql", "password", ["db02"], ["app"]],
    ["https://admin:Adm1nPw@nas01.contoso.local:5001/webapi", "basic_auth_url", ["nas01.contoso.local"], ["admin"]],
    ["mongodb+srv://app:M0ngoPw@cluster0.example.net/db", "connection_string", ["cluster0.example.net"], ["app"]],
    ["Server=tcp:sql01,1433;Database=crm;User Id=sa;Password=Sql P@ss 1;", "connection_string", ["sql01"], ["sa"]],
    [
      "Data Source=sql02\\SQLEXPRESS;Initial Catalog=crm;User ID=CONTOSO\\svc-sql;Password=Sql9Pass!;",
      "connection_string",
      ["sql02"],
      ["contoso\\svc-sql"],
    ],
    ["curl -u admin:Cu9rlPw https://nas02/api", "authorization_header", ["nas02"], ["admin"]],
    ["PGPASSWORD=Pg9pass1x psql -h 10.0.0.5 -U app appdb", "password", ["10.0.0.5"], ["app"]],
    ['psql "host=pg01 user=report password=Pg9pass1x dbname=crm"', "password", ["pg01"], ["report"]],
    ["sqlcmd -S sql03 -U sa -P Sq1Pass!x -Q 'select 1'", "password", ["sql03"], ["sa"]],
    [
      "$c = New-Object PSCredential('CONTOSO\\svc-backup', (ConvertTo-SecureString 'Ps9!Pipe' -AsPlainText -Force)); Enter-PSSession -ComputerName fs01 -Credential $c",
      "powershell_secure_string",
      ["fs01"],
      ["contoso\\svc-backup"],
    ],
    ["echo 'root:Pr0xm0x' | chpasswd", "password", [], ["root"]],
    ["smbclient //fs02/share -U backup%Sm8Pass22", "password", ["fs02"], ["backup"]],
    [
      'curl -H "Authorization: Bearer abc123DEF456ghi789" https://api.contoso.com/v1/users',
      "authorization_header",
      ["api.contoso.com"],
      [],
    ],
    ["docker login -u deploy -p Dk9Pass!x registry.contoso.com", "password", [], ["deploy"]],
    ["sshpass -p Tr0ub4dor ssh -i ~/.ssh/ops -l ops web01.contoso.com uptime", "password", ["web01.contoso.com"], ["ops"]],
  ])("%s", (line, kind, hosts, usernames) => {
    expect(contextOf(line)).toEqual({ kind, hosts, usernames });
  });

  it("reads text redacted on the machine (markers only) the same as text it redacts itself", () => {
    const onMachine = "sshpass -p '[REDACTED:password]' ssh Administrator@DC01.contoso.local whoami";
    expect(redactionContexts(onMachine)).toEqual([{ kind: "password", hosts: ["dc01.contoso.local"], usernames: ["administrator"] }]);
  });

  it("gives one context per marker, each with its own line's names", () => {
    const text = [
      "mysql -h db01 -u root -p[REDACTED:password] crm",
      "ls -la /srv",
      "sshpass -p [REDACTED:password] ssh backup@nas01 'df -h'",
    ].join("\n");
    expect(redactionContexts(text)).toEqual([
      { kind: "password", hosts: ["db01"], usernames: ["root"] },
      { kind: "password", hosts: ["nas01"], usernames: ["backup"] },
    ]);
  });

  it("reads the keys of the lines around a config value, and only for a config value", () => {
    const env = "DB_HOST=db03\nDB_USER=webapp\nDB_PASSWORD=[REDACTED:password]\nSMTP_HOST=mail01\nAPP_NAME=crm";
    expect(redactionContexts(env)).toEqual([{ kind: "password", hosts: ["mail01", "db03"], usernames: ["webapp"] }]);
    const yaml = 'database:\n  host: "pg02.contoso.local"\n  username: app\n  password: "[REDACTED:password]"\n';
    expect(redactionContexts(yaml)).toEqual([{ kind: "password", hosts: ["pg02.contoso.local"], usernames: ["app"] }]);
    // A command reads its own line only: the host of the line above is another statement's.
    const commands = "ssh admin@web01 uptime\nmysql -u root -p[REDACTED:password] crm";
    expect(redactionContexts(commands)).toEqual([{ kind: "password", hosts: [], usernames: ["root"] }]);
  });

  it("treats escaped line breaks of raw JSONL as line breaks", () => {
    const line = JSON.stringify({ output: "ssh admin@web01 uptime\nmysql -h db01 -u root -p[REDACTED:password] crm\nDB_HOST=db09" });
    expect(redactionContexts(line)).toEqual([{ kind: "password", hosts: ["db01"], usernames: ["root"] }]);
  });

  it("reads at most 400 characters either side of a marker", () => {
    const far = `ssh admin@far01 ${"x".repeat(500)} -p[REDACTED:password] ${"y".repeat(500)} near01@host02`;
    expect(redactionContexts(far)).toEqual([{ kind: "password", hosts: [], usernames: [] }]);
  });

  it("names no host for prose after ssh, loopback addresses, versions or variables", () => {
    expect(redactionContexts("I will ssh into the server with password [REDACTED:password]")[0]?.hosts).toEqual([]);
    expect(redactionContexts("mysql -h 127.0.0.1 -u root -p[REDACTED:password]")[0]).toEqual({
      kind: "password",
      hosts: [],
      usernames: ["root"],
    });
    expect(redactionContexts("npm i left-pad@1.3.0 && TOKEN=[REDACTED:env_secret]")[0]?.hosts).toEqual([]);
    expect(redactionContexts("mysql -h $DB_HOST -u $DB_USER -p[REDACTED:password]")[0]).toEqual({
      kind: "password",
      hosts: [],
      usernames: [],
    });
  });

  it("takes no key word for an account: `password:[REDACTED...]` names nobody", () => {
    for (const text of [
      "password:[REDACTED:password]",
      "x-api-key:[REDACTED:secret_assignment]",
      "openssl enc -pass pass:[REDACTED:password]",
    ]) {
      expect(redactionContexts(text)[0]?.usernames).toEqual([]);
    }
  });

  it("finds nothing in text without markers, and stops after `max` markers", () => {
    expect(redactionContexts("ssh admin@web01 uptime")).toEqual([]);
    expect(redactionContexts("")).toEqual([]);
    const many = Array.from({ length: 50 }, (_, i) => `mysql -h db${i} -p[REDACTED:password]`).join("\n");
    expect(redactionContexts(many, 10)).toHaveLength(10);
    expect(redactionContexts(many).map((c) => c.hosts[0])).toEqual(Array.from({ length: 50 }, (_, i) => `db${i}`));
  });

  it("refuses what is not a string", () => {
    expect(() => redactionContexts(42 as unknown as string)).toThrow(TypeError);
  });

  it("never holds a secret: every planted secret, redacted, leaves none of itself in the contexts", () => {
    for (const entry of plantedSecrets()) {
      const contexts = redactionContexts(redact(`ssh admin@web01 && ${entry.line}`));
      expect(contexts.length).toBeGreaterThan(0);
      expect(JSON.stringify(contexts)).not.toContain(entry.secret);
    }
  });

  it("does bounded work on a long text full of markers: `max` markers, 400 characters either side", () => {
    const line = "mysql -h db01 -u root -p[REDACTED:password] ".repeat(50_000);
    const lines = "ssh a@b.c:[REDACTED:password] x@y.z\n".repeat(50_000);
    const started = Date.now();
    expect(redactionContexts(line)).toHaveLength(200);
    expect(redactionContexts(lines, 5_000)).toHaveLength(5_000);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("hostOf and accountOf", () => {
  it.each([
    ["DC01.Contoso.Local.", "dc01.contoso.local"],
    ["db01:3306", "db01"],
    ["tcp:sql01,1433", "sql01"],
    ["sql02\\SQLEXPRESS", "sql02"],
    ["[fe80::1]:22", "fe80::1"],
    ["'fs01'", "fs01"],
    ["10.20.30.40", "10.20.30.40"],
  ])("host %s is %s", (value, host) => {
    expect(hostOf(value)).toBe(host);
  });

  it.each(["localhost", "127.0.0.1", "0.0.0.0", "255.255.255.0", "[::1]", "1.2.3", "$HOST", "/srv", "a_b", "-x", ""])(
    "%s is no host",
    (value) => {
      expect(hostOf(value)).toBeUndefined();
    },
  );

  it.each([
    ["Administrator", "administrator"],
    ["CONTOSO\\svc-sql", "contoso\\svc-sql"],
    ["admin@contoso.com", "admin@contoso.com"],
    ["admin:[REDACTED:password]", "admin"],
    ["backup%[REDACTED:password]", "backup"],
    ["PC01$", "pc01$"],
  ])("account %s is %s", (value, account) => {
    expect(accountOf(value)).toBe(account);
  });

  it.each(["$USER", "%USERNAME%", "[REDACTED:password]", "password", "api-key", "-u", "has space", ""])("%s is no account", (value) => {
    expect(accountOf(value)).toBeUndefined();
  });
});
