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

/** A step of a progress display and the percentage it reached. */
export interface ProgressStep {
  label: string;
  percent: number;
}

/** A progress line: a bar (optional), a percentage, then what is in progress ("[====   ] 29% Downloading x.zip..."). */
const PROGRESS_LINE = /^(?:\[[=#>. -]*\]\s*)?(\d{1,3})%\s+(\S.*)$/;

/**
 * The steps a progress display went through (its lines are redrawn after a carriage return), in
 * order, each once with the last percentage it showed: "Downloading x86_64-36_r07.zip... 29%".
 * Adds to `steps` (a background job's earlier reads) and returns it; a line that is no progress
 * line (a fragment a `tail -c` cut) is left out.
 */
export function progressSteps(text: string, steps: ProgressStep[] = []): ProgressStep[] {
  for (const raw of stripAnsi(text).split(/[\r\n]+/)) {
    const match = PROGRESS_LINE.exec(raw.replace(/\s+/g, " ").trim());
    if (!match) continue;
    const label = (match[2] ?? "").trim();
    const percent = Number(match[1]);
    const known = steps.find((step) => step.label === label);
    if (known) known.percent = percent;
    else steps.push({ label, percent });
  }
  return steps;
}

/** Longest progress note: room for the last few steps. */
export const maxProgressChars = 200;

/** The last steps of a progress display, newest last, within maxProgressChars: "Downloading a.zip... 100%; Unzipping... b.img 55%". */
export function progressGist(steps: readonly ProgressStep[]): string | undefined {
  const shown: string[] = [];
  let chars = 0;
  for (const step of [...steps].reverse()) {
    const text = `${step.label} ${step.percent}%`;
    if (chars + text.length + 2 > maxProgressChars) break;
    shown.unshift(text);
    chars += text.length + 2;
  }
  return shown.length === 0 ? undefined : shown.join("; ");
}

/** A log line's marker before what it says: "[-] ", "[*] ", "INFO: ", "==> ". */
const LOG_MARKER = /^(?:\[[-*!+i\w]{1,5}\]|[-*=>#]+|INFO:|NOTE:)\s*/i;
/** "Device SDK API: 33", "Kernel version: 6.8.0-45": a label and a short value with a digit in it. */
const REPORTED_VALUE = /^([A-Z][\w .-]{1,30}?):\s+(\S*\d[^\s:]*(?: \S+)?)$/;
/** Most values a job's reads keep. */
export const maxReportedValues = 4;

/**
 * What a job's log reported as values ("Device SDK API: 33"), each label once with its last value,
 * in order, at most maxReportedValues: what a long-running script detected or settled. Adds to
 * `values` (a job's earlier reads) and returns it.
 */
export function reportedValues(text: string, values: Map<string, string> = new Map()): Map<string, string> {
  for (const raw of stripAnsi(text).split(/[\r\n]+/)) {
    const match = REPORTED_VALUE.exec(raw.replace(/\s+/g, " ").trim().replace(LOG_MARKER, ""));
    const label = match?.[1];
    const value = match?.[2];
    if (!label || !value || /^(usage|note|hint|see|example)/i.test(label)) continue;
    if (!values.has(label) && values.size >= maxReportedValues) continue;
    values.set(label, value);
  }
  return values;
}
