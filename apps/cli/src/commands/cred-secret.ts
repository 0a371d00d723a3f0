// Where `msp cred add` and `msp cred rotate` get a secret: stdin when it is not a terminal, else a
// prompt without echo, asked twice. Never the command line: argv lands in shell history, in
// `ps` output, and in the commands the Claude Code hooks record.
import { CommandError } from "./command-support";
import { promptPassword, readAllStdin } from "./password-prompt";

/** Where a command reads a secret from; tests give their own. */
export interface SecretSource {
  stdin: AsyncIterable<Buffer | string>;
  /** stdin is a terminal: ask on it instead of reading it. */
  stdinIsTTY: boolean;
  /** Asks for a line without echoing it. */
  prompt: (text: string) => Promise<string>;
}

/** The process's own stdin and terminal. */
export function processSecretSource(): SecretSource {
  return { stdin: process.stdin, stdinIsTTY: process.stdin.isTTY === true, prompt: promptPassword };
}

/** What to say when a secret is given as an option. */
export const noSecretOnCommandLine =
  "secrets are never taken from the command line (shell history and process lists would keep them): " +
  "pipe the secret on stdin (printf '%s' \"$SECRET\" | msp cred ...) or type it at the prompt, or use --generate";

/** Refuses `--secret` and `--password` (hidden options that exist only to say so). */
export function refuseSecretOption(options: { secret?: unknown; password?: unknown }): void {
  if (options.secret !== undefined || options.password !== undefined) throw new CommandError(noSecretOnCommandLine);
}

/**
 * The secret: all of stdin with one trailing newline removed when stdin is not a terminal, else
 * typed twice at a prompt that does not echo. An empty secret is refused either way.
 */
export async function readSecret(source: SecretSource, what: string): Promise<string> {
  if (!source.stdinIsTTY) {
    const secret = await readAllStdin(source.stdin);
    if (secret === "")
      throw new CommandError(
        "the secret on stdin is empty: pipe the secret in (printf '%s' \"$SECRET\" | msp cred ...), run in a terminal to be asked for it, or use --generate",
      );
    return secret;
  }
  const first = await ask(source, `Secret for ${what}: `);
  if (first === "") throw new CommandError("the secret is empty; nothing was changed");
  const second = await ask(source, "The same secret again: ");
  if (second !== first) throw new CommandError("the two entries differ; nothing was changed");
  return first;
}

async function ask(source: SecretSource, text: string): Promise<string> {
  try {
    return await source.prompt(text);
  } catch (error) {
    if (error instanceof CommandError) throw error;
    throw new CommandError("secret entry cancelled; nothing was changed", "cancelled");
  }
}
