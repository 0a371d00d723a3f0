// What `npm start` prints. At a terminal: one "ready" line per process once it serves, and the
// processes' logs as short readable lines. Otherwise (a pipe, a file, a log collector), or with
// `--json` / MSP_LOG_FORMAT=json: one JSON object per line, the processes' pino lines as they are.

export type LogFormat = "pretty" | "json";

/** The output format: `--json`/`--pretty` or MSP_LOG_FORMAT, else pretty at a terminal and JSON elsewhere. */
export function logFormatOf(args: readonly string[], env: NodeJS.ProcessEnv, stdoutIsTerminal: boolean): LogFormat {
  if (args.includes("--json")) return "json";
  if (args.includes("--pretty")) return "pretty";
  const setting = env["MSP_LOG_FORMAT"]?.trim().toLowerCase();
  if (setting === "json" || setting === "pretty") return setting;
  if (setting) throw new Error(`MSP_LOG_FORMAT: "${env["MSP_LOG_FORMAT"]}" is not one of pretty, json`);
  return stdoutIsTerminal ? "pretty" : "json";
}

const levelNames: Readonly<Record<number, string>> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
/** Fields every pino line has, shown in the line's own place (or not at all). */
const framing = new Set(["level", "time", "service", "msg", "pid", "hostname", "err"]);

interface PinoLine {
  level?: number;
  time?: string;
  service?: string;
  msg?: string;
  err?: { message?: string; stack?: string };
  [field: string]: unknown;
}

function pinoLineOf(line: string): PinoLine | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as PinoLine) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One line a process printed, as `npm start` shows it; undefined drops it. `readyPrefix` is the
 * process's "<app> listening on" line, which becomes its one ready line.
 */
export function renderProcessLine(
  format: LogFormat,
  app: string,
  readyPrefix: string,
  line: string,
  stream: "stdout" | "stderr",
  now: Date = new Date(),
): string | undefined {
  const pino = pinoLineOf(line);
  if (format === "json") {
    if (pino) return line;
    if (line.trim() === "") return undefined;
    return JSON.stringify({ level: stream === "stderr" ? 50 : 30, time: now.toISOString(), service: app, msg: line });
  }
  if (!pino) {
    if (line.startsWith(readyPrefix)) return `ready  ${app.padEnd(15)} ${line.slice(readyPrefix.length).trim()}`;
    return line.trim() === "" ? "" : `${clock(now)} ${app}: ${line}`;
  }
  // "<service> listening" repeats the ready line that every process prints.
  if (pino.level === 30 && typeof pino.msg === "string" && / listening$/.test(pino.msg) && "port" in pino) return undefined;
  const time = pino.time ? new Date(pino.time) : now;
  const level = levelNames[pino.level ?? 30] ?? String(pino.level);
  const fields = Object.entries(pino)
    .filter(([key]) => !framing.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  const text = [`${clock(time)} ${level.padEnd(5)} ${pino.service ?? app}: ${pino.msg ?? ""}`, ...fields].join("  ");
  if (!pino.err) return text;
  const detail = (pino.level ?? 30) >= 50 && pino.err.stack ? pino.err.stack : (pino.err.message ?? "");
  return `${text}\n${indent(detail)}`;
}

/** A message of `npm start` itself (not of a process), in the output format. */
export function renderNotice(format: LogFormat, message: string, level: "info" | "warn" | "error", now: Date = new Date()): string {
  if (format === "pretty") return level === "info" ? message : `npm start: ${message}`;
  const number = { info: 30, warn: 40, error: 50 }[level];
  return JSON.stringify({ level: number, time: now.toISOString(), service: "npm start", msg: message });
}

function clock(time: Date): string {
  return Number.isNaN(time.getTime()) ? "--:--:--" : time.toTimeString().slice(0, 8);
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
