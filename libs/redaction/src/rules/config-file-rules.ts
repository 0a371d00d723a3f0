import { isPlaceholder } from "../secret-shape";
import { charBefore, secretRule, type Candidate, type SecretRule } from "../secret-rule";
import { bareSecret, optionalQuote, quotedSecret, tokenEnd } from "../pattern-parts";
import { isTypedSecret } from "./value-checks";

// Secrets with a known home: docker's config.json, .npmrc, Azure SAS URLs and keys, PowerShell
// plain-text secure strings, and password hashes (htpasswd, /etc/shadow, Argon2, bcrypt).

/** Docker stores base64("user:password") under "auth"; anything else under that key is not it. */
function isDockerAuth(candidate: Candidate): boolean {
  const decoded = Buffer.from(candidate.secret, "base64").toString("latin1");
  return /^[\x20-\x7e]+:[\x20-\x7e]+$/.test(decoded);
}

const crypt = [
  String.raw`\$(?:1|apr1)\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}`,
  String.raw`\$[56]\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}`,
  String.raw`\$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}`,
  String.raw`\$y\$[./A-Za-z0-9]+\$[./A-Za-z0-9]{1,86}\$[./A-Za-z0-9]{43}`,
  String.raw`\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+`,
  String.raw`\{S?SHA\}[A-Za-z0-9+/]{27,}={0,2}`,
].join("|");

export const configFileRules: readonly SecretRule[] = [
  secretRule({
    name: "docker-config-auth",
    kind: "docker_auth",
    pattern: /(?:auth|identitytoken)\\?"[ \t]*:[ \t]*\\?"(?<s_1>[A-Za-z0-9+/=_-]{8,4096})(?=\\?")/dg,
    accept: (candidate) =>
      candidate.text.charAt(candidate.match.index - 1) === '"' && (!candidate.match[0].startsWith("auth") || isDockerAuth(candidate)),
  }),
  secretRule({
    name: "npmrc-auth",
    kind: "npm_token",
    pattern: new RegExp(String.raw`_(?:auth(?:Token)?|password)[ \t]*=[ \t]*(?:${quotedSecret()}|${bareSecret()})`, "gd"),
    accept: (candidate) => isTypedSecret(candidate, 1),
  }),
  secretRule({
    name: "azure-sas-signature",
    kind: "azure_key",
    pattern: /sig=(?<s_1>[A-Za-z0-9%+/=]{16,1024})/dg,
    accept: (candidate) =>
      /[?&]/.test(candidate.text.charAt(candidate.match.index - 1)) &&
      /[?&]sv=\d{4}-\d\d-\d\d/.test(candidate.text.slice(Math.max(0, candidate.match.index - 400), candidate.end + 400)),
  }),
  secretRule({
    name: "azure-subscription-key",
    kind: "azure_key",
    pattern: new RegExp(
      String.raw`Ocp-Apim-Subscription-Key${optionalQuote}[ \t]*[:=][ \t]*${optionalQuote}(?<s_1>[A-Za-z0-9]{32})${tokenEnd}`,
      "gdi",
    ),
  }),
  secretRule({
    name: "powershell-secure-string",
    kind: "powershell_secure_string",
    pattern: new RegExp(
      String.raw`ConvertTo-SecureString[ \t]+(?:-AsPlainText[ \t]+|-Force[ \t]+){0,2}(?:-String[ \t]+)?${quotedSecret()}`,
      "gdi",
    ),
    accept: (candidate) => !isPlaceholder(candidate.secret),
  }),
  secretRule({
    // "P@ss" | ConvertTo-SecureString -AsPlainText: the pattern starts at the cmdlet and looks back for the string.
    name: "powershell-secure-string-piped",
    kind: "powershell_secure_string",
    pattern: new RegExp(String.raw`ConvertTo-SecureString(?<=${quotedSecret()}[ \t]*\|[ \t]*ConvertTo-SecureString)`, "gdi"),
    accept: (candidate) => !isPlaceholder(candidate.secret),
  }),
  secretRule({
    name: "network-credential",
    kind: "powershell_secure_string",
    pattern: new RegExp(
      String.raw`Credential\]?(?:::new)?[ \t]*\([ \t]*(?:\\"[^"\\\r\n]{0,256}\\"|"[^"\r\n]{0,256}"|'[^'\r\n]{0,256}')[ \t]*,[ \t]*(?:\\"(?<q_pw1>[^"\\\r\n]{1,1024})\\"|"(?<q_pw2>[^"\\\r\n]{1,1024})"|'(?<q_pw3>[^'\\\r\n]{1,1024})')`,
      "gdi",
    ),
  }),
  secretRule({
    name: "password-hash",
    kind: "password_hash",
    pattern: new RegExp(String.raw`(?<s_1>${crypt})(?![./A-Za-z0-9])`, "gd"),
    accept: (candidate) => !/[\w$]/.test(charBefore(candidate.text, candidate.start)),
  }),
];
