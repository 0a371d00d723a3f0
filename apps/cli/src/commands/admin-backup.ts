// `msp admin backup`, `msp admin backups`, `msp admin verify-backup ID`: backups of the platform's
// database through the audit service's BackupService, for admins. A backup (and a verification)
// runs in the background on the server; the commands poll it every second until it is done.
import { isRetryable } from "../platform/http-json";
import type { Backup } from "../platform/platform-types";
import { CommandError, emit } from "./command-support";
import { wholeNumberOf } from "./audit-format";
import type { AuditDeps } from "./audit";
import { processAuditDeps } from "./audit";
import { backupLines, backupTable, backupTypeEnum, isFailure, isFinal, statusName } from "./backup-format";
import type { SignedIn, SignInOptions } from "./sign-in";
import { attempt, signInFor } from "./sign-in";

/** Options of the commands that wait for a backup. */
export interface BackupWaitOptions extends SignInOptions {
  /** false with --no-wait. */
  wait?: boolean;
  /** Seconds to wait at most (default 3600). */
  timeout?: string;
}

export interface AdminBackupOptions extends BackupWaitOptions {
  verify?: boolean;
  type?: string;
}

/** How long the commands wait for a backup by default, and how often they look. */
const defaultTimeoutSeconds = 3600;
const pollMs = 1000;

/**
 * `msp admin backup [--verify] [--type manual|daily|weekly|monthly] [--no-wait] [--timeout S]`:
 * starts a backup and waits for it; exit code 1 when it failed or its verification did.
 */
export async function adminBackupCommand(options: AdminBackupOptions, deps: AuditDeps = processAuditDeps()): Promise<void> {
  const backupType = backupTypeEnum(options.type ?? "manual");
  const timeoutMs = timeoutOf(options);
  const signedIn = await signInFor("audit", options, deps);
  const verify = options.verify === true;
  const started = await attempt(signedIn, (platform) => platform.createBackup({ backupType, ...(verify ? { verify } : {}) }));
  await finish(options, signedIn, started, verify, timeoutMs, deps, "msp admin backups");
}

/** `msp admin verify-backup ID [--no-wait] [--timeout S]`: restores a backup into a scratch database and checks it again. */
export async function adminVerifyBackupCommand(
  id: string,
  options: BackupWaitOptions,
  deps: AuditDeps = processAuditDeps(),
): Promise<void> {
  const checked = backupId(id);
  const timeoutMs = timeoutOf(options);
  const signedIn = await signInFor("audit", options, deps);
  const started = await attempt(signedIn, (platform) => platform.verifyBackup(checked));
  await finish(options, signedIn, started, true, timeoutMs, deps, "msp admin backups");
}

export interface AdminBackupsOptions extends SignInOptions {
  filter?: string;
  limit?: string;
}

/** `msp admin backups [--filter EXPR] [--limit N]`: the backups, newest first. */
export async function adminBackupsCommand(options: AdminBackupsOptions, deps: AuditDeps = processAuditDeps()): Promise<void> {
  const limit = wholeNumberOf(options.limit, "--limit", 1, 10_000, "a number of backups") ?? 50;
  const filter = (options.filter ?? "").trim();
  const signedIn = await signInFor("audit", options, deps);
  const backups: Backup[] = [];
  let pageToken = "";
  while (backups.length < limit) {
    const page = await attempt(signedIn, (platform) => platform.listBackups(filter, pageToken, Math.min(500, limit - backups.length)));
    backups.push(...page.items.slice(0, limit - backups.length));
    if (!page.nextPageToken || page.nextPageToken === pageToken) break;
    pageToken = page.nextPageToken;
  }
  emit(options, { backups }, backupTable(backups));
}

/** --timeout in milliseconds (seconds on the command line, 1 to a week). */
function timeoutOf(options: BackupWaitOptions): number {
  return (wholeNumberOf(options.timeout, "--timeout", 1, 7 * 24 * 3600, "a number of seconds") ?? defaultTimeoutSeconds) * 1000;
}

/** A backup id from the command line, checked before it goes into a path. */
function backupId(input: string | undefined): string {
  const id = (input ?? "").trim();
  if (id === "") throw new CommandError("give the backup's id (msp admin backups shows them)");
  if (!/^[0-9A-Za-z_-]{1,100}$/.test(id)) throw new CommandError(`"${id}" is not a backup id (msp admin backups shows them)`);
  return id;
}

/** With --no-wait, prints the started backup; else waits until it is done, prints it, and sets exit code 1 for a failure. */
async function finish(
  options: BackupWaitOptions,
  signedIn: SignedIn,
  started: Backup,
  verifying: boolean,
  timeoutMs: number,
  deps: AuditDeps,
  listCommand: string,
): Promise<void> {
  if (options.wait === false) {
    emit(options, started, [
      ...backupLines(started),
      `Started in the background; see how it goes with: ${listCommand}${options.json ? " --json" : ""}`,
    ]);
    return;
  }
  if (!options.json)
    process.stderr.write(
      `${statusName(started) === "VERIFYING" ? "Verifying" : "Backing up into"} ${started.filePath || started.id}; waiting for it (at most ${Math.round(timeoutMs / 1000)} s)...\n`,
    );
  const backup = await waitFor(signedIn, started, verifying, timeoutMs, deps);
  emit(options, backup, backupLines(backup));
  if (isFailure(backup)) process.exitCode = 1;
}

/**
 * Polls a backup every second until its status is final. A platform that is briefly unreachable
 * or busy (a backup can load it) is asked again; a refusal ends the wait at once.
 */
async function waitFor(signedIn: SignedIn, started: Backup, verifying: boolean, timeoutMs: number, deps: AuditDeps): Promise<Backup> {
  const deadline = deps.now() + timeoutMs;
  let backup = started;
  while (!isFinal(backup, verifying)) {
    if (deps.now() >= deadline)
      throw new CommandError(
        `backup ${started.id} is still ${statusName(backup).toLowerCase() || "running"} after ${Math.round(timeoutMs / 1000)} s; ` +
          "it goes on in the background: msp admin backups shows how it ends",
        "timeout",
      );
    await deps.sleep(pollMs);
    try {
      backup = await attempt(signedIn, (platform) => platform.getBackup(started.id));
    } catch (error) {
      if (!isRetryable(error) || deps.now() >= deadline) throw error;
    }
  }
  return backup;
}
