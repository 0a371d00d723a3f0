import { readConfig } from "../local/cli-config";
import type { CliConfig } from "../local/cli-config";
import type { MspPaths } from "../local/msp-home";
import { mspHome, mspPaths } from "../local/msp-home";

/** A mistake the user can fix (bad option, not set up, server refused): printed without a stack trace, exit 1. */
export class CommandError extends Error {
  override name = "CommandError";
  constructor(
    message: string,
    readonly code = "invalid_input",
  ) {
    super(message);
  }
}

/** Options every command takes. */
export interface CommonOptions {
  json?: boolean;
  home?: string;
}

/** The config folder of a command run (--home, MSP_HOME, ~/.msp). */
export function pathsOf(options: CommonOptions): MspPaths {
  return mspPaths(mspHome(process.env, options.home));
}

/** The stored config, or a CommandError telling the user to run setup. */
export function requireConfig(paths: MspPaths): CliConfig {
  const config = readConfig(paths.config);
  if (!config)
    throw new CommandError(`this machine is not set up (no ${paths.config}); run: msp setup --server URL --user NAME`, "not_set_up");
  return config;
}

/** Prints a command's result: JSON for scripts (--json), else the lines for people. */
export function emit(options: CommonOptions, data: unknown, human: string | string[]): void {
  if (options.json) process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
  else {
    const text = Array.isArray(human) ? human.join("\n") : human;
    if (text) process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }
}

/** A server URL as setup stores it: http(s), no trailing slash, no path beyond what was given. */
export function normalizeServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.includes("://") ? value : `http://${value}`);
  } catch {
    throw new CommandError(`--server: "${value}" is not a URL (example: https://msp.example.com or http://127.0.0.1:8080)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new CommandError(`--server: use an http or https URL, not ${url.protocol}`);
  if (url.username || url.password) throw new CommandError("--server: leave credentials out of the URL; use --user or --token");
  // `npm start` prints the REST base (http://host:8080/api/v1); the CLI adds /api/v1 itself.
  const path = url.pathname.replace(/\/+$/, "").replace(apiSuffix, "");
  return `${url.origin}${path}`;
}

/** What may follow the gateway's address in a pasted URL: its REST base, docs or OpenAPI document. */
const apiSuffix = /\/api(?:\/v1|\/docs|\/openapi\.json)?$/;
