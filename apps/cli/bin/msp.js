#!/usr/bin/env node
// The `msp` command. `msp hook <event>` (run by Claude Code on every hook event) loads only
// dist/hook.js; every other command loads dist/cli.js. Both are esbuild bundles made on
// `npm install` (apps/cli/build.mjs). In a clone, without them or with MSP_CLI_FROM_SOURCE=1, the
// TypeScript sources run through tsx instead (about 100 ms slower to start). A packed install
// (`npm run cli:pack`) has the bundles and no sources: without its bundles it says so and stops.
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher loads one bundle or the other on demand */
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const args = process.argv.slice(2);
const hook = args[0] === "hook";
const bundle = hook ? "dist/hook.js" : "dist/cli.js";
const fromSource = process.env.MSP_CLI_FROM_SOURCE === "1";
let entry;
if (!fromSource) {
  try {
    entry = hook ? requireHookBundle(join(__dirname, "..", bundle)) : require(`../${bundle}`);
  } catch (error) {
    if (error.code !== "MODULE_NOT_FOUND" || !/[\\/]dist[\\/](hook|cli)\.js/.test(error.message)) throw error;
  }
}
if (!entry) {
  const root = join(__dirname, "..");
  const source = join(root, "src", hook ? "hook-main.ts" : "cli-main.ts");
  if (!existsSync(source)) {
    const why = fromSource ? "MSP_CLI_FROM_SOURCE=1 asks for the TypeScript sources" : `${join(root, bundle)} is missing`;
    process.stderr.write(
      `msp: ${why}, and this is a packed install of msp (${root}) without sources. ` +
        "Install it again from a tarball made in a clone (npm run cli:pack, then npm install -g ./dist/msp-cli-<version>.tgz)" +
        (fromSource ? ", or unset MSP_CLI_FROM_SOURCE.\n" : ".\n"),
    );
    // A hook never fails Claude Code (hook-main.ts): it exits 0 whatever happens.
    process.exit(hook ? 0 : 1);
  }
  require("tsx/cjs");
  entry = require(source);
}
if (hook) entry.hookMain(args);
else entry.cliMain(args);

/**
 * Loads the hooks' bundle as `require` would, but with the V8 code cache build.mjs writes beside
 * it: compiling the bundle is a few milliseconds of every hook. The cache is named after the
 * bundle's size and time (see codeCachePath in build.mjs), so a rebuilt bundle never meets an old
 * cache; V8 refuses one from another Node version or other flags, and then compiles as usual.
 */
function requireHookBundle(bundle) {
  const { readFileSync, statSync } = require("node:fs");
  let stat;
  try {
    stat = statSync(bundle);
  } catch {
    throw Object.assign(new Error(`Cannot find module '${bundle}'`), { code: "MODULE_NOT_FOUND" });
  }
  let cachedData;
  try {
    cachedData = readFileSync(`${bundle}.${stat.size}-${Math.trunc(stat.mtimeMs)}.cache`);
  } catch {
    // not built with a cache (or another build replaced it): compile as usual
  }
  const { Script } = require("node:vm");
  // The wrapper of a CommonJS module, as build.mjs compiled it (node:module's Module.wrap).
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(bundle, "utf8")}\n});`;
  const script = new Script(source, { filename: bundle, cachedData });
  const module = { exports: {} };
  // This file's require resolves as the bundle's would: its only non-builtin imports are packages (build.mjs's externals).
  script.runInThisContext()(module.exports, require, module, bundle, require("node:path").dirname(bundle));
  return module.exports;
}
