import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * The folder of real Claude Code transcripts (third-party data, never copied into the
 * repository): MSP_TRANSCRIPTS_DIR, else ../shared/fixtures/transcripts next to the repository.
 */
export const transcriptsDir = process.env["MSP_TRANSCRIPTS_DIR"] ?? resolve(__dirname, "../../../..", "../shared/fixtures/transcripts");

/** The path of a real transcript, or undefined when it is not on this machine. */
export function realTranscript(relativePath: string): string | undefined {
  const path = join(transcriptsDir, relativePath);
  return existsSync(path) ? path : undefined;
}

/** `describe` when every named transcript is present; otherwise skipped, saying why. */
export function describeWithTranscripts(name: string, paths: readonly string[], body: (files: string[]) => void): void {
  const files = paths.map(realTranscript);
  const missing = paths.filter((_, i) => files[i] === undefined);
  if (missing.length > 0) {
    console.warn(`skipping "${name}": real transcripts not found in ${transcriptsDir} (${missing.join(", ")}); set MSP_TRANSCRIPTS_DIR`);
    describe.skip(name, () => body([]));
    return;
  }
  describe(name, () => body(files as string[]));
}
