import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import type { FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

/** Where `npm run codegen` writes the compiled descriptor set (every proto plus its imports). */
export const descriptorSetPath = join(__dirname, "gen", "descriptors.binpb");

/** The OpenAPI document generated from the descriptors by tools/openapi (part of `npm run codegen`). */
export const openApiPath = join(__dirname, "gen", "openapi.json");

let cached: FileDescriptorSet | undefined;

/** The compiled descriptor set, read once: reflection serves it, the gateway routes from it. */
export function loadDescriptorSet(): FileDescriptorSet {
  cached ??= fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSetPath));
  return cached;
}
export * from "./proto-sink";
