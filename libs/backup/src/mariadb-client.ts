import { BackupError } from "./backup-error";

/** Where a MariaDB database lives and who connects, from the platform's `mariadb://` URL. */
export interface MariaDbTarget {
  host: string;
  port: number;
  user: string;
  /** Empty when the URL has none. Never put it on a command line: see clientEnvironment. */
  password: string;
  database: string;
}

/** Reads `mariadb://user:pass@host:3306/db`; the error never repeats the URL (it may hold a password). */
export function mariaDbTargetOf(databaseUrl: string): MariaDbTarget {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new BackupError(
      "invalid_database_url",
      "the database URL is not a URL: it must look like mariadb://user:password@host:3306/database",
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (url.protocol !== "mariadb:" || !url.hostname || !database) {
    throw new BackupError("invalid_database_url", "the database URL must look like mariadb://user:password@host:3306/database");
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
  };
}

/** The same server and credentials, another database: `mariadb://…/<database>`. */
export function databaseUrlWith(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/**
 * Connection arguments of the MariaDB command-line clients. TCP always: with `-h localhost` they
 * would otherwise use the Unix socket and ignore the port, unlike the platform's own driver.
 */
export function clientConnectionArgs(target: MariaDbTarget): string[] {
  return ["--protocol=TCP", "-h", target.host, "-P", String(target.port), "-u", target.user];
}

/**
 * The environment of a MariaDB client process: the password goes in MYSQL_PWD, which other users
 * cannot read (a command-line argument is visible to every user in `ps`).
 */
export function clientEnvironment(target: MariaDbTarget): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The URL is the whole truth: no password there means none, not one inherited from this process.
  if (target.password) env["MYSQL_PWD"] = target.password;
  else delete env["MYSQL_PWD"];
  return env;
}

/** Quotes a MariaDB identifier: `` `name` ``, inner backticks doubled. */
export function quoteMariaDbName(name: string): string {
  return `\`${name.replace(/`/g, "``")}\``;
}

/** The error for a MariaDB client program that is not installed. */
export function clientToolMissing(tool: "mariadb-dump" | "mariadb", cause: unknown): BackupError {
  return new BackupError(
    "client_tool_missing",
    `${tool} was not found on PATH: install the MariaDB client tools (Debian/Ubuntu: apt-get install mariadb-client)`,
    { cause },
  );
}

/** True for the error spawn gives when the program does not exist. */
export function isMissingProgram(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ENOENT";
}

/** Keeps at most this much of a client's stderr for an error message. */
const maxStderrBytes = 64 * 1024;

/** Collects the start of a child's stderr; the returned function reads what was collected. */
export function collectStderr(stream: NodeJS.ReadableStream): () => string {
  const chunks: Buffer[] = [];
  let kept = 0;
  stream.on("data", (chunk: Buffer) => {
    if (kept >= maxStderrBytes) return;
    chunks.push(chunk);
    kept += chunk.length;
  });
  return () => Buffer.concat(chunks).toString("utf8");
}

/** A client's stderr summed up for an error message: its error lines first, at most a few, cut short. */
export function firstLines(text: string, lines = 5): string {
  const kept = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^-+$/.test(line));
  // The mariadb client echoes the failing statement (a whole trigger, say) before its ERROR line.
  const errors = kept.filter((line) => /^(ERROR\b|mariadb(-dump)?: )/.test(line));
  const chosen = errors.length > 0 ? errors : kept;
  const shown = chosen.slice(0, lines).join(" | ") + (chosen.length > lines ? " | …" : "");
  if (shown === "") return "(no error output)";
  return shown.length > maxSummaryChars ? `${shown.slice(0, maxSummaryChars)}…` : shown;
}

const maxSummaryChars = 600;
