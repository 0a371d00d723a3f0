import { readFileSync } from "node:fs";

/** Everything on stdin (Claude Code writes the hook's JSON and closes it). */
export async function readStdin(): Promise<string> {
  try {
    return readFileSync(0, "utf8");
  } catch (error) {
    // A non-blocking pipe refuses a synchronous read: read it as a stream instead.
    if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
