import { isPlaceholder, looksRandom } from "../secret-shape";
import { charBefore, commandBefore, keyStart, secretRule, startsToken, type SecretRule } from "../secret-rule";
import { bareSecret, flagSeparator, optionalQuote } from "../pattern-parts";
import { isTokenLike, isTypedSecret } from "./value-checks";

// HTTP credentials: Authorization and API-key headers (also as `curl -H` arguments and JSON
// header objects), `curl -u user:pass`, and cookies. The header name and the auth scheme stay.

const tokenChars = String.raw`[A-Za-z0-9._~+/=:-]`;
const headerSeparator = String.raw`${optionalQuote}[ \t]*[:=][ \t]*${optionalQuote}[ \t]*`;

/** Headers that carry a key or token by themselves (no auth scheme). */
const apiKeyHeader =
  /^(?:X-)?(?:Api-?Key|Auth-Token|Access-Token|Private-Token|Goog-Api-Key|Vault-Token|Consul-Token|Shopify-Access-Token|Figma-Token)$/i;

const httpClient = /(?:^|[\s"'(/])(?:curl|wget|http|https|xh)(?![\w-])/;

export const headerRules: readonly SecretRule[] = [
  secretRule({
    name: "authorization-header",
    kind: "authorization_header",
    pattern: new RegExp(
      String.raw`Authorization${headerSeparator}(?:(?:Bearer|Basic|Token|Bot|ApiKey|Api-Key|Key|SSWS|OAuth|GenieKey|Splunk|Negotiate|NTLM)[ \t]+(?<s_1>${tokenChars}{6,4096})|(?<s_2>${tokenChars}{16,4096}))`,
      "gdi",
    ),
    accept: (candidate) =>
      /[^\w]|^$/.test(charBefore(candidate.text, candidate.match.index)) &&
      !isPlaceholder(candidate.secret) &&
      (candidate.match.indices?.groups?.["s_1"] !== undefined || isTokenLike(candidate)),
  }),
  secretRule({
    name: "bearer-token",
    kind: "authorization_header",
    pattern: new RegExp(String.raw`Bearer[ \t]+(?<s_1>${tokenChars}{16,4096})`, "gd"),
    accept: (candidate) => startsToken(candidate.text, candidate.match.index) && looksRandom(candidate.secret, 16),
  }),
  secretRule({
    name: "api-key-header",
    kind: "authorization_header",
    pattern: new RegExp(String.raw`(?:-Token|Api-?Key)${headerSeparator}(?<s_1>${tokenChars}{8,4096})`, "gdi"),
    accept: (candidate) => {
      const { text, match } = candidate;
      const nameEnd = match.index + (/^(?:-Token|Api-?Key)/i.exec(match[0])?.[0].length ?? 0);
      return apiKeyHeader.test(text.slice(keyStart(text, match.index, /[A-Za-z-]/), nameEnd)) && isTokenLike(candidate);
    },
  }),
  secretRule({
    // curl -u user:pass, wget --user user:pass (with the password as part), httpie -a user:pass
    name: "http-client-user",
    kind: "authorization_header",
    pattern: new RegExp(String.raw`[ \t](?:-u|--user|-a|--auth)${flagSeparator}${optionalQuote}[^\s:"'\\]{0,256}:${bareSecret()}`, "gd"),
    accept: (candidate) => isTypedSecret(candidate, 1) && httpClient.test(commandBefore(candidate.text, candidate.match.index)),
  }),
  secretRule({
    name: "cookie-header",
    kind: "cookie",
    pattern: new RegExp(
      String.raw`Cookie(?:${headerSeparator}|${flagSeparator}${optionalQuote})(?<s_1>[^\s"'\\;=]{1,256}=[^\r\n"'\\]{1,4096})`,
      "gdi",
    ),
    accept: (candidate) => {
      const before = candidate.text.slice(keyStart(candidate.text, candidate.match.index, /[A-Za-z-]/), candidate.match.index);
      return /^(?:Set-|--)?$/i.test(before) && !isPlaceholder(candidate.secret) && !candidate.secret.startsWith("$");
    },
  }),
];
