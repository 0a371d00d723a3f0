// Bundles the `msp` command into apps/cli/dist with esbuild, so a hook process starts by parsing
// one small file instead of compiling TypeScript with tsx (about 100 ms more per hook). Runs on
// `npm install` / `npm ci` (the package's `prepare` script) and by `npm run build -w @msp/cli`.
//
// dist/hook.js  the hot path (`msp hook <event>`): fs, node:http, the redactor; nothing else
// dist/cli.js   every other command (commander, setup, recall, status, sync, link, cred, audit, admin)
// dist/hook.js.<size>-<mtime>.cache  V8's code cache of hook.js, which bin/msp.js hands to V8
//
// Without esbuild (a production install without dev dependencies), or when bundling fails, it
// prints why and exits 0 (`--strict`: 1): bin/msp.js then runs the TypeScript sources through tsx.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

const here = dirname(fileURLToPath(import.meta.url));

/** esbuild options for both bundles; exported so tests and benchmarks build the same way. */
export function bundleOptions(outdir = join(here, "dist")) {
  return {
    absWorkingDir: here,
    entryPoints: { hook: join(here, "src/hook-main.ts"), cli: join(here, "src/cli-main.ts") },
    outdir,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // Smaller files parse faster; names stay readable in stack traces written to the log.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: "linked",
    logLevel: "warning",
    // The tokenizer's tables (several MB) load from node_modules when a transcript is compressed;
    // the rest must never be pulled in at all.
    external: [
      "gpt-tokenizer",
      "gpt-tokenizer/*",
      "sequelize",
      "sequelize-typescript",
      "@grpc/grpc-js",
      "@bufbuild/protobuf",
      "mariadb",
      "sqlite3",
      "pino",
    ],
  };
}

/** Builds dist/hook.js and dist/cli.js; returns false when esbuild is not installed. */
export async function buildCli(outdir) {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    return false;
  }
  const options = bundleOptions(outdir);
  await esbuild.build(options);
  try {
    writeCodeCache(join(options.outdir, "hook.js"));
  } catch (error) {
    // Only start-up time is lost: the hooks compile the bundle as usual.
    console.error(`msp: no code cache for the hooks (${error.message})`);
  }
  return true;
}

/**
 * Where bin/msp.js looks for a bundle's code cache: named after the bundle's size and modification
 * time, because V8 checks only the length of the source a cache was made from, and running the
 * code of another build would be wrong in ways nothing reports.
 */
function codeCachePath(bundle, stat = statSync(bundle)) {
  return `${bundle}.${stat.size}-${Math.trunc(stat.mtimeMs)}.cache`;
}

/**
 * Compiles the bundle and runs its top level (the modules' set-up; no hook runs), then keeps what
 * V8 compiled as a code cache beside it: a hook then starts without parsing and compiling 130 KB
 * of JavaScript (about 3 ms, a tenth of Node's own start-up). V8 accepts the cache only in the
 * same Node with the same V8 flags (a plain `node`, as the hooks run) and otherwise compiles as usual.
 */
export function writeCodeCache(bundle) {
  const folder = dirname(bundle);
  for (const file of readdirSync(folder)) {
    if (file.startsWith("hook.js.") && file.endsWith(".cache")) rmSync(join(folder, file), { force: true });
  }
  const before = statSync(bundle);
  // The same source as bin/msp.js compiles (V8 refuses a cache made from another): the bundle in
  // the wrapper of a CommonJS module.
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(bundle, "utf8")}\n});`;
  const script = new Script(source, { filename: bundle });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, folder);
  const after = statSync(bundle);
  // Another build (tests run several at once) rewrote the bundle meanwhile: no cache beats a wrong one.
  if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) return;
  const temporary = `${bundle}.${process.pid}.tmp`;
  writeFileSync(temporary, script.createCachedData());
  renameSync(temporary, codeCachePath(bundle, after));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // An install must not fail because of the bundle: without dist/, bin/msp.js runs the sources.
  const strict = process.argv.includes("--strict");
  try {
    if (await buildCli()) console.log(`msp: bundled into ${join(here, "dist")}`);
    else console.log("msp: esbuild is not installed; bin/msp.js will run the sources through tsx");
  } catch (error) {
    rmSync(join(here, "dist"), { recursive: true, force: true }); // never leave a stale bundle behind
    console.error(`msp: bundling failed; bin/msp.js will run the sources through tsx (slower hooks):\n${error.message}`);
    if (strict) process.exit(1);
  }
}
