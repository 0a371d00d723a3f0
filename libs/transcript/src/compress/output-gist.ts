// The gist of what a command printed: the one line of its output a technician relies on later
// (an error, a usage line, a uid, a version, an id, a key=value, a URL or port), not a listing,
// a progress bar or a file's body.
import { errorLine } from "./error-line";
import { specificsOf } from "./findings";
import { stripAnsi } from "./text-tools";

/** Longest gist kept: a longer line is cut there ("uid=2000(shell) gid=2000(shell) groups=..."). */
export const maxGistChars = 120;

/** Lines that say nothing on their own: progress, listings, JSON fragments, banners, Claude Code's own notices. */
const NOISE =
  /^(\(Bash completed with no output\)|Command running in background|hint:|#|total \d+$|"[^"]*"\s*:|[{}[\]],?$|[-dlcbps][rwxsStT-]{9}[.+@]?\s|[\W_]+$)|\[=+|\d+%\s*\]|\d+%$/;
/** A line that reads as a statement of a value or an outcome. */
const TELLING =
  /\busage:|\bversion\b|\buid=\d|\b\w[\w.-]*=\S|\b(error|failed|denied|refused|not found|cannot|unable|deleted|created|installed|started|stopped|listening|running|success(ful(ly)?)?|done|exists|rejected|aborted|killed)\b|\bv?\d+\.\d+(\.\d+)+\b|\b\d{1,3}(\.\d{1,3}){3}\b|https?:\/\//i;

function candidateLines(text: string): string[] {
  return stripAnsi(text)
    .split(/[\r\n]+/)
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter((line) => line !== "" && !NOISE.test(line));
}

/** What a line is worth as the gist: telling words and the specifics it names; long lines weigh less. */
function worth(line: string): number {
  const specifics = Math.min(specificsOf(line).size, 4);
  return (TELLING.test(line) ? 3 : 0) + specifics - (line.length > 200 ? 2 : 0);
}

/**
 * The gist of a command's output: its only line, else its error line when it has one, else its
 * most telling line (the first on ties), cut to maxGistChars; undefined when nothing in it tells
 * anything (a listing, a progress bar, no output). At most the first 40 lines are read: a long
 * output is a body, not a result.
 */
export function outputGist(text: string): string | undefined {
  const lines = candidateLines(text).slice(0, 40);
  if (lines.length === 0) return undefined;
  if (lines.length === 1) return cut(lines[0] as string);
  const error = errorLine(lines.join("\n"));
  if (
    error &&
    /error|fail|denied|refused|cannot|unable|not found|no such|invalid|missing|exceeds|rejected|aborted|core dumped|killed/i.test(error)
  )
    return cut(error);
  let best: string | undefined;
  let bestWorth = 2;
  for (const line of lines) {
    const value = worth(line);
    if (value > bestWorth) {
      best = line;
      bestWorth = value;
    }
  }
  return best === undefined ? undefined : cut(best);
}

function cut(line: string): string {
  return line.length <= maxGistChars ? line : `${line.slice(0, maxGistChars - 1).replace(/\s\S*$/, "")}…`;
}
