// Rules about shell commands: how to show one in a line, how to group repeats, and whether it
// changed something or only looked around.
import { oneLine, shorten } from "./text-tools";

/** Commands that only read state; they matter as verification, not as work done. */
const INSPECTION = new Set([
  "ls",
  "ll",
  "cat",
  "head",
  "tail",
  "less",
  "more",
  "pwd",
  "echo",
  "printf",
  "which",
  "whereis",
  "type",
  "file",
  "stat",
  "wc",
  "du",
  "df",
  "free",
  "ps",
  "pgrep",
  "top",
  "htop",
  "id",
  "whoami",
  "hostname",
  "uname",
  "env",
  "printenv",
  "date",
  "find",
  "grep",
  "egrep",
  "rg",
  "ag",
  "tree",
  "sleep",
  "true",
  "test",
  "diff",
  "sort",
  "uniq",
  "awk",
  "sed",
  "cut",
  "jq",
  "ss",
  "netstat",
  "lsof",
  "ip",
  "ifconfig",
  "ping",
  "dig",
  "nslookup",
  "host",
  "getprop",
  "dmesg",
  "journalctl",
  "history",
  "man",
  "help",
  "md5sum",
  "sha256sum",
  "readlink",
  "realpath",
  "basename",
  "dirname",
  "xxd",
  "od",
  "strings",
  "nproc",
  "lscpu",
  "lsblk",
  "blkid",
  "timeout",
  "wait",
  "jobs",
  "tr",
  "column",
  "nl",
]);

/** Sub-commands that only read state, for tools whose first word alone says nothing. */
const INSPECTION_SUBCOMMANDS: Record<string, RegExp> = {
  git: /^(status|log|diff|show|branch|remote(?!\s+(add|set-url|remove|rm|rename)\b)|rev-parse|ls-files|config --get|describe|blame|reflog|tag -l|stash list)\b/,
  docker: /^(ps|images|logs|inspect|info|version|stats|top|port|network ls|volume ls)\b/,
  "docker-compose": /^(ps|logs|config|images|top|version)\b/,
  systemctl: /^(status|is-active|is-enabled|list-units|list-unit-files|show|cat)\b/,
  kubectl: /^(get|describe|logs|top|explain|version)\b/,
  adb: /^(devices|shell getprop|shell ls|shell cat|shell ps|logcat|get-state|wait-for-device)\b/,
  npm: /^(ls|list|view|outdated|audit|config get)\b/,
  pip: /^(list|show|freeze)\b/,
  apt: /^(list|show|search|policy)\b/,
  "apt-cache": /./,
  dpkg: /^(-l|-L|-s|--list|--status)\b/,
  zfs: /^(list|get)\b/,
  zpool: /^(list|status|get)\b/,
  sdkmanager: /^(--list)\b/,
  avdmanager: /^(list)\b/,
  nginx: /^-t\b/,
  machinectl: /^(list|status|show)\b/,
};

const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=(\S+|'[^']*'|"[^"]*")\s+/;

/** The first line of a command with here-documents and long git messages folded. */
export function displayCommand(command: string, max = 160): string {
  // Leading comment lines ("# Try the mirror first") are the assistant's notes, not the command.
  let text =
    command
      .trim()
      .replace(/^(?:\s*#[^\n]*\n)+/, "")
      .trim() || command.trim();
  const commit = /\bgit commit\b[^\n]*?\s-m\s*/.exec(text);
  if (commit) {
    const message = text
      .slice(commit.index + commit[0].length)
      .replace(/^["']?\$\(cat <<-?\s*['"]?\w+['"]?\s*\n/, "")
      .replace(/^["']/, "");
    const subject = (message.split("\n").find((line) => line.trim() !== "") ?? "").replace(/["']\s*$/, "").trim();
    text = `${text.slice(0, commit.index + commit[0].length)}"${subject}"`;
  }
  const heredoc = /<<-?\s*['"]?(\w+)['"]?/.exec(text);
  if (heredoc) text = `${text.slice(0, heredoc.index + heredoc[0].length).trim()} …`;
  const firstLine = withoutPlumbing(text.split("\n")[0] ?? text);
  const more = text.includes("\n") && !firstLine.endsWith("…") ? " …" : "";
  return shorten(firstLine + more, max);
}

/** Removes output plumbing that says nothing about what a command does. */
export function withoutPlumbing(line: string): string {
  return line
    .replace(/\s+(?:\d?>|&>)\s*\/dev\/null/g, "")
    .replace(/\s+2>&1/g, "")
    .replace(/\s*\|\s*(?:head|tail)(?:\s+-n)?\s+-?\d+(?=\s*(?:$|[|;&]))/g, "")
    .replace(/\s*\|\s*grep -v grep/g, "")
    .replace(/\s*(?:\|\||;)\s*true\b/g, "")
    .replace(/\s*&&\s*echo\s+(["'])[-=_*#\s]*\1/g, "")
    .trim();
}

/** Commands done again and again in any session (restarts, staging, waiting): weak evidence of work. */
export function isRoutine(command: string): boolean {
  const parts = simpleCommands(command).filter((part) => !/^(cd|sleep|echo|true|false|:)(\s|$)/.test(part) && !isInspection(part));
  return (
    parts.length > 0 &&
    parts.every((part) =>
      /^(git (add|commit|status|diff|log)|docker(-compose)? (up|down|restart|start|stop|ps|logs|compose (up|down|restart))|systemctl (restart|reload|start|stop|status)|chmod \+?x|kill|pkill|killall|adb (kill-server|start-server|devices|wait-for-device|emu kill)|clear)\b/.test(
        part,
      ),
    )
  );
}

/**
 * A run of a program or a project's own task (`python3 x.py`, `./deploy.sh`, `npm test`, `make`,
 * `cargo build`): what a session does over and over while it works. Run successfully it changed no
 * setting worth remembering by itself: what it was for is in the session's summary.
 */
export function isProgramRun(command: string): boolean {
  const parts = simpleCommands(command).filter(
    (part) => !/^(cd|sleep|echo|true|false|:|export|source|\.)(\s|$)/.test(part) && !isInspection(part),
  );
  return (
    parts.length > 0 &&
    parts.every((part) =>
      /^((sudo\s+)?(python3?|node|deno|bun|ruby|perl|php|bash|sh|zsh|pwsh|powershell)(\s+-[-\w]+)*\s+[^\s-]\S*\.(py|js|mjs|cjs|ts|rb|pl|php|sh|ps1)\b|\.{1,2}\/\S+|(npm|pnpm|yarn)\s+(test|t|start|run\s+\S+|build)\b|npx\s+(jest|tsc|vitest|eslint|prettier|mocha|playwright\s+test)\b|make\b(?!\s+install)|cargo\s+(build|run|test|check|clippy|fmt)\b|go\s+(run|test|build|vet)\b|dotnet\s+(run|build|test)\b|(mvn|gradle|\.\/gradlew)\b|pytest\b|jest\b|tsc\b)/.test(
        part,
      ),
    )
  );
}

/** Whether a command that worked is worth remembering as a command of its own (a snippet). */
export function commandWorthKeeping(command: string): boolean {
  return !isRoutine(command) && !isProgramRun(command) && !isInspection(command);
}

/** Splits a command line at `&&`, `||`, `;`, `|` and `&` outside quotes. */
function splitOutsideQuotes(line: string): string[] {
  return splitPipedOutsideQuotes(line).map((part) => part.text);
}

/** The parts of a line split at separators outside quotes, each marked when it reads the output of a pipe (`a | b`: b). */
function splitPipedOutsideQuotes(line: string): { text: string; piped: boolean }[] {
  const parts: { text: string; piped: boolean }[] = [];
  let current = "";
  let piped = false;
  let quote: string | undefined;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index] ?? "";
    if (quote) {
      if (char === "\\" && quote === '"') {
        current += char + (line[index + 1] ?? "");
        index += 1;
        continue;
      }
      if (char === quote) quote = undefined;
      current += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      current += char;
      continue;
    }
    const pair = line.slice(index, index + 2);
    if (pair === "&&" || pair === "||") {
      parts.push({ text: current, piped });
      current = "";
      piped = false;
      index += 1;
      continue;
    }
    // `&` is a separator except in redirections such as 2>&1 and &>.
    if (char === ";" || char === "|" || (char === "&" && line[index - 1] !== ">" && line[index + 1] !== ">")) {
      parts.push({ text: current, piped });
      current = "";
      piped = char === "|";
      continue;
    }
    current += char;
  }
  parts.push({ text: current, piped });
  return parts;
}

/** The simple commands of a command line's first line, prefixes (env, sudo, nohup) removed. */
export function simpleCommands(command: string): string[] {
  const firstLine = command.split("\n")[0] ?? "";
  return splitOutsideQuotes(firstLine)
    .map((part) => stripPrefixes(part.trim()))
    .filter((part) => part !== "" && !/^(done|fi|esac|then|else|do)$/.test(part));
}

function stripPrefixes(part: string): string {
  let text = part.replace(/^\(+|\)+$/g, "").trim();
  for (;;) {
    const next = text.replace(ENV_ASSIGNMENT, "").replace(/^(sudo|nohup|time|exec|command|builtin|env|do|then|else)\s+(-\S+\s+)*/, "");
    if (next === text) return text;
    text = next;
  }
}

/**
 * The simple commands that do not read a pipe's output: in `find ~ -name x | head -5` only `find`;
 * `head` there trims a listing, it reads no file.
 */
export function unpipedCommands(command: string): string[] {
  const firstLine = command.split("\n")[0] ?? "";
  return splitPipedOutsideQuotes(firstLine)
    .filter((part) => !part.piped)
    .map((part) => stripPrefixes(part.text.trim()))
    .filter((part) => part !== "" && !/^(done|fi|esac|then|else|do)$/.test(part));
}

/** The program and, for multi-tool programs, its sub-command: "docker-compose up", "git push". */
export function commandHead(simple: string): string {
  const words = simple.split(/\s+/);
  const program = (words[0] ?? "").replace(/^.*\//, "");
  const rest = words.slice(1).filter((word) => !word.startsWith("-"));
  if (
    /^(git|docker|docker-compose|kubectl|systemctl|npm|npx|pnpm|yarn|pip|pip3|apt|apt-get|brew|adb|cargo|go|make|zfs|zpool|terraform|helm|gcloud|aws|az|sdkmanager|avdmanager|machinectl|service)$/.test(
      program,
    )
  ) {
    return [program, rest[0] ?? ""].join(" ").trim();
  }
  return program;
}

/** True when every part of the command only reads state (listing, printing, status checks). */
export function isInspection(command: string): boolean {
  const parts = simpleCommands(command).filter((part) => !/^cd(\s|$)/.test(part) && !/^(export|unset|set|source|\.)\s/.test(part));
  if (parts.length === 0) return true;
  return parts.every((part) => {
    if (/>\s*[^&\s]/.test(part.replace(/\d?>\s*\/dev\/null|2>&1/g, ""))) return false;
    const words = part.split(/\s+/);
    const program = (words[0] ?? "").replace(/^.*\//, "");
    if (program === "for" || program === "while" || program === "if" || /\s(--help|-h)$/.test(part)) return true;
    if (program === "xargs") return INSPECTION.has(words.find((word, index) => index > 0 && !word.startsWith("-")) ?? "");
    if (program === "sed" && /\s-i/.test(part)) return false;
    if (INSPECTION.has(program)) return true;
    if (program === "curl" || program === "wget") return !/\s-(X\s*(POST|PUT|DELETE|PATCH)|d\s|o\s|O\b)|--data|--output/.test(part);
    const sub = INSPECTION_SUBCOMMANDS[program];
    return sub !== undefined && sub.test(words.slice(1).join(" ").replace(/["']/g, ""));
  });
}

/** A command's grouping key: prefixes (cd, env, sudo) and output plumbing (2>&1, | head) removed. */
export function commandKey(command: string): string {
  const parts = simpleCommands(command).filter(
    (part) => !/^cd(\s|$)/.test(part) && !/^(head|tail|grep|sort|uniq|wc|less|more|cat)\b/.test(part),
  );
  const key = parts.length > 0 ? parts.join(" && ") : simpleCommands(command).join(" && ");
  return oneLine(key.replace(/\s*\d?>\s*\/dev\/null|\s*2>&1/g, "").replace(/(git commit\b.*?\s-m)\s.*$/s, "$1"))
    .replace(/\s*&$/, "")
    .toLowerCase();
}

/** Whether a command line verifies something: tests, health checks, status and syntax checks. */
export function isCheck(command: string): boolean {
  const firstLine = command.replace(/^(?:\s*#[^\n]*\n)+/, "").split("\n")[0] ?? "";
  return /\b(test|tests|pytest|jest|vitest|npm (run )?test|go test|cargo test|make (test|check)|curl|wget|ping|status|health|-t\b|--version|bash -n|nginx -t|systemctl (status|is-active)|docker(-compose)? ps|getprop|adb root|whoami|id\b|verify|check)/i.test(
    firstLine,
  );
}
