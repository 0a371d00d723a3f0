import { fstatSync, readSync } from "node:fs";

// process.stdin is never touched unless it must be: building it loads node:net and the stream
// modules, about 2.5 ms of a hook's start-up.

/** Whether stdin is a terminal (someone typed `msp hook ...` by hand). */
export function stdinIsTerminal(): boolean {
  try {
    // Almost always a pipe or a socket: the terminal check (node:tty) loads only for a character device.
    if (!fstatSync(0).isCharacterDevice()) return false;
  } catch {
    return false; // no stdin at all
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("node:tty") as typeof import("node:tty")).isatty(0);
}

/**
 * Everything on stdin, read until the writer closes it: Claude Code writes the hook's JSON and
 * closes stdin, as every command hook (jq, cat) needs. A stdin handed over non-blocking refuses
 * a synchronous read once it is empty: the rest is read as a stream, after what was read already.
 */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  const buffer = Buffer.allocUnsafe(64 * 1024);
  try {
    for (;;) {
      const bytes = readSync(0, buffer, 0, buffer.length, null);
      if (bytes === 0) return Buffer.concat(chunks).toString("utf8");
      chunks.push(Buffer.from(buffer.subarray(0, bytes)));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
  }
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
