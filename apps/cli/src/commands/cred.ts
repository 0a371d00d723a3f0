// `msp cred ...`: the vault's credentials over REST through the gateway, as the other commands
// call the platform. A secret is read from stdin or a prompt (never argv), printed only by
// `reveal` (to stdout, nothing else), and never written to the log or the spool.
import type { Credential } from "../platform/platform-types";
import { CommandError, emit } from "./command-support";
import {
  credentialFilter,
  credentialId,
  credentialLines,
  credentialTable,
  credentialTypeEnum,
  expiresAtOf,
  lengthOf,
  typeLabel,
} from "./cred-format";
import { processSecretSource, readSecret, refuseSecretOption } from "./cred-secret";
import type { SignedIn, SignInDeps, SignInOptions, TokenSource } from "./sign-in";
import { attempt, refusalError, signInFor } from "./sign-in";

/** Options of every `msp cred` command. */
export type CredOptions = SignInOptions;

export interface CredListOptions extends CredOptions {
  client?: string;
  type?: string;
  filter?: string;
}

export interface CredRevealOptions extends CredOptions {
  reason?: string;
}

/** `--secret` and `--password` exist only to be refused. */
interface SecretRefusal {
  secret?: unknown;
  password?: unknown;
}

export interface CredAddOptions extends CredOptions, SecretRefusal {
  name?: string;
  type?: string;
  username?: string;
  url?: string;
  client?: string;
  notes?: string;
  expires?: string;
  generate?: boolean;
  length?: string;
}

export interface CredRotateOptions extends CredOptions, SecretRefusal {
  reason?: string;
  generate?: boolean;
  length?: string;
}

/** What the commands read besides their options: stdin and the terminal, the environment, the clock. */
export interface CredDeps extends SignInDeps {
  now: () => number;
}

export function processCredDeps(): CredDeps {
  return { secrets: processSecretSource(), env: process.env, now: Date.now };
}

/** How a command signs in to the vault: the token it sends and where it came from (for error messages). */
type Vault = SignedIn;

/**
 * The platform client for the vault: signed in as --user (password from MSP_PASSWORD or asked),
 * else with MSP_TOKEN (an access token or API key), else with the machine key setup stored,
 * which by default only carries the hooks' scopes.
 */
function openVault(options: CredOptions, deps: CredDeps): Promise<Vault> {
  return signInFor("vault", options, deps);
}

/** A refusal of the gateway (400, 401, 403, 404, 409) as one line naming what was wrong; other errors unchanged. */
export function vaultError(error: unknown, source: TokenSource): unknown {
  return refusalError(error, source, "vault");
}

/** `msp cred list [--client ID] [--type TYPE] [--filter EXPR]`: the credentials this caller may read, without secrets. */
export async function credListCommand(options: CredListOptions, deps: CredDeps = processCredDeps()): Promise<void> {
  const filter = credentialFilter(options);
  const vault = await openVault(options, deps);
  const credentials: Credential[] = [];
  let pageToken = "";
  for (let page = 0; page < 50; page++) {
    const answer = await attempt(vault, (platform) => platform.listCredentials(filter, pageToken));
    credentials.push(...answer.items);
    if (!answer.nextPageToken) break;
    pageToken = answer.nextPageToken;
  }
  emit(options, { credentials }, credentialTable(credentials));
}

/** `msp cred show ID`: one credential, without its secret. */
export async function credShowCommand(id: string, options: CredOptions, deps: CredDeps = processCredDeps()): Promise<void> {
  const checked = credentialId(id);
  const vault = await openVault(options, deps);
  const credential = await attempt(vault, (platform) => platform.getCredential(checked));
  emit(options, credential, credentialLines(credential));
}

/**
 * `msp cred reveal ID --reason TEXT`: the secret alone on stdout (and a newline), so it can be
 * piped; `--json` prints the whole answer. The reason goes to the vault's access log.
 */
export async function credRevealCommand(id: string, options: CredRevealOptions, deps: CredDeps = processCredDeps()): Promise<void> {
  const checked = credentialId(id);
  const reason = requiredReason(options.reason);
  const vault = await openVault(options, deps);
  const revealed = await attempt(vault, (platform) => platform.revealCredential(checked, reason));
  if (options.json) process.stdout.write(`${JSON.stringify(revealed, null, 2)}\n`);
  else process.stdout.write(`${revealed.secret}\n`);
}

function requiredReason(reason: string | undefined): string {
  const text = (reason ?? "").trim();
  if (text === "")
    throw new CommandError(
      '--reason TEXT is required: say why you need the secret (it is kept in the vault\'s access log), such as --reason "reset the backup job on DC01"',
      "reason_required",
    );
  return text;
}

/**
 * `msp cred add --name NAME --type TYPE ...`: a new credential. Its secret comes from stdin, the
 * prompt, or the vault's password generator (--generate), and is never printed.
 */
export async function credAddCommand(options: CredAddOptions, deps: CredDeps = processCredDeps()): Promise<void> {
  refuseSecretOption(options);
  const name = (options.name ?? "").trim();
  if (name === "") throw new CommandError('--name NAME is required (such as "Contoso DC01 local admin")');
  if (options.type === undefined) throw new CommandError("--type TYPE is required (password, api_key, ssh_key, token, totp_seed...)");
  const credential: Partial<Credential> = { name, credentialType: credentialTypeEnum(options.type) };
  const optional = { username: options.username, url: options.url, clientId: options.client, accessNotes: options.notes };
  for (const [field, value] of Object.entries(optional))
    if (value !== undefined && value.trim() !== "") Object.assign(credential, { [field]: value.trim() });
  if (options.expires !== undefined) credential.expiresAt = expiresAtOf(options.expires);
  const length = generatedLength(options);
  const vault = await openVault(options, deps);
  const generated = options.generate ? await attempt(vault, (platform) => platform.generatePassword(length)) : undefined;
  const secret = generated ? generated.password : await readSecret(deps.secrets, name);
  const created = await attempt(vault, (platform) => platform.createCredential({ credential, secret }));
  emit(
    options,
    created,
    [
      `Created ${typeLabel(created.credentialType)} credential "${created.name ?? name}" (${created.id}).`,
      generated
        ? `Its secret is a generated password${generated.entropyBits ? ` (about ${Math.floor(generated.entropyBits)} bits)` : ""}; to see it: msp cred reveal ${created.id} --reason TEXT`
        : "",
    ].filter(Boolean),
  );
}

/** `msp cred rotate ID [--reason TEXT] [--generate]`: a new secret; the vault keeps the old one as a version. */
export async function credRotateCommand(id: string, options: CredRotateOptions, deps: CredDeps = processCredDeps()): Promise<void> {
  refuseSecretOption(options);
  const checked = credentialId(id);
  const length = generatedLength(options);
  const vault = await openVault(options, deps);
  const generated = options.generate ? await attempt(vault, (platform) => platform.generatePassword(length)) : undefined;
  const secret = generated ? generated.password : await readSecret(deps.secrets, checked);
  const rotated = await attempt(vault, (platform) => platform.rotateCredentialSecret(checked, secret, (options.reason ?? "").trim()));
  emit(
    options,
    rotated,
    [
      `Rotated the secret of "${rotated.name ?? checked}" (${rotated.id}): now version ${rotated.secretVersion ?? "?"}; the old one is kept as a version.`,
      generated ? `The new secret is a generated password; to see it: msp cred reveal ${rotated.id} --reason TEXT` : "",
    ].filter(Boolean),
  );
}

function generatedLength(options: { generate?: boolean; length?: string }): number | undefined {
  const length = lengthOf(options.length);
  if (length !== undefined && !options.generate) throw new CommandError("--length goes with --generate");
  return length;
}

/** `msp cred totp ID [--reason TEXT]`: the current code of a totp_seed credential on stdout, how long it stays valid on stderr. */
export async function credTotpCommand(id: string, options: CredRevealOptions, deps: CredDeps = processCredDeps()): Promise<void> {
  const checked = credentialId(id);
  const vault = await openVault(options, deps);
  const answer = await attempt(vault, (platform) => platform.getTotpCode(checked, (options.reason ?? "").trim()));
  const validUntil = answer.validUntil ? Date.parse(answer.validUntil) : NaN;
  const secondsLeft = Number.isNaN(validUntil) ? undefined : Math.max(0, Math.ceil((validUntil - deps.now()) / 1000));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...answer, ...(secondsLeft === undefined ? {} : { secondsLeft }) }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${answer.code}\n`);
  if (secondsLeft !== undefined) process.stderr.write(`valid for ${secondsLeft} more second${secondsLeft === 1 ? "" : "s"}\n`);
}
