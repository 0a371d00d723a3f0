import { classProfile } from "../secret-shape";
import { secretRule, startsToken, type Candidate, type SecretRule } from "../secret-rule";
import { optionalQuote, tokenCharBefore, tokenEnd } from "../pattern-parts";

// Tokens whose shape names their issuer (a fixed prefix, a fixed length). They are redacted
// wherever they appear, with no key needed: the prefix alone says what they are.

function token(name: string, kind: SecretRule["kind"], body: string, accept?: (c: Candidate) => boolean): SecretRule {
  return secretRule({
    name,
    kind,
    // The look-behind sits after the prefix (it runs only where the prefix is found) and stops
    // a run like "sk-sk-sk-..." from making every prefix read up to the bound.
    pattern: new RegExp(String.raw`(?<s_1>${body})${tokenEnd}`, "gd"),
    accept: (candidate) => startsToken(candidate.text, candidate.start) && (accept === undefined || accept(candidate)),
  });
}

/** A token body: its fixed prefix, checked to start a token, then the rest. */
function prefixed(prefix: string, rest: string): string {
  return String.raw`${prefix}(?<!${tokenCharBefore}(?:${prefix}))${rest}`;
}

/** Generated keys mix upper case, lower case and digits; a hyphenated name (`sk-learn-...`) does not. */
function mixesClasses(candidate: Candidate): boolean {
  return classProfile(candidate.secret).classes >= 3;
}

export const providerTokenRules: readonly SecretRule[] = [
  token("aws-access-key-id", "aws_access_key", prefixed("A(?:KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|ROA|PKA|SCA)", "[A-Z0-9]{16}")),
  secretRule({
    // aws_secret_access_key = ..., AWS_SECRET_ACCESS_KEY=..., "SecretAccessKey": "..."
    name: "aws-secret-access-key",
    kind: "aws_secret_key",
    pattern: new RegExp(
      String.raw`secret_?(?<access>access_?)?key${optionalQuote}[ \t]*[=:][ \t]*${optionalQuote}(?<s_1>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
      "gdi",
    ),
    accept: (candidate) =>
      candidate.match.groups?.["access"] !== undefined ||
      /aws_?$/i.test(candidate.text.slice(Math.max(0, candidate.match.index - 4), candidate.match.index)),
  }),
  token(
    "github-token",
    "github_token",
    `${prefixed("gh[pousr]_", "[A-Za-z0-9]{36,251}")}|${prefixed("github_pat_", "[A-Za-z0-9_]{22,255}")}`,
  ),
  token(
    "gitlab-token",
    "gitlab_token",
    `${prefixed("gl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|oas)-", "[A-Za-z0-9_-]{20,1024}")}|${prefixed("GR1348941", "[A-Za-z0-9_-]{20,1024}")}`,
  ),
  token(
    "slack-token",
    "slack_token",
    `${prefixed("xox[abposre]-", "[A-Za-z0-9-]{10,1024}")}|${prefixed("xapp-", "\\d-[A-Za-z0-9-]{20,1024}")}`,
  ),
  secretRule({
    name: "slack-webhook",
    kind: "slack_token",
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<s_1>[A-Za-z0-9_/-]{20,1024})/dg,
  }),
  token(
    "stripe-key",
    "stripe_key",
    `${prefixed("[sr]k_(?:live|test)_", "[A-Za-z0-9]{16,1024}")}|${prefixed("whsec_", "[A-Za-z0-9]{24,1024}")}`,
  ),
  token("google-api-key", "google_api_key", prefixed("AIza", "[0-9A-Za-z_-]{35}")),
  token(
    "google-oauth",
    "google_oauth",
    `${prefixed("ya29\\.", "[0-9A-Za-z_-]{20,1024}")}|${prefixed("GOCSPX-", "[0-9A-Za-z_-]{20,1024}")}|${prefixed("1//0", "[0-9A-Za-z_-]{30,1024}")}`,
  ),
  token("anthropic-key", "anthropic_key", prefixed("sk-ant-", "[A-Za-z0-9_-]{20,1024}")),
  token("openai-key", "openai_key", prefixed("sk-", "(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,1024}"), mixesClasses),
  token("npm-token", "npm_token", prefixed("npm_", "[A-Za-z0-9]{36}")),
  token("pypi-token", "pypi_token", prefixed("pypi-AgE", "[A-Za-z0-9_-]{50,1024}")),
  token("sendgrid-key", "sendgrid_key", prefixed("SG\\.", "[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}")),
  token("huggingface-token", "huggingface_token", prefixed("hf_", "[A-Za-z0-9]{34,40}"), mixesClasses),
  token("digitalocean-token", "digitalocean_token", prefixed("do[por]_v1_", "[a-f0-9]{64}")),
  secretRule({
    // The pattern starts on the rare ":AA" and looks back for the bot id, which is part of the
    // secret; in API URLs the token follows "/bot".
    name: "telegram-bot-token",
    kind: "telegram_bot_token",
    pattern: /:AA[A-Za-z0-9_-]{33}(?![\w-])(?<=(?:^|[^\w-]|\/bot)(?<s_1>\d{8,10}:AA[A-Za-z0-9_-]{33}))/dg,
  }),
  token("jwt", "jwt", prefixed("eyJ", "[A-Za-z0-9_-]{10,4096}\\.eyJ[A-Za-z0-9_-]{10,8192}\\.[A-Za-z0-9_-]{0,1024}")),
];
