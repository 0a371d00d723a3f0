// `msp`: every command but the hooks' hot path (bin/msp.js sends `msp hook ...` to hook-main
// without loading this file). commander parses; each command lives in commands/.
import { Command, CommanderError, Option } from "commander";
import { writeLog } from "./local/error-log";
import { ApiError, closeConnections, UnreachableError } from "./platform/http-json";
import type { CommonOptions } from "./commands/command-support";
import { CommandError, pathsOf } from "./commands/command-support";
import type { CredAddOptions, CredListOptions, CredOptions, CredRevealOptions, CredRotateOptions } from "./commands/cred";
import { credAddCommand, credListCommand, credRevealCommand, credRotateCommand, credShowCommand, credTotpCommand } from "./commands/cred";
import { credentialTypes } from "./commands/cred-format";
import type { LinkOptions } from "./commands/link";
import { linkCommand } from "./commands/link";
import type { RecallOptions } from "./commands/recall";
import { recallCommand } from "./commands/recall";
import type { SetupOptions } from "./commands/setup";
import { setupCommand } from "./commands/setup";
import { statusCommand } from "./commands/status";
import type { SyncOptions } from "./commands/sync";
import { syncCommand } from "./commands/sync";
import { hookMain } from "./hook-main";
import { hookEvents } from "./hooks/hook-input";
import { SettingsShapeError } from "./settings/claude-settings";
import { ConfigError } from "./local/cli-config";

/** The commander program; exported so tests can read its help. */
export function buildProgram(): Command {
  const program = new Command("msp")
    .description("The MSP platform's Claude Code companion: memory across machines, work tracking, offline spool")
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
      .option("--server <url>", "the platform's gateway URL")
      .option("--user <name>", "sign in as this user (password from MSP_PASSWORD, --password-stdin, or asked)")
      .option("--token <key>", "an API key (msp_...) or access token instead of a password")
      .option("--password-stdin", "read the password from stdin")
      .option("--name <friendly>", "a friendly name for this machine")
      .option("--no-hooks", "leave ~/.claude/settings.json alone")
      .option("--uninstall", "remove the hooks msp added and this machine's config"),
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
      .command("link")
      .description("tie this folder (its repository) to a project, for folders whose git remote names no project")
      .option("--project <id|slug>", "the project")
      .option("--client <id>", "the client, when not the project's")
      .option("--folder <dir>", "link this folder instead of the current one")
      .option("--remove", "remove the folder's link"),
  ).action((options: LinkOptions) => linkCommand(options));

  addCredCommands(program, common);
  return program;
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
