// The words a rule's matches cannot do without: a rule runs on a text only when the text, in lower
// case, holds one of them. Most texts a hook redacts (a command, a prompt) hold none of most
// rules' words, and a regular expression V8 never runs is never compiled: that compiling was most
// of a hook's redaction (68 patterns, about 0.1 ms each, on every first use in a process).
//
// Each list must name a literal that every match of the rule's pattern contains (or that its
// lookbehind needs), in lower case; a wrong word hides secrets from the rule, so keywords.spec.ts
// runs every pattern ungated over the test texts and fails on a match whose text lacks the words.
// `null`: no such literal; the rule always runs.

/** The keywords of every rule, by rule name. */
export const ruleKeywords: Readonly<Record<string, readonly string[] | null>> = {
  "private-key-block": ["-----begin"],
  "private-key-truncated": ["-----begin"],
  "aws-access-key-id": ["akia", "asia", "abia", "acca", "agpa", "aida", "aipa", "anpa", "anva", "aroa", "apka", "asca"],
  "aws-secret-access-key": ["secret"],
  "github-token": ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
  "gitlab-token": ["glpat-", "gldt-", "glrt-", "glptt-", "glft-", "glsoat-", "glcbt-", "glimt-", "gloas-", "gr1348941"],
  "slack-token": ["xox", "xapp-"],
  "slack-webhook": ["hooks.slack.com/"],
  "stripe-key": ["k_live_", "k_test_", "whsec_"],
  "google-api-key": ["aiza"],
  "google-oauth": ["ya29.", "gocspx-", "1//0"],
  "anthropic-key": ["sk-ant-"],
  "openai-key": ["sk-"],
  "npm-token": ["npm_"],
  "pypi-token": ["pypi-age"],
  "sendgrid-key": ["sg."],
  "huggingface-token": ["hf_"],
  "digitalocean-token": ["_v1_"],
  "telegram-bot-token": [":aa"],
  jwt: ["eyj"],
  "docker-config-auth": ["auth", "identitytoken"],
  "npmrc-auth": ["_auth", "_password"],
  "azure-sas-signature": ["sig="],
  "azure-subscription-key": ["ocp-apim-subscription-key"],
  "powershell-secure-string": ["convertto-securestring"],
  "powershell-secure-string-piped": ["convertto-securestring"],
  "network-credential": ["credential"],
  "password-hash": ["$1$", "$apr1$", "$5$", "$6$", "$2", "$y$", "$argon2", "{sha}", "{ssha}"],
  "kubernetes-secret-data-yaml": ["data:"],
  "kubernetes-secret-data-json": ["data"],
  "base64-decoded-command": ["base64"],
  "url-credentials": ["://"],
  "connection-string-password": ["password", "pwd", "accountkey", "sharedaccesskey"],
  "authorization-header": ["authorization"],
  "bearer-token": ["bearer"],
  "api-key-header": ["-token", "apikey", "api-key"],
  "http-client-user": ["-u", "-a"],
  "cookie-header": ["cookie"],
  "command-option": ["-p", "-a", "-w"],
  "smb-user-percent": ["%"],
  "password-flag": ["pass", "pw"],
  "openssl-pass": ["pass:"],
  "credential-flag": ["-c"],
  "htpasswd-batch": ["htpasswd"],
  "htpasswd-display": ["htpasswd"],
  chpasswd: ["chpasswd"],
  "piped-to-stdin": ["echo", "printf"],
  "sql-identified-by": ["identified"],
  "password-quoted": ["pass"],
  "password-assignment": ["pass", "pw"],
  "password-sentence": ["pass", "pw", "pin", "psk", "wpa", "wifi", "wi-fi", "wlan"],
  "piped-account-input": ["passwd", "newusers"],
  "account-here-document": ["passwd", "newusers"],
  "account-here-document-piped": ["passwd", "newusers"],
  "net-user": ["user"],
  "net-use": ["net"],
  "windows-pass-switch": ["/pass"],
  "freerdp-password": ["/p:"],
  "putty-password": ["-pw"],
  "hash-a-password": ["passwd"],
  "oracle-user-password": ["sqlplus", "rman", "expdp", "impdp", "sqlldr", "dgmgrl"],
  "netrc-password": ["password"],
  "pgpass-line": [":"],
  "env-secret": ["token", "secret", "key", "credential", "passphrase"],
  "secret-assignment": ["key", "token", "secret", "credential"],
  "secret-flag": secretWords(),
  "high-entropy-assignment": secretWords(),
  "base64-under-secret-key": ["pass", "pwd", "secret", "token", "key", "credential", "auth"],
};

/** The words of `key|s(ecret|alt|eed|ession|igning)|token|p(ass|wd|rivate)|a(uth|ccess)|c(red|ookie)|hmac|otp|license`. */
function secretWords(): string[] {
  return ["key", "secret", "salt", "seed", "session", "signing", "token", "pass", "pwd", "private", "auth", "access", "cred", "cookie"]
    .concat(["hmac", "otp", "license"]);
}
