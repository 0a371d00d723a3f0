import { redact, redactText } from "./index";

// Passwords of system accounts and passwords stated in words: what provisioning scripts, runbooks
// and technicians' prompts hold. Only the password goes; the command, the user and the host stay.

/** Redacts `text` plain and as the string of a raw JSONL record (which must still parse to the same result). */
function bothWays(text: string): string {
  const plain = redact(text);
  const line = redact(JSON.stringify({ type: "user", message: { content: text } }));
  expect((JSON.parse(line) as { message: { content: string } }).message.content).toBe(plain);
  return plain;
}

describe("system account passwords", () => {
  it.each([
    ["echo 'root:Pr0xm0x' | chpasswd", "echo 'root:[REDACTED:password]' | chpasswd"],
    ['echo "liveuser:live" | chpasswd', 'echo "liveuser:[REDACTED:password]" | chpasswd'],
    [
      'echo -e "root:Pw1x9\\nadmin:Pw2y8" | sudo chpasswd',
      'echo -e "root:[REDACTED:password]\\nadmin:[REDACTED:password]" | sudo chpasswd',
    ],
    [
      "chpasswd <<EOF\nbob:Bob-pw-1\nalice:Alice-pw-2\nEOF\necho done",
      "chpasswd <<EOF\nbob:[REDACTED:password]\nalice:[REDACTED:password]\nEOF\necho done",
    ],
    ["cat <<'END' | sudo chpasswd\nroot:toor9\nEND", "cat <<'END' | sudo chpasswd\nroot:[REDACTED:password]\nEND"],
    [
      "newusers <<EOF\nsvc:Svc-pw-9:1001:1001::/home/svc:/bin/bash\nEOF",
      "newusers <<EOF\nsvc:[REDACTED:password]:1001:1001::/home/svc:/bin/bash\nEOF",
    ],
    ["(echo Smb9pw; echo Smb9pw) | smbpasswd -s -a bob", "(echo [REDACTED:password]; echo [REDACTED:password]) | smbpasswd -s -a bob"],
    ["printf 'Pass1x\\nPass1x\\n' | passwd bob", "printf '[REDACTED:password]\\n[REDACTED:password]\\n' | passwd bob"],
    ["useradd -m -p '$6$abc$def' deploy", "useradd -m -p '[REDACTED:password]' deploy"],
    ["usermod -p hunter bob", "usermod -p [REDACTED:password] bob"],
    ["openssl passwd -6 -salt xyz Hunter2x", "openssl passwd -6 -salt xyz [REDACTED:password]"],
    ["mkpasswd -m sha-512 Hunter2x", "mkpasswd -m sha-512 [REDACTED:password]"],
    ['htpasswd -bnBC 10 "" Hunter2x', 'htpasswd -bnBC 10 "" [REDACTED:password]'],
    ["htpasswd -b /etc/nginx/.htpasswd ops hunter", "htpasswd -b /etc/nginx/.htpasswd ops [REDACTED:password]"],
    [`ops:$apr1$abcdefgh$${"a".repeat(22)}`, "ops:[REDACTED:password_hash]"],
    ["net user bob Secr3t! /add", "net user bob [REDACTED:password] /add"],
    ['NET USER "John Doe" hunter /add /domain', 'NET USER "John Doe" [REDACTED:password] /add /domain'],
    ["net use Z: \\\\fs01\\share P@ss1 /user:CONTOSO\\bob", "net use Z: \\\\fs01\\share [REDACTED:password] /user:CONTOSO\\bob"],
    ["net use \\\\fs01\\ipc$ /user:bob Pw-9x", "net use \\\\fs01\\ipc$ /user:bob [REDACTED:password]"],
    ["cmdkey /generic:srv01 /user:bob /pass:Pa55w0rd", "cmdkey /generic:srv01 /user:bob /pass:[REDACTED:password]"],
    ["xfreerdp /v:10.0.0.5 /u:admin /p:Adm1n! /cert:ignore", "xfreerdp /v:10.0.0.5 /u:admin /p:[REDACTED:password] /cert:ignore"],
    ["plink -pw hunter2 root@host uptime", "plink -pw [REDACTED:password] root@host uptime"],
    [
      "ipmitool -I lanplus -H 10.0.0.9 -U ADMIN -P adminpw sensor",
      "ipmitool -I lanplus -H 10.0.0.9 -U ADMIN -P [REDACTED:password] sensor",
    ],
    ["sqlplus scott/tiger@orcl", "sqlplus scott/[REDACTED:password]@orcl"],
    ["machine github.com\n  login bob\n  password Gh-pw-9x", "machine github.com\n  login bob\n  password [REDACTED:password]"],
    [
      "db.internal:5432:app:app:Pg9secret\n*:*:*:postgres:pw9",
      "db.internal:5432:app:app:[REDACTED:password]\n*:*:*:postgres:[REDACTED:password]",
    ],
  ])("%s", (input, expected) => {
    expect(bothWays(input)).toBe(expected);
  });

  it("keeps what only looks like user:password or a password's place", () => {
    for (const text of [
      "chown bob:staff /srv/www && chmod 750 /srv/www",
      "curl http://host:8080/health && ssh -p 2222 admin@host",
      "docker run -p 8080:80 -u 1000:1000 nginx",
      "net user bob",
      "net user bob /delete",
      "net user bob * /add",
      "cat users.txt | chpasswd",
      "echo $PAIR | chpasswd",
      "openssl passwd -6 -stdin",
      "sqlplus / as sysdba",
      "fe80:12:34:56:789a",
      "10:20:30:40:50",
      "grep root /etc/passwd | cut -d: -f1",
    ]) {
      expect(redactText(text)).toEqual({ text, redactions: [], total: 0 });
    }
  });
});

describe("letters-only passwords on command lines", () => {
  it.each([
    ["mysql -u root -p'hunter' crm", "mysql -u root -p'[REDACTED:password]' crm"],
    ["mysql -u root -phunter crm", "mysql -u root -p[REDACTED:password] crm"],
    ["sshpass -p hunter ssh root@web01 uptime", "sshpass -p [REDACTED:password] ssh root@web01 uptime"],
    ["PGPASSWORD=hunter psql -h db -U app app", "PGPASSWORD=[REDACTED:password] psql -h db -U app app"],
    ["MYSQL_PWD=hunter mysql -u root", "MYSQL_PWD=[REDACTED:password] mysql -u root"],
    ["SSHPASS=hunter sshpass -e ssh root@web01", "SSHPASS=[REDACTED:password] sshpass -e ssh root@web01"],
  ])("%s", (input, expected) => {
    expect(bothWays(input)).toBe(expected);
  });

  it("still keeps `-p` without a value and prose after a password key", () => {
    for (const text of ["mysql -u root -p crm", "Password: Use your DigitalOcean root password", "password: see the vault"])
      expect(redact(text)).toBe(text);
  });
});

describe("passwords stated in words", () => {
  it.each([
    ["the wifi password is Sunshine42.", "the wifi password is [REDACTED:password]."],
    ["The wifi password is hunter", "The wifi password is [REDACTED:password]"],
    ["password: hunter", "password: [REDACTED:password]"],
    ["pw = hunter", "pw = [REDACTED:password]"],
    ["the password for admin on the router is Zx81!abc", "the password for admin on the router is [REDACTED:password]"],
    ["the password for the NAS: Nas-2025x", "the password for the NAS: [REDACTED:password]"],
    ["I changed the password to Rt5-kl9x yesterday", "I changed the password to [REDACTED:password] yesterday"],
    ["the passphrase is now Blue-Horse-7", "the passphrase is now [REDACTED:password]"],
    ["The SIM PIN is 4711.", "The SIM PIN is [REDACTED:password]."],
    ["WPA key is Fr1tzBox!", "WPA key is [REDACTED:password]"],
  ])("%s", (input, expected) => {
    expect(bothWays(input)).toBe(expected);
  });

  it.each([
    "The password is wrong.",
    "the password is stored in the vault",
    "the password is 8 characters long",
    "the password is required",
    "the password was changed yesterday",
    "Your password is too short",
    "the password to access the router is in 1Password",
    "pin is set",
    "the spin is 4711",
    "pwd is /home/tech",
  ])("keeps %s", (text) => {
    expect(redactText(text)).toEqual({ text, redactions: [], total: 0 });
  });
});
