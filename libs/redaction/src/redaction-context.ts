// What a redaction leaves around it: the kind of secret that went, and the hosts and accounts the
// same statement names (`sshpass -p [REDACTED:password] ssh administrator@dc01`), so memory can
// point to the vault entry that holds the secret. It reads redacted text only, so it never sees
// a secret: run it on what redactText returned, or on text redacted on the machine.

/** One redaction marker and what its statement names. */
export interface RedactionContext {
  /** The kind the marker names: password, connection_string, basic_auth_url... */
  kind: string;
  /** Host names and IP addresses, lower-case, without port or instance. */
  hosts: string[];
  /** Account names, lower-case, as written: `administrator`, `contoso\svc`, `admin@contoso.com`. */
  usernames: string[];
}

/** How far a statement reaches either side of a marker, in characters. */
const reachChars = 400;
/** Lines either side a config value's neighbours are read from (`DB_HOST=` above `DB_PASSWORD=`). */
const neighbourLines = 3;
/** At most this many hosts and accounts per marker. */
const maxNames = 10;

const markerPattern = /\[REDACTED:([a-z_]+)\]/g;

const label = String.raw`[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?`;
const hostName = String.raw`${label}(?:\.${label})*`;
const ipv6 = String.raw`\[[0-9A-Fa-f:.]{2,45}\]`;

/** scheme://[user[:password]@]host: the user and host (the password is a marker, or absent). */
const urlPattern = new RegExp(
  String.raw`\b[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/(?:(?<user>[^\s:@/?#"'\\]{0,128})(?::[^\s@/?#"'\\]{0,300})?@)?(?<host>${ipv6}|${hostName})`,
  "g",
);
/** user@host, as ssh, scp and e-mail-like logins write it (not inside a URL: urlPattern reads those). */
const userAtHostPattern = new RegExp(
  String.raw`(?<![\w.%+\\/:$@-])(?<user>[A-Za-z0-9_][\w.-]{0,63})@(?<host>${ipv6}|${hostName})(?![\w@])`,
  "g",
);
/** -h db01, --host=db01, -ComputerName dc01, /v:dc01, -u root, --username app, /user:CONTOSO\svc. */
const flagPattern =
  /(?:^|[\s"'(,])(?<flag>--?[A-Za-z][\w-]{0,30}|\/[A-Za-z]{1,12})(?:[ \t]*[=:][ \t]*|[ \t]+)["']?(?<value>[^\s"',;)]{1,300})/g;
/** mysql's attached forms: -hdb01 -uroot (only in a mysql or mariadb command). */
const attachedFlagPattern = /(?:^|\s)-(?<flag>[hu])(?<value>[A-Za-z0-9_][\w.-]{0,252})/g;
const mysqlCommand = /\b(?:mysql\w*|mariadb[\w-]*|mycli)\b/i;
/** Server=sql01; User Id=sa; DB_HOST=db01; "host": "db01"; host: db01. */
const keyValuePattern =
  /(?<![\w.-])["']?(?<key>[A-Za-z_][A-Za-z0-9_]*(?:[ .-][A-Za-z0-9_]+){0,2})["']?[ \t]*[=:][ \t]*["'{]?(?<value>[^\s"';,{}]{1,300})/g;
/** \\fs01\share and //fs01/share. */
const shareHostPattern = new RegExp(String.raw`(?:^|[\s"'(=])(?:\\\\|//)(?<host>${hostName})[\\/]`, "g");
/** user:[REDACTED...] and user%[REDACTED...] (curl -u, chpasswd, smbclient -U). */
const userBeforeMarkerPattern = /(?<![\w.\\-])(?<user>[A-Za-z_][\w.\\-]{0,63})[:%]\[REDACTED:/g;
/** New-Object PSCredential('CONTOSO\svc', ...). */
const psCredentialPattern = /PSCredential\s*\(\s*["'](?<user>[^"'\s]{1,128})["']/gi;
/** Commands whose first argument that is not an option is the host: ssh dc01, Enter-PSSession dc01. */
const remoteCommandPattern =
  /(?:^|[\s"'(;&|])(?<command>ssh|sftp|mosh|telnet|ftp|rdesktop|Enter-PSSession|New-PSSession)[ \t]+(?<rest>[^\n\r;&|]{1,300})/gi;
const ipv4Pattern = /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g;

/** ssh options that take an argument (the next word is not the destination). */
const sshOptionsWithArgument = new Set("BbcDEeFIiJLlmOoPpQRSWw".split(""));

/** The last word of a flag or key that says its value is a host, or an account. */
const hostWords = new Set(
  "host hostname server servername computername serverinstance fqdn ip ipaddress address addr datasource sqlinstance".split(" "),
);
const userWords = new Set(["user", "username", "userid", "uid", "login", "loginname", "account", "accountname", "runas"]);
/** Short flags whose case matters: -h and -S (sqlcmd) name a host, -u, -U and -l an account. */
const shortHostFlags = new Set(["-h", "-S", "/v", "/server"]);
const shortUserFlags = new Set(["-u", "-U", "-l", "/u", "/user"]);
/** Words a key or flag ends with that make it a host or account key even when run together: PGHOST, MYSQL_USER. */
const hostSuffixes = ["host", "hostname", "server", "servername", "datasource", "computername", "serverinstance"];
const userSuffixes = ["user", "username", "userid", "loginname"];

/** Keys and flags that name a secret: never a host or account key, whatever they end with. */
const secretWord = /pass|pwd|secret|token|key|auth|bearer|cred|salt/i;
/** Accounts that are key words: `password:[REDACTED...]` and `x-api-key:[REDACTED...]` name no user. */
const secretAccount = /(?:^|[-_.])(?:pass\w*|pwd|pw|secret|token|api[-_]?key|key|bearer|basic|auth\w*|credentials?|salt)$/i;
/** Words prose puts after "ssh" or "telnet" that are no host: "ssh into the server". */
const notHosts = new Set(
  "to into onto the a an on in with and as via from is it then again there back server host session key keys".split(" "),
);

/**
 * For each redaction marker in `redacted`, its kind and the hosts and accounts its statement (the
 * line it is on, at most 400 characters either side) names; a config value (`DB_PASSWORD=[...]`)
 * also reads the keys of the lines around it. In order of the markers, at most `max` of them.
 */
export function redactionContexts(redacted: string, max = 200): RedactionContext[] {
  if (typeof redacted !== "string") throw new TypeError("redactionContexts expects a string");
  const contexts: RedactionContext[] = [];
  // A line with several markers is read once.
  const byLine = new Map<number, { hosts: string[]; usernames: string[] }>();
  for (const marker of redacted.matchAll(markerPattern)) {
    if (contexts.length >= max) break;
    const start = marker.index;
    const end = start + marker[0].length;
    const line = lineAround(redacted, start, end);
    let names = byLine.get(line.start);
    if (names === undefined) {
      names = namesAround(redacted, line, start);
      byLine.set(line.start, names);
    }
    contexts.push({ kind: marker[1] ?? "", hosts: [...names.hosts], usernames: [...names.usernames] });
  }
  return contexts;
}

interface Span {
  start: number;
  end: number;
}

/** The hosts and accounts of a marker's line, and of its neighbours when it is a config value. */
function namesAround(text: string, line: Span, markerStart: number): { hosts: string[]; usernames: string[] } {
  const names = new Names();
  readStatement(text.slice(line.start, line.end), names);
  if (isConfigValue(text.slice(line.start, markerStart))) {
    let above: Span | undefined = line;
    let below: Span | undefined = line;
    for (let i = 0; i < neighbourLines; i++) {
      above = above && lineBefore(text, above);
      below = below && lineAfter(text, below);
      for (const neighbour of [above, below]) if (neighbour) readKeys(text.slice(neighbour.start, neighbour.end), names);
    }
  }
  return { hosts: names.hosts.slice(0, maxNames), usernames: names.usernames.slice(0, maxNames) };
}

/** `DB_PASSWORD=`, `password: '`, `"password": "`: a key and nothing else before the marker. */
function isConfigValue(beforeMarker: string): boolean {
  return /^\s*(?:export\s+|-\s+)?["']?[\w.-]{1,80}["']?\s*[:=]\s*["']?$/.test(beforeMarker);
}

/** Everything the statement says: URLs, user@host, options, keys, shares, remote commands, IP addresses. */
function readStatement(statement: string, names: Names): void {
  readKeys(statement, names);
  for (const match of statement.matchAll(userAtHostPattern)) {
    names.addHost(match.groups?.["host"]);
    names.addUser(match.groups?.["user"]);
  }
  for (const match of statement.matchAll(flagPattern)) readFlag(match.groups?.["flag"] ?? "", match.groups?.["value"] ?? "", names);
  if (mysqlCommand.test(statement)) {
    for (const match of statement.matchAll(attachedFlagPattern))
      readFlag(`-${match.groups?.["flag"]}`, match.groups?.["value"] ?? "", names);
  }
  for (const match of statement.matchAll(shareHostPattern)) names.addHost(match.groups?.["host"]);
  for (const match of statement.matchAll(userBeforeMarkerPattern)) names.addUser(match.groups?.["user"]);
  for (const match of statement.matchAll(psCredentialPattern)) names.addUser(match.groups?.["user"]);
  for (const match of statement.matchAll(remoteCommandPattern))
    readRemoteCommand(match.groups?.["command"] ?? "", match.groups?.["rest"] ?? "", names);
  for (const match of statement.matchAll(ipv4Pattern)) names.addHost(match[0]);
}

/** What keys and URLs say: all a neighbouring line of a config value is read for. */
function readKeys(text: string, names: Names): void {
  for (const match of text.matchAll(urlPattern)) {
    names.addHost(match.groups?.["host"]);
    names.addUser(match.groups?.["user"]);
  }
  for (const match of text.matchAll(keyValuePattern)) {
    const role = roleOfName(match.groups?.["key"] ?? "");
    if (role === "host") names.addHost(match.groups?.["value"]);
    else if (role === "user") names.addUser(match.groups?.["value"]);
  }
}

function readFlag(flag: string, value: string, names: Names): void {
  if (value.startsWith("-") || /^[A-Za-z][\w+.-]*:\/\//.test(value)) return;
  const role = shortHostFlags.has(flag)
    ? "host"
    : shortUserFlags.has(flag)
      ? "user"
      : flag.replace(/^[-/]+/, "").length > 1
        ? roleOfName(flag)
        : undefined;
  if (role === "host") names.addHost(value);
  else if (role === "user") names.addUser(value);
}

/** ssh [options] [user@]host, telnet host, Enter-PSSession host: the first word that is not an option. */
function readRemoteCommand(command: string, rest: string, names: Names): void {
  const words = rest.trim().split(/[ \t]+/);
  const ssh = /^(?:ssh|sftp|mosh)$/i.test(command);
  for (let i = 0; i < words.length; i++) {
    const word = (words[i] ?? "").replace(/^["']|["']$/g, "");
    if (word.startsWith("-")) {
      if (ssh && word.length === 2 && sshOptionsWithArgument.has(word.charAt(1))) {
        if (word === "-l") names.addUser(words[i + 1]);
        i++;
      } else if (!ssh) i++;
      continue;
    }
    const at = word.lastIndexOf("@");
    if (notHosts.has(word.slice(at + 1).toLowerCase())) return;
    if (at > 0) names.addUser(word.slice(0, at));
    names.addHost(word.slice(at + 1));
    return;
  }
}

/** Whether a key or flag name says its value is a host or an account: DB_HOST, --db-user, User Id, PGHOST. */
function roleOfName(name: string): "host" | "user" | undefined {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
  const last = words.at(-1) ?? "";
  const joined = words.join("");
  if (secretWord.test(joined)) return undefined;
  if (hostWords.has(last) || hostWords.has(joined) || hostSuffixes.some((suffix) => joined.endsWith(suffix))) return "host";
  if (userWords.has(last) || userWords.has(joined) || userSuffixes.some((suffix) => joined.endsWith(suffix))) return "user";
  return undefined;
}

/** Hosts and accounts found, each once, in the order found. */
class Names {
  readonly hosts: string[] = [];
  readonly usernames: string[] = [];

  addHost(value: string | undefined): void {
    const host = value === undefined ? undefined : hostOf(value);
    if (host !== undefined && !this.hosts.includes(host)) this.hosts.push(host);
  }

  addUser(value: string | undefined): void {
    const user = value === undefined ? undefined : accountOf(value);
    if (user !== undefined && !this.usernames.includes(user)) this.usernames.push(user);
  }
}

const hostNamePattern = new RegExp(String.raw`^${hostName}$`);
const ipv4Only = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * A host as the vault keeps it (lower-case, no port, instance or brackets), or undefined for what
 * is not one: loopback and unspecified addresses, version numbers, variables, paths.
 */
export function hostOf(value: string): string | undefined {
  let host = value.trim().replace(/^["'(]+|["'\\).,]+$/g, "");
  host = host.replace(/^(?:tcp|np|lpc):/i, "");
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::\d+)?$/.exec(host);
  if (bracketed?.[1] !== undefined) {
    const address = bracketed[1].toLowerCase();
    return address.includes(":") && address !== "::1" && address !== "::" ? address : undefined;
  }
  host = host
    .replace(/[\\/].*$/, "")
    .replace(/[:,]\d{1,5}$/, "")
    .replace(/\.$/, "")
    .toLowerCase();
  if (host === "" || host.length > 253 || !hostNamePattern.test(host)) return undefined;
  if (ipv4Only.test(host)) {
    return /^(?:127\.|0\.|255\.)/.test(host) ? undefined : host;
  }
  // A name needs a letter, and its last label cannot be a number (1.2.3 is a version).
  if (!/[a-z]/.test(host) || /(?:^|\.)\d+$/.test(host)) return undefined;
  return host === "localhost" || host.endsWith(".localhost") ? undefined : host;
}

/** An account name as written (lower-case), or undefined for variables, options, markers and key words. */
export function accountOf(value: string): string | undefined {
  let user = value.trim().replace(/^["'(]+|["'\\).,]+$/g, "");
  // user:password and user%password forms (the password is a marker by now).
  user = user.replace(/[:%].*$/, "");
  if (!/^[A-Za-z0-9_][\w.$@\\-]{0,127}$/.test(user) || secretAccount.test(user)) return undefined;
  return user.toLowerCase();
}

/** The line around [start, end): up to a line break (plain, or escaped inside JSON), at most reachChars either side. */
function lineAround(text: string, start: number, end: number): Span {
  let from = start;
  const floor = Math.max(0, start - reachChars);
  while (from > floor && !isBreakBefore(text, from)) from--;
  let to = end;
  const ceiling = Math.min(text.length, end + reachChars);
  while (to < ceiling && !isBreakAt(text, to)) to++;
  return { start: from, end: to };
}

/** Whether a line break ends just before `index`. */
function isBreakBefore(text: string, index: number): boolean {
  const before = text.charAt(index - 1);
  if (before === "\n" || before === "\r") return true;
  return (before === "n" || before === "r") && text.charAt(index - 2) === "\\";
}

/** Whether a line break starts at `index`. */
function isBreakAt(text: string, index: number): boolean {
  const char = text.charAt(index);
  if (char === "\n" || char === "\r") return true;
  return char === "\\" && (text.charAt(index + 1) === "n" || text.charAt(index + 1) === "r");
}

/** The line before `line`, or undefined at the start of the text. */
function lineBefore(text: string, line: Span): Span | undefined {
  let end = line.start;
  if (end === 0 || !isBreakBefore(text, end)) return undefined;
  const plain = text.charAt(end - 1) === "\n" || text.charAt(end - 1) === "\r";
  end -= plain ? 1 : 2;
  if (plain && text.charAt(end - 1) === "\r" && text.charAt(end) === "\n") end -= 1;
  return lineAround(text, end, end);
}

/** The line after `line`, or undefined at the end of the text. */
function lineAfter(text: string, line: Span): Span | undefined {
  let start = line.end;
  if (start >= text.length || !isBreakAt(text, start)) return undefined;
  if (text.charAt(start) === "\r" && text.charAt(start + 1) === "\n") start += 2;
  else start += text.charAt(start) === "\\" ? 2 : 1;
  return lineAround(text, start, start);
}
