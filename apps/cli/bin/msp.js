#!/usr/bin/env node
// The `msp` command. `msp hook <event>` (run by Claude Code on every hook event) loads only
// dist/hook.js; every other command loads dist/cli.js. Both are esbuild bundles made on
// `npm install` (apps/cli/build.mjs). Without them, or with MSP_CLI_FROM_SOURCE=1, the
// TypeScript sources run through tsx instead (about 100 ms slower to start).
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher loads one bundle or the other on demand */
const args = process.argv.slice(2);
const hook = args[0] === "hook";
let entry;
if (process.env.MSP_CLI_FROM_SOURCE !== "1") {
  try {
    entry = hook ? requireHookBundle(require("node:path").join(__dirname, "..", "dist", "hook.js")) : require("../dist/cli.js");
  } catch (error) {
    if (error.code !== "MODULE_NOT_FOUND" || !/[\\/]dist[\\/](hook|cli)\.js/.test(error.message)) throw error;
  }
}
if (!entry) {
  require("tsx/cjs");
  entry = require(hook ? "../src/hook-main.ts" : "../src/cli-main.ts");
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
