// Copies the third-party .proto files our protos import (google.api annotations, gRPC health
// and reflection) from installed npm packages into the git-ignored proto-vendor/ folder, which
// buf.yaml lists as a module. buf cannot fetch remote dependencies on these machines.
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "proto-vendor");
const require = createRequire(join(root, "package.json"));

/** [package, path inside the package, destination inside proto-vendor] */
const files = [
  ["google-proto-files", "google/api/annotations.proto", "google/api/annotations.proto"],
  ["google-proto-files", "google/api/http.proto", "google/api/http.proto"],
  ["google-proto-files", "google/rpc/status.proto", "google/rpc/status.proto"],
  ["google-proto-files", "google/rpc/error_details.proto", "google/rpc/error_details.proto"],
  ["grpc-health-check", "proto/health/v1/health.proto", "grpc/health/v1/health.proto"],
  ["@grpc/reflection", "build/proto/grpc/reflection/v1/reflection.proto", "grpc/reflection/v1/reflection.proto"],
  ["@grpc/reflection", "build/proto/grpc/reflection/v1alpha/reflection.proto", "grpc/reflection/v1alpha/reflection.proto"],
];

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

rmSync(out, { recursive: true, force: true });
const missing = [];
for (const [pkg, from, to] of files) {
  const dir = packageDir(pkg);
  const source = dir && join(dir, from);
  if (!source || !existsSync(source)) {
    missing.push(`${pkg}/${from}`);
    continue;
  }
  mkdirSync(dirname(join(out, to)), { recursive: true });
  cpSync(source, join(out, to));
}
if (missing.length > 0) {
  // A production install (--omit=dev) has no codegen packages and needs none: generated code is committed.
  console.warn(`vendor-protos: skipped (not installed): ${missing.join(", ")}`);
}
