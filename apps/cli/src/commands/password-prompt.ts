/**
 * Asks for a password on the terminal without echoing it (raw mode: each key is read as typed;
 * Backspace edits, Enter ends, Ctrl-C and Ctrl-D abort). The prompt goes to stderr, so
 * `--json` output on stdout stays clean.
 */
export function promptPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new Error("no terminal to ask for the password on"));
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let password = "";
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(password);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003" || char === "\u0004") return finish(new Error("password entry cancelled"));
        if (char === "\u007f" || char === "\b") password = Array.from(password).slice(0, -1).join("");
        else if (char >= " ") password += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

/** A line from a terminal (the user name when --user was not given), echoed as usual. */
export async function promptLine(prompt: string): Promise<string> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(prompt)).trim();
  } finally {
    rl.close();
  }
}

/** All of stdin (or of `input`), trimmed of its final newline (--password-stdin, a secret piped to msp cred). */
export async function readAllStdin(input: AsyncIterable<Buffer | string> = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}
