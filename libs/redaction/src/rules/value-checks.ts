import { classProfile, isLiteralSecret, isPathLike } from "../secret-shape";
import type { Candidate } from "../secret-rule";

// Checks shared by the rules that find a secret after a key or a flag, where the same place can
// also hold prose ("Password: use the one from the vault") or code (`password=password`).

const proseWords = new Set(
  "a an the to is are was were be been of for from in on at by with and or not no if then when this that these those it its as use enter your you our their here there which what how set see same".split(
    " ",
  ),
);

/** "Password: Use your DigitalOcean root password": a plain word followed by more words is prose. */
export function isProse(candidate: Candidate): boolean {
  if (candidate.quoted || !/^[A-Za-z]+$/.test(candidate.secret)) return false;
  if (proseWords.has(candidate.secret.toLowerCase())) return true;
  return /^[ \t]+[A-Za-z]/.test(candidate.text.slice(candidate.end, candidate.end + 2));
}

/** `password=password`, `token: api_token` in code: a variable named after the secret, not the secret. */
export function isVariableNamedLikeSecret(candidate: Candidate): boolean {
  return (
    !candidate.quoted && /^[a-z_][a-zA-Z0-9_]*$/.test(candidate.secret) && /pass|pwd|secret|token|key|cred|auth/i.test(candidate.secret)
  );
}

/**
 * A value a person typed as a password after a key or flag: a literal (not a placeholder, a
 * reference or a path), not prose, and at least `minLength` characters.
 */
export function isTypedSecret(candidate: Candidate, minLength = 3): boolean {
  const { secret, quoted } = candidate;
  if (!isLiteralSecret(secret, quoted, minLength)) return false;
  if (!quoted && (isPathLike(secret) || secret.startsWith("-"))) return false;
  return !isProse(candidate) || isAttachedValue(candidate);
}

/**
 * A value written against its option or key with nothing between (`-phunter db`,
 * `PGPASSWORD=hunter psql`): a command line, never prose, whatever words follow it.
 */
export function isAttachedValue(candidate: Candidate): boolean {
  const before = candidate.text.charAt(candidate.start - 1);
  if (before === "=") return /[A-Za-z0-9_]/.test(candidate.text.charAt(candidate.start - 2));
  return candidate.match.groups?.["gap"] === "";
}

/**
 * A value in a password's place on the command line of a known command (`sshpass -p hunter ssh`,
 * `net user bob hunter /add`): like isTypedSecret, but the words after it are the command's.
 */
export function isCommandSecret(candidate: Candidate, minLength = 1): boolean {
  const { secret, quoted } = candidate;
  if (!isLiteralSecret(secret, quoted, minLength)) return false;
  return quoted || !(isPathLike(secret) || secret.startsWith("-"));
}

/** Values of tokens and keys are machine-made or at least not a single plain word. */
export function isTokenLike(candidate: Candidate, minLength = 8): boolean {
  if (!isTypedSecret(candidate, minLength) || isVariableNamedLikeSecret(candidate)) return false;
  const { classes } = classProfile(candidate.secret);
  return classes >= 2 || candidate.secret.length >= 16;
}
