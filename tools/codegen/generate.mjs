// Regenerates everything derived from proto/: ts-proto and protobuf-es code, the compiled
// descriptor set served by reflection and read by the gateway, and the OpenAPI document built
// from it (tools/openapi). With --check, generates into a temporary folder and fails when the
// committed files differ (CI runs this).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const buf = join(root, "node_modules", ".bin", "buf");
const genDir = "libs/proto/src/gen";
const descriptorSet = `${genDir}/descriptors.binpb`;
const check = process.argv.includes("--check");

function run(args, cwd = root) {
  execFileSync(buf, args, { cwd, stdio: "inherit" });
}

// The OpenAPI document, generated from the descriptor set just built under `out`.
function openApi(out) {
  const tool = join(root, "tools/openapi/main.ts");
  execFileSync(process.execPath, ["--import", "tsx", tool, join(out, genDir, "openapi.json")], { cwd: root, stdio: "inherit" });
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

execFileSync(process.execPath, [join(root, "tools/codegen/vendor-protos.mjs")], { stdio: "inherit" });
run(["lint"]);

if (!check) {
  run(["generate"]);
  run(["build", "-o", descriptorSet]);
  openApi(root);
  console.log(`codegen: wrote ${genDir}`);
} else {
  const out = mkdtempSync(join(tmpdir(), "msp-codegen-"));
  try {
    run(["generate", "-o", out]);
    run(["build", "-o", join(out, descriptorSet)]);
    openApi(out);
    const fresh = new Set(listFiles(join(out, genDir)).map((f) => relative(out, f)));
    const committed = new Set(listFiles(join(root, genDir)).map((f) => relative(root, f)));
    const problems = [];
    for (const file of fresh) {
      if (!committed.has(file)) problems.push(`missing: ${file}`);
      else if (!readFileSync(join(out, file)).equals(readFileSync(join(root, file)))) problems.push(`differs: ${file}`);
    }
    for (const file of committed) if (!fresh.has(file)) problems.push(`stale: ${file}`);
    if (problems.length > 0) {
      console.error(`codegen is not reproducible; run \`npm run codegen\` and commit:\n  ${problems.join("\n  ")}`);
      process.exitCode = 1;
    } else {
      console.log(`codegen: ${fresh.size} generated files match the committed ones`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
