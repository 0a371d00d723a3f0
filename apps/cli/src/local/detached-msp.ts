import { basename } from "node:path";

/** The msp launcher and its bundles: the only scripts started again (never a test runner that embeds this code). */
const cliLaunchers = /^(?:msp(?:\.js)?|cli\.js|cli-main\.ts)$/;
/** The hooks' bundle and entry, which also understand the CLI's background commands. */
const hookLaunchers = /^(?:hook\.js|hook-main\.ts)$/;

/**
 * Starts `msp <args> --background --home <home>` as a detached process that outlives its starter,
 * at a lower CPU priority (background work yields to Claude and the next hook). Returns whether
 * one was started. `fromHooks`: also when running as the hooks' launcher.
 */
export function startDetachedMsp(home: string, args: readonly string[], fromHooks = false): boolean {
  const launcher = process.argv[1];
  const name = launcher ? basename(launcher) : "";
  if (!launcher || !(cliLaunchers.test(name) || (fromHooks && hookLaunchers.test(name)))) return false;
  // child_process and os are loaded only here: most hooks start nothing.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const { setPriority } = require("node:os") as typeof import("node:os");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const child = spawn(process.execPath, [...process.execArgv, launcher, ...args, "--background", "--home", home], {
    detached: true,
    stdio: "ignore",
    windowsHide: true,
    env: process.env,
  });
  child.on("error", () => undefined);
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, 10);
    } catch {
      // not permitted here: it runs at normal priority
    }
  }
  child.unref();
  return true;
}
