// The one line of a failed tool's output, or of an error log the user pasted, that names the
// error: what a reader needs to recognise the same failure next time.
import { stripAnsi } from "./text-tools";

const ERROR_WORDS =
  /error|fatal|fail|exception|denied|not found|no such|cannot|can't|couldn't|unable|refused|unbound|timed out|timeout|invalid|missing|unknown|not allowed|forbidden|unauthori[sz]ed|conflict|already in use|exceeds|rejected|traceback|panic|segmentation|killed|no module|not recognized|is required|not a tty|错误|失败|无法|不支持|拒绝/i;
/** Phrases that name the actual problem, as opposed to a generic "error:" prefix. */
const SPECIFIC =
  /exceeds|not found|no such|denied|refused|unbound|syntax error|cannot|can't|unable to|failed to (connect|start|load|open|read|write|find|resolve)|invalid|missing|timed out|already (in use|exists)|not a tty|no module named|not supported|is required|unknown|not recognized|permission|out of (memory|space)|no space|conflict|undefined|does not exist|doesn't exist|not allowed|expected|unexpected/i;
const UNINFORMATIVE = /\b(trace|request id|see https?:|for more information|hint:|note:)\b|[0-9a-f]{20,}/i;
const PYTHON_EXCEPTION = /^\s*([\w.]+(Error|Exception|Exit|Interrupt)):\s*\S/;
const NOISE =
  /^\s*(%\s+Total|Dload\s+Upload|\d+\s+\d+\s+\d+|[-=#*─━═]+\s*$|\[?\s*=+>?\s*\]|Exit code \d+$|\s*\^+\s*$|~+\^*\s*$|<\/?(status|exit_code|timestamp|stdout|stderr)>.*$)/;

function meaningfulLines(text: string): string[] {
  return stripAnsi(text)
    .replace(/<\/?tool_use_error>/g, "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !NOISE.test(line) && line.length < 2000);
}

function score(line: string): number {
  let value = ERROR_WORDS.test(line) ? 1 : 0;
  if (SPECIFIC.test(line)) value += 2;
  if (PYTHON_EXCEPTION.test(line)) value += 3;
  if (UNINFORMATIVE.test(line)) value -= 3;
  if (/^traceback/i.test(line)) value -= 2;
  return value;
}

/** Lines of the text that look like an error message, in order. */
export function errorLines(text: string): string[] {
  return meaningfulLines(text).filter((line) => ERROR_WORDS.test(line));
}

/**
 * The most telling error line: the best-scoring line (specific phrases and Python-style
 * `XError: message` lines win, trace ids and hints lose), the first on ties; else the first
 * line with words in it.
 */
export function errorLine(text: string): string | undefined {
  const lines = meaningfulLines(text);
  let best: string | undefined;
  let bestScore = 0;
  for (const line of lines) {
    const value = score(line);
    // A Python traceback ends with its exception: later exception lines win over earlier ones.
    if (value > bestScore || (value === bestScore && value >= 4 && PYTHON_EXCEPTION.test(line))) {
      best = line;
      bestScore = value;
    }
  }
  return best ?? lines.find((line) => /\p{L}{3}/u.test(line));
}

/**
 * Whether an output that came with exit status 0 still reports a failure: a job's "[1]+ Exit 1"
 * or "cannot run as root" anywhere, other error forms only in the last three lines (earlier
 * ones are often harmless warnings, such as dpkg-preconfigure's).
 */
export function reportsFailure(text: string): boolean {
  const lines = meaningfulLines(text).filter((line) => !/^(dpkg-preconfigure|debconf|W:|warning:|WARNING:|hint:)/i.test(line));
  if (lines.length === 0 || lines.length > 60) return false;
  if (lines.some((line) => /\[\d+\]\+\s+Exit [1-9]|\bcannot run as\b/i.test(line))) return true;
  return lines
    .slice(-3)
    .some((line) =>
      /^(error|fatal|e)\s*[:|]|^\s*(ERROR|FATAL)\b|command not found|no such file or directory|permission denied|is not recognized|not supported/i.test(
        line,
      ),
    );
}

/** Whether a pasted user text looks like an error log rather than prose. */
export function looksLikeErrorLog(text: string): boolean {
  const logLike =
    /^\s*(\[(ERROR|WARN|INFO|FATAL)\]|Traceback|\S+:\s*line \d+:|E:|error:|ERROR|fatal:|panic:)/im.test(text) ||
    /\n\s+at \S+ \(/.test(text);
  return logLike && errorLines(text).length > 0;
}
