// Bundles the `msp` command into apps/cli/dist with esbuild, so a hook process starts by parsing
// one small file instead of compiling TypeScript with tsx (about 100 ms more per hook). Runs on
// `npm install` / `npm ci` (the package's `prepare` script) and by `npm run build -w @msp/cli`.
//
// dist/hook.js  the hot path (`msp hook <event>`): fs, node:http, the redactor; nothing else
// dist/cli.js   every other command (commander, setup, recall, status, sync, link, cred, audit, admin)
// dist/hook.js.<size>-<mtime>.cache  V8's code cache of hook.js, which bin/msp.js hands to V8
//
// Without esbuild (a production install without dev dependencies), or when bundling fails, it
// prints why and exits 0 (`--strict`: 1, and no bundle is left behind): bin/msp.js then runs the TypeScript sources through tsx.
//
// The bundles load a few packages from node_modules at run time (the externals below that they
// import). A packed install (`npm run cli:pack`, apps/cli/pack.mjs) gets exactly the `dependencies`
// of apps/cli/package.json, so each build checks that these are the packages the bundles import,
// at the versions installed here: a warning, and with `--strict` a failure.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
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
    // Which packages the bundles import at run time (checked against package.json's dependencies).
    metafile: true,
    // The tokenizer's tables (several MB) load from node_modules when a transcript is compressed;
    // the rest must never be pulled in at all (if one were, dependencyProblems would name it).
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

/** Builds dist/hook.js and dist/cli.js; returns esbuild's metafile, or undefined when esbuild is not installed. */
export async function buildCli(outdir) {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    return undefined;
  }
  const options = bundleOptions(outdir);
  const result = await esbuild.build(options);
  try {
    await writeCodeCache(join(options.outdir, "hook.js"));
  } catch (error) {
    // Only start-up time is lost: the hooks compile the bundle as usual.
    console.error(`msp: no code cache for the hooks (${error.message})`);
  }
  return result.metafile;
}

/** The package a module path is in: "gpt-tokenizer" for "gpt-tokenizer/cjs/x", "@scope/name" for "@scope/name/x". */
export function packageOf(path) {
  const parts = path.split("/");
  return path.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The packages (not Node's own modules) the bundles import at run time, sorted. */
export function runtimePackages(metafile) {
  const builtin = new Set(builtinModules);
  const names = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (!imported.external || imported.path.startsWith("node:") || builtin.has(imported.path)) continue;
      names.add(packageOf(imported.path));
    }
  }
  return [...names].sort();
}

/** The version of `name` that Node finds from apps/cli (node_modules here or in a parent), or undefined. */
function installedVersion(name) {
  for (let dir = here; ; dir = dirname(dir)) {
    const manifest = join(dir, "node_modules", name, "package.json");
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, "utf8")).version;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * What is wrong with apps/cli/package.json's `dependencies` for these bundles, one sentence each:
 * a package they import that is not listed, a listed one they never import, and a version other
 * than the one installed here (the one the bundles were built and tested against).
 */
export function dependencyProblems(metafile, manifest = JSON.parse(readFileSync(join(here, "package.json"), "utf8"))) {
  const declared = manifest.dependencies ?? {};
  const imported = runtimePackages(metafile);
  const problems = [];
  for (const name of imported) {
    if (!(name in declared))
      problems.push(`the bundles import ${name} at run time, and apps/cli/package.json's dependencies do not list it`);
  }
  for (const [name, version] of Object.entries(declared)) {
    if (!imported.includes(name)) {
      problems.push(
        `apps/cli/package.json's dependencies list ${name}, which the bundles never import (bundled in, or unused): move it to devDependencies`,
      );
      continue;
    }
    const installed = installedVersion(name);
    if (installed !== version) {
      problems.push(
        `apps/cli/package.json's dependencies pin ${name} ${version}, and ${installed ?? "no version"} is installed in this workspace`,
      );
    }
  }
  return problems;
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
 * Compiles the bundle and runs its top level (the modules' set-up), then every hook once with the
 * platform down in a scratch folder (the bundle's warmUpForCodeCache), then keeps what V8 compiled
 * as a code cache beside it: V8 keeps every function compiled so far, so a hook starts without
 * parsing and compiling 130 KB of JavaScript (about 3 ms, a tenth of Node's own start-up) nor its
 * own functions and the redactor's as it reaches them. V8 accepts the cache only in the same Node
 * with the same V8 flags (a plain `node`, as the hooks run) and otherwise compiles as usual.
 */
export async function writeCodeCache(bundle) {
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
  if (typeof module.exports.warmUpForCodeCache === "function") await module.exports.warmUpForCodeCache();
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
  let metafile;
  try {
    metafile = await buildCli();
    if (metafile) console.log(`msp: bundled into ${join(here, "dist")}`);
    else if (strict) throw new Error("esbuild is not installed (run npm install in the clone: it is a dev dependency of apps/cli)");
    else console.log("msp: esbuild is not installed; bin/msp.js will run the sources through tsx");
  } catch (error) {
    rmSync(join(here, "dist"), { recursive: true, force: true }); // never leave a stale bundle behind
    console.error(`msp: bundling failed; bin/msp.js will run the sources through tsx (slower hooks):\n${error.message}`);
    if (strict) process.exit(1);
  }
  // The bundles work here either way (the workspace's node_modules has everything); a packed install would not.
  const problems = metafile ? dependencyProblems(metafile) : [];
  for (const problem of problems) console.error(`msp: ${strict ? "" : "warning: "}${problem}`);
  if (strict && problems.length > 0) process.exit(1);
}
