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
    entry = require(hook ? "../dist/hook.js" : "../dist/cli.js");
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
