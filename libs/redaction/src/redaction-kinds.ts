/**
 * Every kind the redactor can emit, in the order reports list them. A kind names what the secret
 * was, so a redacted line still says what happened (`-p[REDACTED:password]`).
 */
export const REDACTION_KINDS = [
  "private_key",
  "aws_access_key",
  "aws_secret_key",
  "github_token",
  "gitlab_token",
  "slack_token",
  "stripe_key",
  "google_api_key",
  "google_oauth",
  "openai_key",
  "anthropic_key",
  "azure_key",
  "npm_token",
  "pypi_token",
  "sendgrid_key",
  "huggingface_token",
  "digitalocean_token",
  "telegram_bot_token",
  "jwt",
  "connection_string",
  "basic_auth_url",
  "authorization_header",
  "cookie",
  "docker_auth",
  "encoded_secret",
  "powershell_secure_string",
  "password_hash",
  "password",
  "env_secret",
  "secret_assignment",
  "high_entropy",
] as const;

export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** A secret was replaced `count` times under this kind. */
export interface Redaction {
  kind: string;
  count: number;
}

const kindOrder = new Map<string, number>(REDACTION_KINDS.map((kind, index) => [kind, index]));

/** Counts per kind, listed in REDACTION_KINDS order so reports are stable. */
export function countByKind(kinds: Iterable<string>): Redaction[] {
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts]
    .map(([kind, count]) => ({ kind, count }))
    .sort((a, b) => (kindOrder.get(a.kind) ?? Infinity) - (kindOrder.get(b.kind) ?? Infinity));
}

/** The text that replaces a secret; it holds no quote or backslash, so JSON strings stay valid. */
export function redactionMarker(kind: string): string {
  return `[REDACTED:${kind}]`;
}
