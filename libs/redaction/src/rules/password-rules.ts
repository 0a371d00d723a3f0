import { charBefore, commandBefore, isKeyWordAt, keyStart, secretRule, startsToken, type Candidate, type SecretRule } from "../secret-rule";
import { assignmentSeparator, bareSecret, flagSeparator, optionalQuote, quotedSecret, secretValue } from "../pattern-parts";
import { isCommandSecret, isTypedSecret, isVariableNamedLikeSecret } from "./value-checks";

// Passwords typed into commands, configuration and prose. The command, flag or key stays, so
// `mysql -u root -pS3cret db` becomes `mysql -u root -p[REDACTED:password] db`. Patterns start on
// the rarest part (the option, the key word); code then checks the command or key around it.

function passwordRule(name: string, source: string, flags: string, accept: (c: Candidate) => boolean): SecretRule {
  return secretRule({ name, kind: "password", pattern: new RegExp(source, `gd${flags}`), accept });
}

/** Options whose value is a password, for these commands only; all read by one pattern below. */
interface CommandPasswordOption {
  option: string;
  gap: "attached" | "spaced" | "either";
  command: RegExp;
}

const commandPasswordOptions: readonly CommandPasswordOption[] = (
  [
    { option: "p", gap: "attached", command: /mysql\w*|mariadb(?:-\w+)?|mycli/ },
    { option: "p", gap: "either", command: /sshpass/ },
    { option: "p", gap: "spaced", command: /(?:docker|podman|buildah|skopeo|nerdctl|helm(?:[ \t]+registry)?|oras|az|cf)[ \t]+login/ },
    { option: "p", gap: "spaced", command: /mongo(?:sh|dump|restore|export|import|stat|top)?/ },
    { option: "a", gap: "spaced", command: /redis-cli|valkey-cli|keydb-cli/ },
    { option: "P", gap: "either", command: /sqlcmd|bcp|osql|isql/ },
    { option: "w", gap: "spaced", command: /ldap(?:search|add|modify|delete|passwd|whoami|modrdn)/ },
    { option: "P", gap: "spaced", command: /zip|unzip|7za?/ },
    { option: "p", gap: "spaced", command: /useradd|usermod|groupadd|groupmod|rdesktop/ },
    { option: "P", gap: "spaced", command: /ipmitool/ },
  ] satisfies CommandPasswordOption[]
).map(({ option, gap, command }) => ({ option, gap, command: new RegExp(String.raw`(?:^|[\s"'(/])(?:${command.source})(?![\w-])`) }));

/** `mysql -u root -pS3cret`, `sshpass -p pw ssh ...`, `docker login -u me -p pw`, `redis-cli -a pw`. */
function isCommandPasswordOption(candidate: Candidate): boolean {
  const option = candidate.match.groups?.["option"] ?? "";
  const gap = candidate.match.groups?.["gap"] ?? "";
  const command = commandBefore(candidate.text, candidate.match.index);
  return commandPasswordOptions.some(
    (entry) =>
      entry.option === option &&
      (entry.gap === "either" || (entry.gap === "attached") === (gap === "")) &&
      entry.command.test(command) &&
      isCommandSecret(candidate),
  );
}

const argument = String.raw`(?:${optionalQuote}[^\s"'\\]{1,1024}${optionalQuote}|""|''|\\"\\")`;
/** htpasswd's options, with the bcrypt cost after -C (`-bnBC 10`). */
const htpasswdFlags = String.raw`(?<flags>(?:[ \t]+-[A-Za-z]{1,10}(?:[ \t]+\d{1,2}(?=[ \t]))?){1,6})`;

function htpasswdFlagsHave(candidate: Candidate, wanted: { batch: boolean; display: boolean }): boolean {
  const flags = candidate.match.groups?.["flags"] ?? "";
  return (
    startsToken(candidate.text, candidate.match.index) &&
    /b/.test(flags) === wanted.batch &&
    /n/.test(flags) === wanted.display &&
    isTypedSecret(candidate, 1)
  );
}

const longPasswordWords = /^(?:password|passwd|passphrase|passwort)$/i;

/** The flag around a `pass`-like word: `--db-password`, `-Password`, `-storepass`, `--pass`. */
const passwordFlag = /^--?[A-Za-z-]*(?:password|passwd|passphrase|storepass|keypass)$|^--(?:pass|pwd|pw)$/i;

/** A bare value in a sentence, without the punctuation that ends the sentence (`is Sunsh1ne.`; a `!` may be the password's). */
const sentenceValue = String.raw`(?<s_1>[^\s"'${"`"},;()<>\[\]{}|&\\]{1,128}?)(?=[.?:]*(?:[\s"'${"`"},;()<>\]}|&]|\\[nrt"]|$))`;

/** Words that say something about a password, not what it is: "the password is wrong", "... is required". */
const sentenceWords = new Set(
  (
    "wrong correct incorrect incorrectly correctly invalid valid required mandatory optional missing empty blank expired set unset " +
    "stored saved changed reset updated rotated hashed encrypted encoded protected weak strong too not the a an your my our their its " +
    "same different case sensitive insensitive ok okay fine good bad null none unknown known secret hidden shown visible displayed printed " +
    "needed accepted rejected used unused long short simple complex also still now then in on at being getting generated random there " +
    "here this that what which where default enabled disabled managed stale old new current temporary ignored provided given sent entered " +
    "typed asked prompted requested included attached below above following available unavailable lost forgotten shared private public " +
    "safe unsafe insecure secure working broken ready done active locked unlocked unchanged different identical cleared removed deleted " +
    "configured defined specified stored kept located listed mentioned written sufficient insufficient fixed only just already never " +
    "always usually probably actually definitely literally simply likely different whatever something anything nothing everything"
  ).split(" "),
);

/** A value stated in a sentence about a password: typed (not a word about it), not a reference, not a path. */
function isSentenceSecret(candidate: Candidate): boolean {
  const { text, match, secret } = candidate;
  const word = match.groups?.["word"] ?? "";
  if (!isKeyWordAt(text, match.index, word, longPasswordWords.test(word)) || !isTypedSecret(candidate, 3)) return false;
  if (/^pin$/i.test(word) && !/^\d{4,8}$/.test(secret)) return false;
  const lettersOnly = /^[A-Za-z]+$/.test(secret);
  if (lettersOnly && (secret.length < 4 || sentenceWords.has(secret.toLowerCase()))) return false;
  // "the password is 8 characters long": a value followed by more words must look typed.
  const followedByWords = /^[ \t]+[A-Za-z]/.test(text.slice(candidate.end, candidate.end + 2));
  if (followedByWords && !(/[A-Za-z]/.test(secret) && /[^A-Za-z]/.test(secret))) return false;
  return !/^(?:https?|ftp):/i.test(secret);
}

export const passwordRules: readonly SecretRule[] = [
  passwordRule("command-option", String.raw`[ \t]-(?<option>[pPaw])(?<gap>[ \t]*)${secretValue()}`, "", isCommandPasswordOption),
  passwordRule(
    "smb-user-percent",
    String.raw`[ \t](?:-U|--user(?:name)?)${flagSeparator}${optionalQuote}[\w.\\-]{1,64}%${bareSecret()}`,
    "",
    (c) => isTypedSecret(c, 1),
  ),
  passwordRule(
    // --password=..., --db-password ..., -Password "..." (PowerShell), -storepass ... (keytool),
    // and the same inside a JSON array of arguments: "--password", "...".
    "password-flag",
    String.raw`(?<word>pass(?:word|wd|phrase)?|pwd|pw)${flagSeparator}${secretValue()}`,
    "i",
    (candidate) => {
      const { text, match } = candidate;
      const flagStart = keyStart(text, match.index, /[A-Za-z-]/);
      const flag = text.slice(flagStart, match.index + (match.groups?.["word"]?.length ?? 0));
      // "--password", "--host" in an argument list: the next item is another flag, not the value.
      return passwordFlag.test(flag) && startsToken(text, flagStart) && !candidate.secret.startsWith("-") && isTypedSecret(candidate);
    },
  ),
  passwordRule("openssl-pass", String.raw`-pass(?:in|out)?[ \t]+${optionalQuote}pass:${bareSecret()}`, "", (c) => isTypedSecret(c, 1)),
  passwordRule(
    // ttyd -c user:pass, --credential user:pass (also as JSON array items).
    "credential-flag",
    String.raw`(?<flag>--credentials?|--cred|-c)${flagSeparator}${optionalQuote}[A-Za-z_][\w.-]{0,63}:${bareSecret()}`,
    "",
    (candidate) => {
      const { text, match, secret } = candidate;
      if (!startsToken(text, match.index) || !isTypedSecret(candidate, 1) || /^[\d.]+$/.test(secret) || secret.includes("/")) return false;
      if (match.groups?.["flag"] !== "-c") return true;
      // -c is a common flag; user:pass after it counts near ttyd or when it reads like a password.
      return /ttyd/.test(text.slice(Math.max(0, match.index - 200), match.index)) || (/[A-Za-z]/.test(secret) && /\d/.test(secret));
    },
  ),
  passwordRule(
    "htpasswd-batch",
    String.raw`htpasswd${htpasswdFlags}[ \t]+${argument}[ \t]+${argument}[ \t]+${secretValue()}`,
    "",
    (candidate) => htpasswdFlagsHave(candidate, { batch: true, display: false }),
  ),
  passwordRule("htpasswd-display", String.raw`htpasswd${htpasswdFlags}[ \t]+${argument}[ \t]+${secretValue()}`, "", (candidate) =>
    htpasswdFlagsHave(candidate, { batch: true, display: true }),
  ),
  passwordRule(
    // echo "user:pass" | chpasswd: the pattern starts at the rare "chpasswd" and looks back for the echo.
    "chpasswd",
    String.raw`chpasswd(?:(?<=(?:echo|printf)[ \t]+(?:-[ne]+[ \t]+)?${optionalQuote}[\w.-]{1,64}:(?<s_1>[^\s"'\\|:]{1,1024})${optionalQuote}[ \t]*\|[ \t]*(?:sudo[ \t]+)?chpasswd)|[ \t]*<<<[ \t]*${optionalQuote}[\w.-]{1,64}:(?<s_2>[^\s"'\\|:]{1,1024}))`,
    "",
    (candidate) => isTypedSecret(candidate, 1),
  ),
  passwordRule(
    // echo 'pass' | sudo -S ..., | passwd --stdin user, | docker login --password-stdin
    "piped-to-stdin",
    String.raw`(?:echo|printf)[ \t]+(?:-[ne]+[ \t]+)?${secretValue()}[ \t]*\|[ \t]*(?:sudo(?:[ \t]+-[A-Za-z]{1,10}){0,6}?[ \t]+-[A-Za-z]{0,10}S(?![\w-])|passwd[ \t]+--stdin|(?:[^\n\r|;&\\]|\\(?![nr])){0,200}?--password-stdin)`,
    "",
    (candidate) => startsToken(candidate.text, candidate.match.index) && isTypedSecret(candidate, 1),
  ),
  passwordRule(
    "sql-identified-by",
    String.raw`IDENTIFIED[ \t]+(?:WITH[ \t]+\w+[ \t]+)?BY[ \t]+(?:PASSWORD[ \t]+)?${quotedSecret()}`,
    "i",
    (candidate) => isTypedSecret(candidate, 1),
  ),
  passwordRule(
    // password "hunter2", password is 'x', PASSWORD('x'), WITH PASSWORD 'x': a quoted word right after "password".
    "password-quoted",
    String.raw`pass(?:word|wd|phrase)(?:[ \t]+(?:is|was|to|of|=)[ \t]*|[ \t]*\([ \t]*|[ \t]+)(?:\\"(?<q_1>[^\s"'\\]{3,64})\\"|"(?<q_2>[^\s"'\\]{3,64})"|'(?<q_3>[^\s"'\\]{3,64})'|${"`"}(?<q_4>[^\s"'${"`"}\\]{3,64})${"`"})`,
    "i",
    (candidate) => !/[A-Za-z]/.test(charBefore(candidate.text, candidate.match.index)) && isTypedSecret(candidate),
  ),
  passwordRule(
    // password: x, PASSWORD=x, "password": "x", \"db_password\": \"x\", **Password:** `x`
    "password-assignment",
    String.raw`(?<word>pass(?:word|wd|phrase|wort)?|pwd|pw)${assignmentSeparator}${secretValue()}`,
    "i",
    (candidate) => {
      const { text, match } = candidate;
      const word = match.groups?.["word"] ?? "";
      if (!isKeyWordAt(text, match.index, word, longPasswordWords.test(word)) || !isTypedSecret(candidate)) return false;
      // sudoers: `ALL=(ALL) NOPASSWD: ALL` is a rule, not a password.
      if (/no$/i.test(text.slice(Math.max(0, match.index - 2), match.index))) return false;
      // password=password in code passes a variable; PASSWORD=password in an env file sets one.
      return /^[A-Z]+$/.test(word) || !isVariableNamedLikeSecret(candidate);
    },
  ),
  passwordRule(
    // the wifi password is Sunsh1ne, the password for admin on the router: x, PIN is 4711, password changed to x
    "password-sentence",
    String.raw`(?<word>pass(?:word|wd|phrase|code|wort)|pwd|pw|pin|psk|(?:wpa2?|wi-?fi|wlan)[ \t-]?key)(?:[ \t]+(?:for|of|on|to|at)[ \t]+[^\r\n.:;,!?"'\\]{1,60}?)?(?:[ \t]+(?:is[ \t]+now|now[ \t]+is|will[ \t]+be|would[ \t]+be|is|was|becomes|became|remains|stays)(?:[ \t]*:)?|[ \t]*:|[ \t]+(?:has[ \t]+been[ \t]+|was[ \t]+|is[ \t]+)?(?:set|changed|reset|updated)[ \t]+to|[ \t]+to)[ \t]+${sentenceValue}`,
    "i",
    isSentenceSecret,
  ),
];
