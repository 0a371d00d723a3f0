// bin/msp.js starts the hooks' bundle from the V8 code cache build.mjs writes beside it, and never
// from the cache of another build: V8 itself checks only the length of the source.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withSlowness } from "@msp/testing";
import { cliRoot, createMachine, launcher, removeMachine } from "./cli-harness";

jest.setTimeout(withSlowness(60_000));

const machine = createMachine("LAUNCHER", "e2e-fingerprint-launcher");
const scratch = mkdtempSync(join(tmpdir(), "msp-launcher-"));

afterAll(() => {
  removeMachine(machine);
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs `script` in a plain node (the V8 flags a hook runs with); its stdout. */
function node(script: string, args: string[] = []): string {
  const result = spawnSync(process.execPath, ["-e", script, ...args], { env: machine.env, cwd: machine.home, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`node exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

test("a hook starts from the code cache the build wrote, and V8 accepts it", () => {
  // A build of its own (the other suites' builds replace apps/cli/dist meanwhile), beside a copy of the launcher.
  const install = join(scratch, "built");
  mkdirSync(join(install, "bin"), { recursive: true });
  copyFileSync(launcher, join(install, "bin", "msp.js"));
  // build.mjs second: run as node's first argument, it builds apps/cli/dist.
  node(`import(process.argv[2]).then((build) => build.buildCli(process.argv[1]));`, [join(install, "dist"), join(cliRoot, "build.mjs")]);
  expect(readdirSync(join(install, "dist")).filter((file) => /^hook\.js\..+\.cache$/.test(file))).toHaveLength(1);
  // What the launcher hands to V8 and what V8 made of it, seen from vm.Script; then a hook that stops at once.
  const seen = node(
    `const vm = require("node:vm");
     const Script = vm.Script;
     vm.Script = class extends Script {
       constructor(source, options) {
         super(source, options);
         process.on("exit", () => process.stdout.write(JSON.stringify({ given: options.cachedData !== undefined, rejected: this.cachedDataRejected })));
       }
     };
     process.argv = [process.argv[0], process.argv[1], "hook", "no-such-event"];
     require(process.argv[1]);`,
    [join(install, "bin", "msp.js")],
  );
  expect(JSON.parse(seen)).toEqual({ given: true, rejected: false });
});

test("a rebuilt bundle of the same length never runs the previous build's code cache", () => {
  const install = join(scratch, "rebuilt");
  mkdirSync(join(install, "bin"), { recursive: true });
  mkdirSync(join(install, "dist"));
  copyFileSync(launcher, join(install, "bin", "msp.js"));
  const bundle = join(install, "dist", "hook.js");
  // Two builds whose sources have the same length: V8 would run the first one's code for the second.
  const build = (name: string) => `exports.hookMain = () => process.stdout.write("${name}");\n`;
  writeFileSync(bundle, build("first build"));
  node(`import(process.argv[2]).then((build) => build.writeCodeCache(process.argv[1]));`, [bundle, join(cliRoot, "build.mjs")]);
  expect(readdirSync(join(install, "dist")).filter((file) => file.endsWith(".cache"))).toHaveLength(1);
  const hook = () =>
    node(`process.argv = [process.argv[0], process.argv[1], "hook"]; require(process.argv[1]);`, [join(install, "bin", "msp.js")]);
  expect(hook()).toBe("first build");

  writeFileSync(bundle, build("later build"));
  const written = statSync(bundle).mtime;
  utimesSync(bundle, written, new Date(written.getTime() + 5_000)); // a build seconds later, whatever the clock's resolution
  expect(hook()).toBe("later build");
});
