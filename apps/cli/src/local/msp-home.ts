import { join, resolve } from "node:path";

/** Where the CLI keeps its files: config, spool, per-session state, caches and the log. */
export interface MspPaths {
  home: string;
  config: string;
  spool: string;
  sessions: string;
  cache: string;
  links: string;
  log: string;
  /** The model summarizer's jobs, its daily token count and its scratch folder (see summarizer/). */
  summarizer: string;
}

/** The config folder: `--home` when given, else MSP_HOME, else ~/.msp (HOME-relative, so tests can move it). */
export function mspHome(env: NodeJS.ProcessEnv = process.env, override?: string): string {
  if (override) return resolve(override);
  if (env["MSP_HOME"]) return resolve(env["MSP_HOME"]);
  // node:os loads only without HOME: every hook process starts here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return join(env["HOME"] || env["USERPROFILE"] || (require("node:os") as typeof import("node:os")).homedir(), ".msp");
}

/** Every file and folder under one config folder. */
export function mspPaths(home: string): MspPaths {
  return {
    home,
    config: join(home, "config.json"),
    spool: join(home, "spool"),
    sessions: join(home, "sessions"),
    cache: join(home, "cache"),
    links: join(home, "links.json"),
    log: join(home, "log"),
    summarizer: join(home, "summarizer"),
  };
}
