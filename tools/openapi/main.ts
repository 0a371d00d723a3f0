// Writes the OpenAPI document for a compiled descriptor set; `npm run codegen` runs it after
// `buf build`. usage: main.ts OUT.json [DESCRIPTORS.binpb] (default: descriptors.binpb beside OUT,
// so `codegen --check` documents the freshly built set, not the committed one).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { buildOpenApi } from "./build-openapi";

function main(argv: readonly string[]): void {
  const [out, input = out ? join(dirname(out), "descriptors.binpb") : undefined] = argv;
  if (!out || !input) throw new Error("usage: main.ts OUT.json [DESCRIPTORS.binpb]");
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(input)));
  writeFileSync(out, `${JSON.stringify(buildOpenApi(registry), null, 2)}\n`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  console.error(`openapi: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
