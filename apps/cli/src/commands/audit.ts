// `msp audit ...`: the platform's audit chain over REST through the gateway, for admins (or a
// token or API key with audit scopes). They sign in as `msp cred` does. `msp audit verify --file`
// checks an export offline with the keys, without the platform and without `msp setup`.
import { closeSync, existsSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { AuditEvent, SeqRange } from "../platform/platform-types";
import { CommandError, emit } from "./command-support";
import type { AuditFilterOptions } from "./audit-format";
import {
  auditEventTable,
  auditFilter,
  auditKeyLines,
  auditStatusLines,
  int64,
  seqRange,
  verdictLines,
  verdictOf,
  wholeNumberOf,
} from "./audit-format";
import { verifyExportOffline } from "./audit-offline";
import { processSecretSource } from "./cred-secret";
import { promptLine } from "./password-prompt";
import type { SignInDeps, SignInOptions } from "./sign-in";
import { attempt, signInFor } from "./sign-in";

/** What the audit and admin commands read besides their options: the terminal, the environment, the clock. */
export interface AuditDeps extends SignInDeps {
  /** Asks a question on the terminal, echoed (the confirmation of a prune). */
  ask: (text: string) => Promise<string>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export function processAuditDeps(): AuditDeps {
  return {
    secrets: processSecretSource(),
    env: process.env,
    ask: promptLine,
    now: Date.now,
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
  };
}

export interface AuditEventsOptions extends SignInOptions, AuditFilterOptions {
  oldestFirst?: boolean;
  limit?: string;
}

/** How many events `msp audit events` shows without --limit, and at most. */
const defaultLimit = 50;
const maxLimit = 100_000;

/**
 * `msp audit events [--resource ID] [--type TYPE] [--principal NAME] [--action A] [--outcome O]
 * [--since DATE] [--until DATE] [--filter EXPR] [--oldest-first] [--limit N]`: newest first.
 */
export async function auditEventsCommand(options: AuditEventsOptions, deps: AuditDeps = processAuditDeps()): Promise<void> {
  const filter = auditFilter(options);
  const limit = wholeNumberOf(options.limit, "--limit", 1, maxLimit, "a number of events") ?? defaultLimit;
  const orderBy = options.oldestFirst ? "seq" : "seq desc";
  const signedIn = await signInFor("audit", options, deps);
  const auditEvents: AuditEvent[] = [];
  let pageToken = "";
  while (auditEvents.length < limit) {
    const pageSize = Math.min(500, limit - auditEvents.length);
    const page = await attempt(signedIn, (platform) => platform.listAuditEvents(filter, orderBy, pageToken, pageSize));
    auditEvents.push(...page.items.slice(0, limit - auditEvents.length));
    if (!page.nextPageToken || page.nextPageToken === pageToken) break;
    pageToken = page.nextPageToken;
  }
  emit(options, { auditEvents }, auditEventTable(auditEvents));
}

export interface AuditVerifyOptions extends SignInOptions {
  from?: string;
  to?: string;
  file?: string;
  hmacKeyFile?: string;
  publicKeyFile?: string;
}

/**
 * `msp audit verify [--from SEQ] [--to SEQ]` asks the audit service to recompute its chain;
 * `msp audit verify --file EXPORT --hmac-key-file K --public-key-file P` checks an export here,
 * without the platform. Either way "chain intact: ..." (exit 0) or "chain BROKEN at seq N: ..." (exit 1).
 */
export async function auditVerifyCommand(options: AuditVerifyOptions, deps: AuditDeps = processAuditDeps()): Promise<void> {
  if (options.file !== undefined) {
    if (options.from !== undefined || options.to !== undefined)
      throw new CommandError("--from and --to apply to the server's chain; an export file is verified whole");
    const verdict = await verifyExportOffline(options.file, options.hmacKeyFile, options.publicKeyFile);
    emit(options, verdict, verdictLines(verdict));
    if (!verdict.ok) process.exitCode = 1;
    return;
  }
  if (options.hmacKeyFile !== undefined || options.publicKeyFile !== undefined)
    throw new CommandError("--hmac-key-file and --public-key-file go with --file EXPORT (offline verification of an export)");
  const range = seqRange(options);
  const signedIn = await signInFor("audit", options, deps);
  const verdict = verdictOf(await attempt(signedIn, (platform) => platform.verifyAuditChain(range)));
  emit(options, verdict, verdictLines(verdict));
  if (!verdict.ok) process.exitCode = 1;
}

export interface AuditExportOptions extends SignInOptions {
  out?: string;
  from?: string;
  to?: string;
  force?: boolean;
  pageSize?: string;
}

/**
 * `msp audit export --out FILE [--from SEQ] [--to SEQ] [--force]`: the chain as JSON lines (a
 * header, then events and checkpoints in seq order), page after page, into FILE (mode 0600). It
 * is written to a temporary file beside FILE and renamed at the end, so a failed export leaves
 * nothing half written; an existing FILE is kept unless --force.
 */
export async function auditExportCommand(options: AuditExportOptions, deps: AuditDeps = processAuditDeps()): Promise<void> {
  if (options.out === undefined) throw new CommandError("--out FILE is required: where to write the export");
  const out = outputPath(options.out, options.force);
  const range: SeqRange = seqRange(options);
  const pageSize = wholeNumberOf(options.pageSize, "--page-size", 1, 20_000, "a number of events per page") ?? 5_000;
  const signedIn = await signInFor("audit", options, deps);
  const temporary = `${out}.${process.pid}.${Date.now().toString(36)}.partial`;
  const fd = openOutput(temporary, out);
  const counts = { lines: 0, events: 0, checkpoints: 0, pages: 0 };
  let done = false;
  try {
    let pageToken = "";
    for (;;) {
      const page = await attempt(signedIn, (platform) => platform.exportAuditChain(range, pageToken, pageSize));
      const lines = page.lines ?? [];
      if (lines.length > 0) writeSync(fd, `${lines.join("\n")}\n`);
      counts.pages++;
      for (const line of lines) countLine(line, counts);
      const next = page.nextPageToken ?? "";
      if (!next) break;
      if (next === pageToken)
        throw new CommandError("the export did not advance (the server sent the same page token twice)", "export_stuck");
      pageToken = next;
    }
    fsyncSync(fd);
    closeSync(fd);
    done = true;
    if (!options.force && existsSync(out)) throw new CommandError(`${out} appeared while exporting; add --force to overwrite it`, "exists");
    renameSync(temporary, out);
  } finally {
    if (!done) closeSync(fd);
    if (existsSync(temporary)) unlinkSync(temporary);
  }
  const what = [
    `${counts.events} event${counts.events === 1 ? "" : "s"}`,
    `${counts.checkpoints} checkpoint${counts.checkpoints === 1 ? "" : "s"}`,
  ];
  emit(options, { file: out, ...counts }, [
    `Wrote ${counts.lines} line${counts.lines === 1 ? "" : "s"} (${what.join(", ")}) to ${out} (mode 0600).`,
    `Verify it offline: msp audit verify --file ${out} --hmac-key-file KEY --public-key-file PEM`,
  ]);
}

/** --out FILE made absolute; its folder must exist, and FILE must not (unless --force). */
function outputPath(out: string, force: boolean | undefined): string {
  if (out.trim() === "") throw new CommandError("--out: give the path of a file to write");
  const path = resolve(out.trim());
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new CommandError(`--out: there is no folder ${folder}`);
  if (existsSync(path)) {
    if (!force) throw new CommandError(`--out: ${path} already exists; add --force to overwrite it`, "exists");
    if (statSync(path).isDirectory()) throw new CommandError(`--out: ${path} is a folder`);
  }
  return path;
}

/** Opens the temporary file of an export (mode 0600), or says why --out cannot be written. */
function openOutput(temporary: string, out: string): number {
  try {
    return openSync(temporary, "wx", 0o600);
  } catch (error) {
    throw new CommandError(`--out: cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, "unwritable");
  }
}

/** Counts an export line by its kind: a header, an event (it has a prevHash) or a checkpoint (it has a signature). */
function countLine(line: string, counts: { lines: number; events: number; checkpoints: number }): void {
  counts.lines++;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return;
  }
  if (typeof record !== "object" || record === null) return;
  const fields = record as Record<string, unknown>;
  const kind = typeof fields["type"] === "string" ? fields["type"] : typeof fields["kind"] === "string" ? fields["kind"] : "";
  if (kind === "event" || (kind === "" && "prevHash" in fields)) counts.events++;
  else if (kind === "checkpoint" || (kind === "" && "signature" in fields)) counts.checkpoints++;
}

export interface AuditPublicKeyOptions extends SignInOptions {
  out?: string;
  force?: boolean;
}

/**
 * `msp audit public-key [--out FILE]`: the PEM of the key checkpoints verify with, to keep
 * elsewhere. On stdout alone (the ids and the anchor go to stderr, so `> audit.pem` keeps just the
 * key), or written to FILE with the ids on stdout.
 */
export async function auditPublicKeyCommand(options: AuditPublicKeyOptions, deps: AuditDeps = processAuditDeps()): Promise<void> {
  const out = options.out === undefined ? undefined : outputPath(options.out, options.force);
  const signedIn = await signInFor("audit", options, deps);
  const keys = await attempt(signedIn, (platform) => platform.getAuditKeys());
  const pem = keys.publicKeyPem ?? "";
  if (!pem.includes("BEGIN PUBLIC KEY")) throw new CommandError("the audit service sent no public key", "no_public_key");
  const text = pem.endsWith("\n") ? pem : `${pem}\n`;
  if (out !== undefined) {
    try {
      writeFileSync(out, text, { mode: 0o644 });
    } catch (error) {
      throw new CommandError(`--out: cannot write ${out} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, "unwritable");
    }
    emit(options, { ...keys, file: out }, [`Public key written to ${out}.`, ...auditKeyLines(keys)]);
    return;
  }
  if (options.json) {
    emit(options, keys, "");
    return;
  }
  process.stdout.write(text);
  process.stderr.write(`${auditKeyLines(keys).join("\n")}\n`);
}

/** `msp audit status`: how far the drain is, what waits in the outbox, the last checkpoint. */
export async function auditStatusCommand(options: SignInOptions, deps: AuditDeps = processAuditDeps()): Promise<void> {
  const signedIn = await signInFor("audit", options, deps);
  const status = await attempt(signedIn, (platform) => platform.getAuditStatus());
  emit(options, status, auditStatusLines(status));
}

export interface AuditPruneOptions extends SignInOptions {
  olderThanDays?: string;
  yes?: boolean;
}

/**
 * `msp audit prune --older-than-days N [--yes]`: deletes events older than N days, up to the
 * newest checkpoint before the cut-off (kept as the chain's anchor, so the rest still verifies).
 * Asks on a terminal unless --yes; without a terminal, --yes is required.
 */
export async function auditPruneCommand(options: AuditPruneOptions, deps: AuditDeps = processAuditDeps()): Promise<void> {
  if (options.olderThanDays === undefined) throw new CommandError("--older-than-days N is required (events older than N days are pruned)");
  const days = wholeNumberOf(options.olderThanDays, "--older-than-days", 1, 100_000, "a number of days") ?? 0;
  if (!options.yes) {
    if (!deps.secrets.stdinIsTTY)
      throw new CommandError(
        "pruning deletes audit events for good: add --yes to prune without a terminal to confirm on",
        "confirmation_required",
      );
    let answer: string;
    try {
      answer = await deps.ask(
        `Delete the audit events older than ${days} day${days === 1 ? "" : "s"} for good (up to the newest checkpoint before then, which stays as the chain's anchor)? Type yes to go on: `,
      );
    } catch {
      throw new CommandError("nothing was pruned", "cancelled");
    }
    if (answer.trim().toLowerCase() !== "yes") throw new CommandError("nothing was pruned", "cancelled");
  }
  const signedIn = await signInFor("audit", options, deps);
  const answer = await attempt(signedIn, (platform) => platform.pruneAuditEvents(days));
  const pruned = int64(answer.prunedEvents);
  const anchor = int64(answer.anchorSeq);
  emit(
    options,
    answer,
    pruned > 0
      ? `Pruned ${pruned} event${pruned === 1 ? "" : "s"}; the chain now starts after the checkpoint at seq ${anchor}.`
      : `Nothing was pruned${answer.detail ? `: ${answer.detail}` : "."}`,
  );
}
