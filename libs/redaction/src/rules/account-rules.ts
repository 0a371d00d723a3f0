import { isPlaceholder } from "../secret-shape";
import {
  charBefore,
  commandBefore,
  keyStart,
  secretRule,
  startsToken,
  type Candidate,
  type SecretPart,
  type SecretRule,
} from "../secret-rule";
import { optionalQuote, quotedSecret, secretValue } from "../pattern-parts";
import { linesFrom } from "../text-lines";
import { isCommandSecret, isTypedSecret } from "./value-checks";

// Passwords of system accounts, as scripts and runbooks set them: chpasswd and newusers input
// (`user:password` lines piped in or in a here-document), passwords piped into passwd and
// smbpasswd, Windows `net user` / `net use` / `cmdkey`, `openssl passwd` and `mkpasswd`,
// PuTTY's `-pw`, FreeRDP's `/p:`, Oracle's `user/password@db`, and the lines of .netrc and
// .pgpass files. The command, the user and the host stay; only the password goes.

function accountRule(name: string, source: string, flags: string, accept: (c: Candidate) => boolean): SecretRule {
  return secretRule({ name, kind: "password", pattern: new RegExp(source, `gd${flags}`), accept });
}

/** A value that does not start like an option (`/add`, `-m`) or a prompt (`*`). */
const optionFreeValue = String.raw`(?:${quotedSecret()}|(?<s_b>[^\s"'\\/*-](?:[^\s"'\\]|\\\\){0,255}))`;

/** Lines read from a here-document, at most. */
const maxHereDocLines = 200;

/** What a program reads on stdin: `user:password` pairs (chpasswd, newusers) or bare passwords (passwd, smbpasswd). */
type StdinShape = "pairs" | "passwords";

function shapeOf(program: string): StdinShape {
  return /^(?:chpasswd|newusers)$/.test(program) ? "pairs" : "passwords";
}

/** The secret parts of one line of input: the password field of a pair, or the whole line. */
function secretOfLine(text: string, start: number, end: number, shape: StdinShape): SecretPart | undefined {
  let from = start;
  while (from < end && /[ \t]/.test(text.charAt(from))) from++;
  let to = end;
  while (to > from && /[ \t]/.test(text.charAt(to - 1))) to--;
  if (shape === "pairs") {
    const colon = text.indexOf(":", from);
    if (colon === -1 || colon >= to || !/^[A-Za-z_][\w.$-]{0,63}$/.test(text.slice(from, colon))) return undefined;
    from = colon + 1;
    const next = text.indexOf(":", from); // newusers: name:password:uid:gid:gecos:home:shell
    if (next !== -1 && next < to) to = next;
  }
  const secret = text.slice(from, to);
  if (secret === "" || /^[*!]+$/.test(secret) || isPlaceholder(secret)) return undefined;
  return { start: from, end: to };
}

/** Splits an echo/printf argument at its line breaks: `\n` as the shell reads it, plain or JSON-escaped, and real ones. */
function argumentLines(text: string, start: number, end: number): Array<[number, number]> {
  const lines: Array<[number, number]> = [];
  const breaks = /\\\\n|\\n|\r?\n/g;
  breaks.lastIndex = start;
  let from = start;
  for (let found = breaks.exec(text); found && found.index < end; found = breaks.exec(text)) {
    lines.push([from, found.index]);
    from = found.index + found[0].length;
  }
  lines.push([from, end]);
  return lines;
}

/** The argument of `echo`/`printf` that ends right before `end` (`echo -e "a:b\nc:d"`), without quotes. */
const echoArgument = new RegExp(
  String.raw`(?:echo|printf)[ \t]+(?:-[neE]{1,3}[ \t]+)?(?:\\"(?<q1>(?:[^"\\\r\n]|\\\\.|\\[nrt]){1,2048}?)\\"|"(?<q2>(?:[^"\\\r\n]|\\.){1,2048}?)"|'(?<q3>[^'\r\n]{1,2048})'|(?<bare>[^\s"'\\|;&()]{1,1024}))[ \t]*;?[ \t]*$`,
  "d",
);

/** `(echo pw; echo pw)` before a pipe: the two arguments. */
const echoGroupPattern = new RegExp(
  String.raw`\([ \t]*(?:echo|printf)[ \t]+${optionalQuote}(?<a>[^\s"'\\;()]{1,256})${optionalQuote}[ \t]*;[ \t]*(?:echo|printf)[ \t]+${optionalQuote}(?<b>[^\s"'\\;()]{1,256})${optionalQuote}[ \t]*;?[ \t]*\)[ \t]*$`,
  "d",
);

/** The secrets an echo, printf or `(echo; echo)` pipes into a program at `pipeIndex`. */
function pipedSecrets(text: string, pipeIndex: number, shape: StdinShape): SecretPart[] {
  const windowStart = Math.max(0, pipeIndex - 2100);
  const window = text.slice(windowStart, pipeIndex);
  const group = echoGroupPattern.exec(window);
  if (group?.indices?.groups) {
    return (["a", "b"] as const).flatMap((name) => {
      const [start, end] = group.indices!.groups![name]!;
      const part = secretOfLine(text, windowStart + start, windowStart + end, shape);
      return part ? [part] : [];
    });
  }
  const echo = echoArgument.exec(window);
  if (!echo?.indices?.groups) return [];
  const bounds = ["q1", "q2", "q3", "bare"].map((name) => echo.indices!.groups![name]).find((found) => found !== undefined);
  if (!bounds || !startsToken(window, echo.index)) return [];
  return argumentLines(text, windowStart + bounds[0], windowStart + bounds[1]).flatMap(([start, end]) => {
    const part = secretOfLine(text, start, end, shape);
    return part ? [part] : [];
  });
}

/** The input lines of a here-document whose body starts at `bodyStart`, up to its `tag` line. */
function hereDocSecrets(text: string, bodyStart: number, tag: string, shape: StdinShape): SecretPart[] {
  const parts: SecretPart[] = [];
  // passwd and smbpasswd read a password and its confirmation; chpasswd and newusers a pair per line.
  const maxLines = shape === "pairs" ? maxHereDocLines : 4;
  for (const line of linesFrom(text, bodyStart, maxLines)) {
    const body = text.slice(line.start, line.end).trim();
    if (body === tag) return parts;
    if (body === "") continue;
    const part = secretOfLine(text, line.start, line.end, shape);
    // A line that is no input of this shape: the here-document is something else, or ended unseen.
    if (!part) return parts;
    parts.push(part);
  }
  return parts; // no end tag within reach: a cut transcript; what was there is input all the same
}

const stdinPrograms = "chpasswd|newusers|smbpasswd|passwd";
const sudo = String.raw`(?:sudo(?:[ \t]+-[A-Za-z]{1,10})*[ \t]+)?`;

export const accountRules: readonly SecretRule[] = [
  secretRule({
    // echo -e "root:pw1\nadmin:pw2" | chpasswd, (echo pw; echo pw) | smbpasswd -s -a bob, printf 'pw\npw\n' | passwd bob
    name: "piped-account-input",
    kind: "password",
    pattern: new RegExp(String.raw`\|[ \t]*${sudo}(?<s_1>${stdinPrograms})(?![\w.-])`, "gd"),
    split: (candidate) => pipedSecrets(candidate.text, candidate.match.index, shapeOf(candidate.secret)),
  }),
  secretRule({
    // chpasswd <<EOF\nbob:pw\nEOF, newusers << 'END' ...
    name: "account-here-document",
    kind: "password",
    pattern: new RegExp(
      String.raw`(?<s_1>${stdinPrograms})(?:[ \t]+-{1,2}[A-Za-z-]{1,20}(?:[ \t]+[A-Z0-9-]{1,20})?)*[ \t]*<<-?[ \t]*(?<q>\\?["']?)(?<tag>[A-Za-z_][\w-]{0,30})\k<q>[^\r\n\\]{0,200}(?:\r?\n|(?:\\r)?\\n)`,
      "gd",
    ),
    accept: (candidate) => startsToken(candidate.text, candidate.match.index),
    split: (candidate) => {
      const { text, match } = candidate;
      return hereDocSecrets(text, match.index + match[0].length, match.groups?.["tag"] ?? "", shapeOf(candidate.secret));
    },
  }),
  secretRule({
    // cat <<EOF | chpasswd\nbob:pw\nEOF
    name: "account-here-document-piped",
    kind: "password",
    pattern: new RegExp(
      String.raw`<<-?[ \t]*(?<q>\\?["']?)(?<tag>[A-Za-z_][\w-]{0,30})\k<q>[ \t]*\|[ \t]*${sudo}(?<s_1>${stdinPrograms})(?![\w.-])[^\r\n\\]{0,200}(?:\r?\n|(?:\\r)?\\n)`,
      "gd",
    ),
    split: (candidate) => {
      const { text, match } = candidate;
      return hereDocSecrets(text, match.index + match[0].length, match.groups?.["tag"] ?? "", shapeOf(candidate.secret));
    },
  }),
  accountRule(
    // net user bob P@ss /add, NET USER "John Doe" pw /domain (a `*` asks for it instead)
    "net-user",
    String.raw`net1?[ \t]+user[ \t]+(?:\\"[^"\\\r\n]{1,64}\\"|"[^"\r\n]{1,64}"|[^\s"'/\\]{1,64})[ \t]+${optionFreeValue}`,
    "i",
    (candidate) => startsToken(candidate.text, candidate.match.index) && isCommandSecret(candidate),
  ),
  accountRule(
    // net use Z: \\fs01\share P@ss /user:CONTOSO\bob, net use \\fs01\ipc$ /user:bob P@ss
    "net-use",
    String.raw`net[ \t]+use[ \t]+(?:[A-Za-z]:[ \t]+|\*[ \t]+)?(?:\\|/){2}[^\s"']{1,256}(?:[ \t]+/[A-Za-z]{1,12}(?::[^\s"']{1,256})?){0,4}[ \t]+${optionFreeValue}`,
    "i",
    (candidate) => startsToken(candidate.text, candidate.match.index) && isCommandSecret(candidate),
  ),
  accountRule(
    // cmdkey /generic:host /user:bob /pass:pw, runas-style tools
    "windows-pass-switch",
    String.raw`/pass(?:word)?:${secretValue()}`,
    "i",
    (candidate) =>
      /(?:^|[\s"'(])cmdkey(?:\.exe)?(?![\w-])/i.test(commandBefore(candidate.text, candidate.match.index)) && isCommandSecret(candidate),
  ),
  accountRule(
    // xfreerdp /v:host /u:admin /p:pw
    "freerdp-password",
    String.raw`[ \t]/p:${secretValue()}`,
    "",
    (candidate) =>
      /(?:^|[\s"'(/])(?:x|wl|sdl-)?freerdp3?(?![\w-])/.test(commandBefore(candidate.text, candidate.match.index)) &&
      isCommandSecret(candidate),
  ),
  accountRule(
    // plink -pw pw root@host, pscp -pw pw file host:
    "putty-password",
    String.raw`[ \t]-pw[ \t]+${secretValue()}`,
    "",
    (candidate) =>
      /(?:^|[\s"'(/\\])(?:plink|pscp|psftp|putty)(?:\.exe)?(?![\w-])/i.test(commandBefore(candidate.text, candidate.match.index)) &&
      isCommandSecret(candidate),
  ),
  accountRule(
    // openssl passwd -6 -salt xyz pw, mkpasswd -m sha-512 pw
    "hash-a-password",
    String.raw`(?:openssl[ \t]+passwd|mkpasswd)(?:[ \t]+(?:-(?:salt|m|-method|S|-salt|R|-rounds|in)[ \t=]+[^\s"'\\]{1,64}|-(?!(?:salt|m|-method|S|-salt|R|-rounds|in)(?:[ \t=]|$))[A-Za-z0-9-]{1,12}))*[ \t]+${optionFreeValue}`,
    "",
    (candidate) => startsToken(candidate.text, candidate.match.index) && isCommandSecret(candidate),
  ),
  accountRule(
    // sqlplus scott/tiger@orcl, expdp system/pw@db, rman target sys/pw@cdb
    "oracle-user-password",
    String.raw`(?:sqlplus|rman|expdp|impdp|sqlldr|dgmgrl)(?:[ \t]+(?:-[A-Za-z]{1,10}|target|auxiliary|catalog|userid=))*[ \t]+${optionalQuote}[A-Za-z_$#][\w$#]{0,127}/(?<s_1>[^\s@/"'\\]{1,256})(?=@|[ \t]|\\?["']|$|\\n|\n)`,
    "i",
    (candidate) => startsToken(candidate.text, candidate.match.index) && isCommandSecret(candidate),
  ),
  accountRule(
    // .netrc: machine host login bob password pw (on one line or several)
    "netrc-password",
    String.raw`password[ \t]+${secretValue()}`,
    "",
    (candidate) => {
      const { text, match } = candidate;
      const before = text.slice(Math.max(0, match.index - 400), match.index);
      return (
        /(?:^|[\s"]|\\n)(?:machine|default)(?:\s|\\[nrt])[\s\S]{0,300}?login(?:\s|\\[nrt])+[^\s\\]{1,128}(?:\s|\\[nrt])+$/.test(before) &&
        isTypedSecret(candidate, 1)
      );
    },
  ),
  secretRule({
    // .pgpass: hostname:port:database:username:password
    name: "pgpass-line",
    kind: "password",
    pattern:
      /:(?:\d{2,5}|\*):(?<db>[\w.*-]{1,63}):(?<user>[\w.*@-]{1,63}):(?<s_1>[^\s:"'\\]{1,256})(?=[ \t]*(?:\r?\n|(?:\\r)?\\n|\\?["']|$))/dg,
    accept: (candidate) => {
      const { text, match } = candidate;
      const hostStart = keyStart(text, match.index, /[\w.*-]/);
      const host = text.slice(hostStart, match.index);
      return (
        /^(?:[\s'"]|)$/.test(charBefore(text, hostStart)) &&
        /^(?:\*|localhost|[A-Za-z0-9][\w-]*(?:\.[\w-]+)+|[A-Za-z][\w-]*)$/.test(host) &&
        // IPv6 addresses have colons too: their groups are hex digits, a database and a user are names.
        /[g-z_*]/i.test(`${match.groups?.["db"] ?? ""}${match.groups?.["user"] ?? ""}`) &&
        isCommandSecret(candidate)
      );
    },
  }),
];
