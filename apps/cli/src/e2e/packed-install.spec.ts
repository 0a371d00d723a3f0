// The packed install a technician's machine gets: `npm run cli:pack`, then `npm install -g` of the
// tarball into a temporary prefix. The installed `msp` must not need the clone: nothing installed
// links into it, and `msp` run from the prefix (cwd, HOME and PATH outside the clone, no
// NODE_PATH) loads no file from it, which Node's own module log (NODE_DEBUG=module) shows.
//
// The install reaches the npm registry: `npm ci` fills npm's cache with the packages' tarballs but
// not with the registry's package documents that installing a tarball's dependencies needs, so
// `--offline` fails with ENOTCACHED. `--prefer-offline` asks the registry only for what the cache
// lacks (a small document per dependency; the tarballs come from the cache). CI reaches it too.
import type { SpawnSyncReturns } from "node:child_process";
import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, isAbsolute, join, relative } from "node:path";
import { scaled } from "@msp/testing";
import { cliRoot, repoRoot } from "./cli-harness";

interface Manifest {
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  main?: string;
  bin?: Record<string, string>;
}

const source = JSON.parse(readFileSync(join(cliRoot, "package.json"), "utf8")) as Manifest;
const work = mkdtempSync(join(realpathSync(tmpdir()), "msp-e2e-packed-"));
const packDir = join(work, "pack");
const prefix = join(work, "prefix");
const home = join(work, "home");
const elsewhere = join(work, "elsewhere"); // the working folder of every command: not the clone
const installed = join(prefix, "lib", "node_modules", "@msp", "cli");
const tarball = join(packDir, `msp-cli-${source.version}.tgz`);

// Each step's deadline is the work it does on a usual machine, with its margin (scaled() makes it
// fit a machine five times slower): bundling and packing, an npm install, one msp process.
const packMs = scaled(20_000);
const installMs = scaled(60_000);
const processMs = scaled(5_000);

const inside = (folder: string, path: string) => {
  const rel = relative(folder, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

/** A shell on a machine without the clone: no npm run variables, no NODE_PATH or NODE_OPTIONS, no PATH entry in the clone. */
function outsideEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("npm_") || key === "INIT_CWD" || key === "NODE_PATH" || key === "NODE_OPTIONS") continue;
    env[key] = value;
  }
  const path = (process.env["PATH"] ?? "").split(delimiter).filter((dir) => dir !== "" && !inside(repoRoot, dir));
  env["PATH"] = [join(prefix, "bin"), ...path].join(delimiter);
  return { ...env, ...extra };
}

function expectRan(result: SpawnSyncReturns<string>, what: string): void {
  // A step that hit its deadline has result.error (ETIMEDOUT); the output says what it was doing.
  expect([what, result.error?.message, result.status]).toEqual([what, undefined, 0]);
}

/** `msp <args>` as the technician runs it, with Node's module log: what it printed, and every file Node loaded. */
function installedMsp(args: string[], input = "") {
  const result = spawnSync("msp", args, {
    cwd: elsewhere,
    env: outsideEnv({ HOME: home, NODE_DEBUG: "module", MSP_CLI_FROM_SOURCE: undefined, MSP_HOME: undefined }),
    input,
    encoding: "utf8",
    timeout: processMs,
  });
  expect([args.join(" "), result.error?.message]).toEqual([args.join(" "), undefined]);
  const lines = result.stderr.split("\n");
  const debug = /^MODULE \d+: /;
  const loaded = lines.flatMap((line) => /^MODULE \d+: load "([^"]+)"/.exec(line)?.[1] ?? []);
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: lines.filter((line) => line !== "" && !debug.test(line)).join("\n"),
    loaded,
  };
}

/** Every file and link under `dir`, as paths relative to it. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path, base) : [relative(base, path)];
  });
}

beforeAll(() => {
  expect(inside(repoRoot, work)).toBe(false); // a TMPDIR inside the clone would prove nothing
  for (const dir of [packDir, home, elsewhere]) mkdirSync(dir, { recursive: true });

  const packed = spawnSync("npm", ["run", "cli:pack", "--", "--destination", packDir], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: packMs,
  });
  expectRan(packed, `npm run cli:pack:\n${packed.stdout}${packed.stderr}`);
  expect(packed.stdout).toContain(`npm install -g ${tarball}`);

  const install = spawnSync("npm", ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", tarball], {
    cwd: elsewhere,
    env: outsideEnv(),
    encoding: "utf8",
    timeout: installMs,
  });
  expectRan(install, `npm install -g ${tarball}:\n${install.stdout}${install.stderr}`);
}, packMs + installMs);

afterAll(() => rmSync(work, { recursive: true, force: true }));

test("the tarball holds the launcher, the bundles and a manifest whose dependencies are exactly what they load", () => {
  const files = walk(installed).filter((path) => !path.startsWith("node_modules"));
  expect(files.sort()).toEqual([
    "README.md",
    "bin/msp.js",
    "dist/cli.js",
    "dist/cli.js.map",
    "dist/hook.js",
    "dist/hook.js.map",
    "package.json",
  ]);

  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as Manifest;
  // Installing it runs nothing, and names no TypeScript entry nor anything of the workspace.
  expect([manifest.scripts, manifest.devDependencies, manifest.main]).toEqual([undefined, undefined, undefined]);
  expect(manifest.version).toBe(source.version);
  expect(manifest.bin).toEqual({ msp: "bin/msp.js" });
  expect(manifest.dependencies).toEqual(source.dependencies);
  const dependencies = Object.keys(manifest.dependencies ?? {});
  expect(dependencies.filter((name) => name.startsWith("@msp/"))).toEqual([]);

  // Each dependency is one the bundles require, and it loads from the install, as the bundle would load it.
  const bundles = ["dist/cli.js", "dist/hook.js"].map((file) => readFileSync(join(installed, file), "utf8")).join("\n");
  expect(bundles).not.toMatch(/require\("@msp\//);
  for (const name of dependencies) {
    const specs = [...bundles.matchAll(/require\("([^"]+)"\)/g)]
      .map((m) => m[1]!)
      .filter((spec) => spec === name || spec.startsWith(`${name}/`));
    expect([name, specs.length > 0]).toEqual([name, true]);
    for (const spec of specs) {
      const code =
        'const m = require("node:module").createRequire(process.argv[1]); require(m.resolve(process.argv[2])); process.stdout.write(m.resolve(process.argv[2]))';
      const loaded = spawnSync(process.execPath, ["-e", code, join(installed, "dist", "cli.js"), spec], {
        cwd: elsewhere,
        env: outsideEnv(),
        encoding: "utf8",
        timeout: processMs,
      });
      expectRan(loaded, `require("${spec}") from the installed bundle:\n${loaded.stderr}`);
      expect([spec, inside(installed, loaded.stdout)]).toEqual([spec, true]);
    }
  }
});

test("nothing installed is a link into the clone, and no file names a path in it", () => {
  const links = walk(prefix).filter((path) => lstatSync(join(prefix, path)).isSymbolicLink());
  expect(links).toEqual(["bin/msp"]); // npm's bin link, to the copy in lib/node_modules
  for (const path of walk(prefix)) {
    const real = realpathSync(join(prefix, path));
    expect([path, inside(prefix, real), inside(repoRoot, real)]).toEqual([path, true, false]);
  }
  // The bundles name the sources relatively (source maps: ../src/...), never the clone's absolute path.
  for (const file of ["bin/msp.js", "dist/cli.js", "dist/hook.js"]) {
    expect([file, readFileSync(join(installed, file), "utf8").includes(repoRoot)]).toEqual([file, false]);
  }
});

test("msp runs from the install alone: --version, --help, status and a hook, loading no file of the clone", () => {
  const version = installedMsp(["--version"]);
  expect([version.status, version.stdout.trim(), version.stderr]).toEqual([0, source.version, ""]);

  const help = installedMsp(["--help"]);
  expect(help.status).toBe(0);
  for (const command of ["setup", "hook", "recall", "status", "sync", "cred"])
    expect(help.stdout).toMatch(new RegExp(`^  ${command} `, "m"));

  // Not set up on this machine: status says so, names the command that sets it up, and fails.
  const status = installedMsp(["status"]);
  expect(status.status).toBe(1);
  expect(status.stdout + status.stderr).toContain(`Not set up (no ${join(home, ".msp", "config.json")}). Run: msp setup`);

  // A hook with no server configured does nothing, says nothing and exits 0: Claude Code goes on.
  const event = JSON.stringify({ hook_event_name: "SessionStart", session_id: "packed-1", cwd: elsewhere, source: "startup" });
  const hook = installedMsp(["hook", "session-start"], event);
  expect([hook.status, hook.stdout, hook.stderr]).toEqual([0, "", ""]);

  for (const run of [version, help, status]) {
    expect(run.loaded.length).toBeGreaterThan(1); // the launcher and a bundle at least: the module log is there to read
    expect(run.loaded.filter((file) => !inside(installed, file))).toEqual([]);
  }
  // The launcher compiles the hooks' bundle itself (node:vm, to hand V8 its code cache), so the
  // module log names the launcher alone: a package the bundle required would be there too.
  expect(hook.loaded).toEqual([join(installed, "bin", "msp.js")]);
});

test("without its bundles, the packed launcher says so instead of looking for TypeScript sources", () => {
  const dist = join(installed, "dist");
  renameSync(dist, `${dist}-hidden`);
  try {
    const status = installedMsp(["status"]);
    expect(status.status).toBe(1);
    expect(status.stderr).toContain(
      `msp: ${join(dist, "cli.js")} is missing, and this is a packed install of msp (${installed}) without sources.`,
    );
    expect(status.stderr).toContain("npm run cli:pack");
    expect(status.stderr).not.toMatch(/tsx|MODULE_NOT_FOUND/);

    // A hook still exits 0 (it must never fail Claude Code), and says why it did nothing.
    const hook = installedMsp(["hook", "session-start"], "{}");
    expect(hook.status).toBe(0);
    expect(hook.stderr).toContain(`msp: ${join(dist, "hook.js")} is missing`);
  } finally {
    renameSync(`${dist}-hidden`, dist);
  }
});
