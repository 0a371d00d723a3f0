import { classProfile } from "../secret-shape";
import { secretRule, startsToken, type Candidate, type SecretRule } from "../secret-rule";
import { optionalQuote, tokenEnd } from "../pattern-parts";

// Tokens whose shape names their issuer (a fixed prefix, a fixed length). They are redacted
// wherever they appear, with no key needed: the prefix alone says what they are.

function token(name: string, kind: SecretRule["kind"], body: string, accept?: (c: Candidate) => boolean): SecretRule {
  return secretRule({
    name,
    kind,
    pattern: new RegExp(String.raw`(?<s_1>${body})${tokenEnd}`, "gd"),
    accept: (candidate) => startsToken(candidate.text, candidate.start) && (accept === undefined || accept(candidate)),
  });
}

/** Generated keys mix upper case, lower case and digits; a hyphenated name (`sk-learn-...`) does not. */
function mixesClasses(candidate: Candidate): boolean {
  return classProfile(candidate.secret).classes >= 3;
}

export const providerTokenRules: readonly SecretRule[] = [
  token("aws-access-key-id", "aws_access_key", "A(?:KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|ROA|PKA|SCA)[A-Z0-9]{16}"),
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
  token("github-token", "github_token", "g(?:h[pousr]_[A-Za-z0-9]{36,251}|ithub_pat_[A-Za-z0-9_]{22,255})"),
  token("gitlab-token", "gitlab_token", "gl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|oas)-[A-Za-z0-9_-]{20,}|GR1348941[A-Za-z0-9_-]{20,}"),
  token("slack-token", "slack_token", "x(?:ox[abposre]-[A-Za-z0-9-]{10,}|app-\\d-[A-Za-z0-9-]{20,})"),
  secretRule({
    name: "slack-webhook",
    kind: "slack_token",
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<s_1>[A-Za-z0-9_/-]{20,})/dg,
  }),
  token("stripe-key", "stripe_key", "(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,}"),
  token("google-api-key", "google_api_key", "AIza[0-9A-Za-z_-]{35}"),
  token("google-oauth", "google_oauth", "ya29\\.[0-9A-Za-z_-]{20,}|GOCSPX-[0-9A-Za-z_-]{20,}|1//0[0-9A-Za-z_-]{30,}"),
  token("anthropic-key", "anthropic_key", "sk-ant-[A-Za-z0-9_-]{20,}"),
  token("openai-key", "openai_key", "sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}", mixesClasses),
  token("npm-token", "npm_token", "npm_[A-Za-z0-9]{36}"),
  token("pypi-token", "pypi_token", "pypi-AgE[A-Za-z0-9_-]{50,}"),
  token("sendgrid-key", "sendgrid_key", "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}"),
  token("huggingface-token", "huggingface_token", "hf_[A-Za-z0-9]{34,40}", mixesClasses),
  token("digitalocean-token", "digitalocean_token", "do[por]_v1_[a-f0-9]{64}"),
  secretRule({
    // The pattern starts on the rare ":AA" and looks back for the bot id, which is part of the
    // secret; in API URLs the token follows "/bot".
    name: "telegram-bot-token",
    kind: "telegram_bot_token",
    pattern: /:AA[A-Za-z0-9_-]{33}(?![\w-])(?<=(?:^|[^\w-]|\/bot)(?<s_1>\d{8,10}:AA[A-Za-z0-9_-]{33}))/dg,
  }),
  token("jwt", "jwt", "eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*"),
];
