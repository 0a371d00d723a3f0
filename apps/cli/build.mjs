// Bundles the `msp` command into apps/cli/dist with esbuild, so a hook process starts by parsing
// one small file instead of compiling TypeScript with tsx (about 100 ms more per hook). Runs on
// `npm install` / `npm ci` (the package's `prepare` script) and by `npm run build -w @msp/cli`.
//
// dist/hook.js  the hot path (`msp hook <event>`): fs, node:http, the redactor; nothing else
// dist/cli.js   every other command (commander, setup, recall, status, sync, link, cred, audit, admin)
//
// Without esbuild (a production install without dev dependencies), or when bundling fails, it
// prints why and exits 0 (`--strict`: 1): bin/msp.js then runs the TypeScript sources through tsx.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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
  await esbuild.build(bundleOptions(outdir));
  return true;
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
