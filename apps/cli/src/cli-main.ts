// `msp`: every command but the hooks' hot path (bin/msp.js sends `msp hook ...` to hook-main
// without loading this file). commander parses; each command lives in commands/.
import { Command, CommanderError, Option } from "commander";
import { writeLog } from "./local/error-log";
import { ApiError, closeConnections, UnreachableError } from "./platform/http-json";
import type { AdminBackupOptions, AdminBackupsOptions, BackupWaitOptions } from "./commands/admin-backup";
import { adminBackupCommand, adminBackupsCommand, adminVerifyBackupCommand } from "./commands/admin-backup";
import type {
  AuditEventsOptions,
  AuditExportOptions,
  AuditPruneOptions,
  AuditPublicKeyOptions,
  AuditVerifyOptions,
} from "./commands/audit";
import {
  auditEventsCommand,
  auditExportCommand,
  auditPruneCommand,
  auditPublicKeyCommand,
  auditStatusCommand,
  auditVerifyCommand,
} from "./commands/audit";
import { auditActions, auditOutcomes } from "./commands/audit-format";
import { backupTypes } from "./commands/backup-format";
import type { CommonOptions } from "./commands/command-support";
import { CommandError, pathsOf } from "./commands/command-support";
import type { CredAddOptions, CredListOptions, CredOptions, CredRevealOptions, CredRotateOptions } from "./commands/cred";
import { credAddCommand, credListCommand, credRevealCommand, credRotateCommand, credShowCommand, credTotpCommand } from "./commands/cred";
import { credentialTypes } from "./commands/cred-format";
import type { LinkOptions } from "./commands/link";
import { linkCommand } from "./commands/link";
import type { McpOptions } from "./mcp/mcp-server";
import type { RecallOptions } from "./commands/recall";
import type { SignInOptions } from "./commands/sign-in";
import { recallCommand } from "./commands/recall";
import type { SetupOptions } from "./commands/setup";
import { setupCommand } from "./commands/setup";
import { statusCommand } from "./commands/status";
import type { SummarizeOptions } from "./commands/summarize";
import { summarizeCommand } from "./commands/summarize";
import type { SyncOptions } from "./commands/sync";
import { syncCommand } from "./commands/sync";
import { hookMain } from "./hook-main";
import { hookEvents } from "./hooks/hook-input";
import { SettingsShapeError } from "./settings/claude-settings";
import { ConfigError } from "./local/cli-config";
// Bundled in by esbuild: the version of the package this msp was built (and packed) from.
import { version as cliVersion } from "../package.json";

/** The commander program; exported so tests can read its help. */
export function buildProgram(): Command {
  const program = new Command("msp")
    .description(
      "The MSP platform's Claude Code companion: memory across machines, work tracking, offline spool; the vault, the audit chain and backups",
    )
    .version(cliVersion, "-V, --version", "print msp's version")
    .showHelpAfterError()
    .exitOverride();
  const common = (command: Command) =>
    command
      .option("--json", "print JSON for scripts")
      .addOption(new Option("--home <dir>", "config folder (default: $MSP_HOME or ~/.msp)"));

  common(
    program
      .command("setup")
      .description("sign in, register this machine, create its API key, install the Claude Code hooks, show what a session here recalls")
      .option("--server <url>", "the platform's gateway URL (http://host:8080; the /api/v1 REST URL npm start prints works too)")
      .option("--user <name>", "sign in as this user (password from MSP_PASSWORD, --password-stdin, or asked)")
      .option("--token <key>", "an API key (msp_...) or access token instead of a password")
      .option("--password-stdin", "read the password from stdin")
      .option("--name <friendly>", 'a friendly name for this machine, and its API key ("msp hooks on <name>"); the host name by default')
      .option("--no-hooks", "leave ~/.claude/settings.json alone")
      .option("--uninstall", "remove the hooks msp added and this machine's config; asks before removing the spool and the logs")
      .option("--purge", "with --uninstall: also remove the spool and the logs, without asking")
      .option("--yes", "with --uninstall: answer yes to removing the spool and the logs")
      .option(
        "--summarizer <tool>",
        "claude: after each session your own Claude Code (claude -p) writes a summary too, at your tokens' cost; off: stop (default off)",
      )
      .option("--summarizer-model <model>", "the model claude -p uses for summaries (default haiku)")
      .option("--summarizer-daily-tokens <n>", "the most tokens summaries may use a day on this machine (default 200000)")
      .option("--summarizer-command <path>", "the claude executable (default: claude on PATH)"),
  ).action((options: SetupOptions) => setupCommand(options));

  common(
    program
      .command("hook")
      .description(`run a Claude Code hook (${hookEvents.join(", ")}); reads Claude's JSON on stdin`)
      .argument("<event>", "hook event, such as session-start or SessionStart"),
  ).action((event: string, options: { home?: string }) => hookMain(["hook", event, ...(options.home ? ["--home", options.home] : [])]));

  common(
    program
      .command("recall")
      .description("what the platform remembers for this folder, or for a query; --id shows one item in full")
      .argument("[query...]", "words to look for")
      .option("--id <shortId>", "one memory item in full")
      .option("--explain", "show why each item was chosen")
      .option("--budget <chars>", "characters of text (200-10000, default 8000)")
      .option("--cwd <dir>", "recall for this folder instead of the current one"),
  ).action((query: string[], options: RecallOptions) => recallCommand(query, options));

  common(
    program
      .command("mcp")
      .description(
        "serve this folder's memory to Claude Code over stdio (MCP): search, an item in full, recent work, known failures, save a note or decision",
      )
      .option("--cwd <dir>", "the folder whose memory to serve instead of the current one"),
  ).action(async (options: McpOptions) => {
    // Loaded on demand: the MCP SDK is only needed by this command.
    const { mcpCommand } = await import("./mcp/mcp-server");
    await mcpCommand(options);
  });

  common(program.command("status").description("server reachable?, spooled events, last errors, this machine, this folder")).action(
    (options: CommonOptions) => statusCommand(options),
  );

  common(
    program
      .command("sync")
      .description("deliver the spooled events now")
      .option("--wait <seconds>", "how long to wait for a background sender to finish (default 60)")
      .addOption(new Option("--background", "run quietly, as the hooks start it").hideHelp()),
  ).action((options: SyncOptions) => syncCommand(options));

  common(
    program
      .command("summarize")
      .description("write the model summaries of ended sessions now (msp setup --summarizer claude), and wait for one being written")
      .option("--wait <seconds>", "how long to wait for a background summarizer to finish (default 300)")
      .addOption(new Option("--background", "run quietly, as the sender starts it").hideHelp()),
  ).action((options: SummarizeOptions) => summarizeCommand(options));

  common(
    program
      .command("link")
      .description("tie this folder (its repository) to a project, for folders whose git remote names no project")
      .option("--project <id|slug>", "the project")
      .option("--client <id>", "the client, when not the project's")
      .option("--folder <dir>", "link this folder instead of the current one")
      .option("--remove", "remove the folder's link"),
  ).action((options: LinkOptions) => linkCommand(options));

  addCredCommands(program, common);
  addAuditCommands(program, common);
  addAdminCommands(program, common);
  return program;
}

/** What the commands that sign in like `msp cred` say about it after their help; `scopes` names the API key scopes they need. */
const signInHelp = (scopes: string) =>
  "\nSigns in as --user NAME (an admin; password from MSP_PASSWORD or asked), else with MSP_TOKEN\n" +
  `(an admin's access token, or an API key with ${scopes}), else with the\n` +
  "machine key msp setup stored, which by default carries only the hooks' scopes and so is refused.";

/** `--user NAME`, as `msp cred` takes it. */
const signedIn = (common: (command: Command) => Command) => (command: Command) =>
  common(command).option("--user <name>", "sign in as this user (password from MSP_PASSWORD or asked) instead of the machine key");

/** `msp audit ...`: the platform's audit chain (admins, or a token or API key with audit scopes). */
function addAuditCommands(program: Command, common: (command: Command) => Command): void {
  const audit = program
    .command("audit")
    .description("the platform's audit chain: events, verify (online or an export offline), export, public key, status, prune")
    .addHelpText(
      "after",
      `${signInHelp("audit:read, or audit:write to prune")}\n` +
        "msp audit verify --file EXPORT --hmac-key-file K --public-key-file P needs neither the platform nor msp setup.",
    );
  const user = signedIn(common);

  user(
    audit
      .command("events")
      .description("audit events, newest first: seq, time, principal, action, resource, outcome, method")
      .option("--resource <id>", "only events about this record (its id)")
      .option("--type <resourceType>", "only this kind of record, such as credential or client")
      .option("--principal <name>", "only what this user (or machine) did")
      .option("--action <action>", `only this action (${auditActions.join(", ")})`)
      .option("--outcome <outcome>", `only this outcome (${auditOutcomes.join(", ")})`)
      .option("--since <date>", "from this date or time on, such as 2026-12-01 or 2026-12-01T09:30:00Z")
      .option("--until <date>", "up to this date (the whole day) or time")
      .option("--filter <expr>", "a List filter, such as 'service = \"vault-service\"' (ANDed with the options above)")
      .option("--oldest-first", "oldest first, as a record's history reads")
      .option("--limit <n>", "at most this many events (default 50)"),
  ).action((options: AuditEventsOptions) => auditEventsCommand(options));

  user(
    audit
      .command("verify")
      .description(
        "check the chain: on the server (--from/--to), or an export file offline (--file with the keys); exit code 1 when broken",
      )
      .option("--from <seq>", "first seq to check (default: the start of the chain)")
      .option("--to <seq>", "last seq to check (default: the newest event)")
      .option("--file <export>", "verify this export (msp audit export) here, without the platform")
      .option("--hmac-key-file <file>", "with --file: the audit HMAC key")
      .option("--public-key-file <file>", "with --file: the checkpoints' public key (PEM, as msp audit public-key prints it)"),
  ).action((options: AuditVerifyOptions) => auditVerifyCommand(options));

  user(
    audit
      .command("export")
      .description("write the chain (a header, events and signed checkpoints as JSON lines) to a file, mode 0600")
      .option("--out <file>", "the file to write (required)")
      .option("--from <seq>", "first seq (default: the start of the chain)")
      .option("--to <seq>", "last seq (default: the newest event)")
      .option("--force", "overwrite the file if it exists")
      .addOption(new Option("--page-size <n>", "events per request (default 5000)").hideHelp()),
  ).action((options: AuditExportOptions) => auditExportCommand(options));

  user(
    audit
      .command("public-key")
      .description("the checkpoints' public key (PEM on stdout; its id, the HMAC key's id and the anchor on stderr), to keep elsewhere")
      .option("--out <file>", "write the PEM to this file instead")
      .option("--force", "overwrite the file if it exists"),
  ).action((options: AuditPublicKeyOptions) => auditPublicKeyCommand(options));

  user(audit.command("status").description("the chain's head, outbox rows waiting, the last checkpoint, who holds the drain")).action(
    (options: SignInOptions) => auditStatusCommand(options),
  );

  user(
    audit
      .command("prune")
      .description("delete events older than N days, up to a checkpoint that stays as the chain's anchor (asks first)")
      .option("--older-than-days <n>", "prune events that occurred before this many days ago (required, 1 or more)")
      .option("--yes", "do not ask (required without a terminal)"),
  ).action((options: AuditPruneOptions) => auditPruneCommand(options));
}

/** `msp admin ...`: backups of the platform's database (admins, or a token or API key with audit scopes). */
function addAdminCommands(program: Command, common: (command: Command) => Command): void {
  const admin = program
    .command("admin")
    .description("the platform's own upkeep: database backups, verified by restoring them")
    .addHelpText("after", signInHelp("audit:write, or audit:read to list"));
  const user = signedIn(common);
  const waiting = (command: Command) =>
    user(command)
      .option("--no-wait", "start it and return at once")
      .option("--timeout <seconds>", "how long to wait for it at most (default 3600)");

  waiting(
    admin
      .command("backup")
      .description("back up the platform's database and wait for it: file, size, checksum, status; exit code 1 when it failed")
      .option("--verify", "then restore it into a scratch database and check it (row counts, the audit chain)")
      .option("--type <type>", `${backupTypes.join(", ")} (default manual)`),
  ).action((options: AdminBackupOptions) => adminBackupCommand(options));

  user(
    admin
      .command("backups")
      .description("the backups, newest first")
      .option("--filter <expr>", "a List filter on backup_type, status, started_at, such as 'status = \"verified\"'")
      .option("--limit <n>", "at most this many (default 50)"),
  ).action((options: AdminBackupsOptions) => adminBackupsCommand(options));

  waiting(
    admin
      .command("verify-backup")
      .description("restore a backup into a scratch database and check it again, and wait for the result")
      .argument("<id>", "the backup's id (msp admin backups shows them)"),
  ).action((id: string, options: BackupWaitOptions) => adminVerifyBackupCommand(id, options));
}

/** `msp cred ...`: the vault's credentials. Secrets come from stdin or a prompt, never from an option. */
function addCredCommands(program: Command, common: (command: Command) => Command): void {
  const cred = program
    .command("cred")
    .description("the vault's credentials: list, show, reveal (with a reason), add, rotate, TOTP codes")
    .addHelpText(
      "after",
      "\nSigns in with the machine key msp setup stored, unless --user NAME (password from MSP_PASSWORD or asked)\n" +
        "or MSP_TOKEN (an access token or API key with vault scopes) says otherwise. Secrets are read from stdin\n" +
        "or asked for without echo, never taken from the command line.",
    );
  const vault = (command: Command) =>
    common(command).option("--user <name>", "sign in as this user (password from MSP_PASSWORD or asked) instead of the machine key");
  /** Hidden options that exist only to be refused with a clear message. */
  const noSecretOptions = (command: Command) =>
    command.addOption(new Option("--secret [value]").hideHelp()).addOption(new Option("--password [value]").hideHelp());
  const types = credentialTypes.join(", ");

  vault(
    cred
      .command("list")
      .description("the credentials you may read, without secrets")
      .option("--client <id>", "only this client's")
      .option("--type <type>", `only this type (${types})`)
      .option("--filter <expr>", "a List filter, such as 'host = \"dc01.contoso.local\"' (ANDed with --client and --type)"),
  ).action((options: CredListOptions) => credListCommand(options));

  vault(cred.command("show").description("one credential, without its secret").argument("<id>", "the credential's id")).action(
    (id: string, options: CredOptions) => credShowCommand(id, options),
  );

  vault(
    cred
      .command("reveal")
      .description("print the secret alone on stdout (pipe it); the reason is kept in the vault's access log")
      .argument("<id>", "the credential's id")
      .option("--reason <text>", "why you need the secret (required)"),
  ).action((id: string, options: CredRevealOptions) => credRevealCommand(id, options));

  vault(
    noSecretOptions(
      cred
        .command("add")
        .description("add a credential; the secret is read from stdin, asked for twice without echo, or generated")
        .option("--name <name>", 'a name people recognise, such as "Contoso DC01 local admin" (required)')
        .option("--type <type>", `the kind of secret (required): ${types}`)
        .option("--username <name>", "the account name")
        .option("--url <url>", "where it is used, such as https://fw.contoso.example (its host is kept for matching)")
        .option("--client <id>", "the client it belongs to")
        .option("--notes <text>", "how to use it (never the secret)")
        .option("--expires <date>", "when it stops working, such as 2027-03-31 or 2027-03-31T18:00:00Z")
        .option("--generate", "let the vault generate a password (it is not printed: use msp cred reveal)")
        .option("--length <n>", "characters of the generated password (8-256, default 24)"),
    ),
  ).action((options: CredAddOptions) => credAddCommand(options));

  vault(
    noSecretOptions(
      cred
        .command("rotate")
        .description("replace the secret (the old one is kept as a version); read from stdin, asked for twice, or generated")
        .argument("<id>", "the credential's id")
        .option("--reason <text>", 'why it changed, such as "technician left" (kept in the access log)')
        .option("--generate", "let the vault generate a password (it is not printed: use msp cred reveal)")
        .option("--length <n>", "characters of the generated password (8-256, default 24)"),
    ),
  ).action((id: string, options: CredRotateOptions) => credRotateCommand(id, options));

  vault(
    cred
      .command("totp")
      .description("the current code of a totp_seed credential on stdout (how long it stays valid on stderr)")
      .argument("<id>", "the credential's id")
      .option("--reason <text>", "why you need the code (kept in the access log)"),
  ).action((id: string, options: CredRevealOptions) => credTotpCommand(id, options));
}

/** Runs the CLI; exit code 0 on success, 1 on a failure (printed as text or, with --json, as JSON). */
export async function cliMain(args: readonly string[]): Promise<void> {
  const program = buildProgram();
  const json = args.includes("--json");
  try {
    await program.parseAsync([...args], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    report(error, json, args);
    process.exitCode = 1;
  } finally {
    closeConnections();
  }
}

function report(error: unknown, json: boolean, args: readonly string[]): void {
  const known =
    error instanceof CommandError ||
    error instanceof ApiError ||
    error instanceof UnreachableError ||
    error instanceof ConfigError ||
    error instanceof SettingsShapeError;
  const code =
    error instanceof CommandError
      ? error.code
      : error instanceof ApiError
        ? error.code
        : error instanceof UnreachableError
          ? "unreachable"
          : "error";
  const message =
    error instanceof UnreachableError
      ? `the platform cannot be reached: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  if (!known) {
    const homeAt = args.indexOf("--home");
    writeLog(
      pathsOf(homeAt === -1 ? {} : { home: args[homeAt + 1] ?? "" }).log,
      "error",
      args[0] ?? "msp",
      error instanceof Error ? (error.stack ?? message) : message,
    );
  }
  if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
  else process.stderr.write(`msp: ${message}\n`);
}

if (require.main === module) void cliMain(process.argv.slice(2));
