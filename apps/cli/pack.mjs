// `npm run cli:pack`: packs `msp` into one tarball, dist/msp-cli-<version>.tgz at the root of the
// clone, for a technician's machine: `npm install -g ./dist/msp-cli-<version>.tgz` there copies
// msp into npm's global folder, so it keeps working wherever the clone goes (or on a machine that
// never had one), unlike `npm install -g ./apps/cli`, which links to the clone.
//
// The tarball holds bin/msp.js, the two bundles (built here strictly: any failure stops the pack)
// and a package.json written here from apps/cli/package.json, without the workspace's scripts,
// dev dependencies or TypeScript entry point: installing it runs nothing, and its dependencies
// are exactly the packages the bundles load from node_modules (build.mjs checks that), which npm
// installs from the registry. The @msp/* libraries are bundled in.
//
// `--destination DIR` packs into DIR instead of dist/ (the end-to-end test uses a temporary one).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCli, dependencyProblems } from "./build.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");

/** The package.json of the tarball: what a global install needs, and nothing of the workspace. */
export function packedManifest(manifest, license) {
  return {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    license,
    private: true, // never published: `npm publish` refuses it
    bin: manifest.bin,
    files: ["bin", "dist"],
    engines: manifest.engines,
    dependencies: manifest.dependencies ?? {},
  };
}

/** The tarball's file name, as npm pack names it ("@msp/cli" 0.1.0: msp-cli-0.1.0.tgz). */
export function tarballName(manifest) {
  return `${manifest.name.replace(/^@/, "").replace("/", "-")}-${manifest.version}.tgz`;
}

function destinationOf(args) {
  const at = args.indexOf("--destination");
  if (at === -1) return join(root, "dist");
  const value = args[at + 1];
  if (!value || value.startsWith("--")) throw new Error("--destination needs a folder: npm run cli:pack -- --destination DIR");
  return resolve(value);
}

async function main(args) {
  const destination = destinationOf(args);
  const manifest = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
  const { license } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

  const metafile = await buildCli();
  if (!metafile) throw new Error("esbuild is not installed: run npm install in the clone first (it is a dev dependency of apps/cli)");
  const problems = dependencyProblems(metafile, manifest);
  if (problems.length > 0) throw new Error(`apps/cli/package.json does not match the bundles:\n  ${problems.join("\n  ")}`);

  // npm pack runs in a staging folder holding only what the tarball should, outside the workspace.
  const staging = mkdtempSync(join(tmpdir(), "msp-cli-pack-"));
  try {
    cpSync(join(here, "bin"), join(staging, "bin"), { recursive: true });
    // Not the hooks' code cache: it is named after the bundle's modification time, which the
    // install changes, so an installed copy would never use it (the hooks compile as usual).
    cpSync(join(here, "dist"), join(staging, "dist"), { recursive: true, filter: (path) => !path.endsWith(".cache") });
    cpSync(join(here, "README.md"), join(staging, "README.md"));
    writeFileSync(join(staging, "package.json"), `${JSON.stringify(packedManifest(manifest, license), null, 2)}\n`);
    mkdirSync(destination, { recursive: true });
    const packed = spawnSync("npm", ["pack", "--pack-destination", destination, "--json"], {
      cwd: staging,
      encoding: "utf8",
      shell: process.platform === "win32", // npm is npm.cmd there
    });
    if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stdout}${packed.stderr}`);
    const [report] = JSON.parse(packed.stdout);
    const tarball = join(destination, report.filename);
    if (report.filename !== tarballName(manifest)) throw new Error(`npm pack wrote ${report.filename}, expected ${tarballName(manifest)}`);
    const shown = relative(process.cwd(), tarball);
    const installPath = shown.startsWith("..") || shown === "" ? tarball : `./${shown}`;
    console.log(`msp: packed ${tarball} (${report.entryCount} files, ${Math.round(report.size / 1024)} kB)`);
    console.log(`Install it on a technician's machine (copy the file there first, or run this here):`);
    console.log(`  npm install -g ${installPath}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    console.error(`msp: packing failed: ${error.message}`);
    process.exit(1);
  }
}
