import { toBinary } from "@bufbuild/protobuf";
import type { DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type * as grpc from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import type { ServerReflectionRequest, ServerReflectionResponse } from "@msp/proto/src/gen/ts/grpc/reflection/v1/reflection";
import { ServerReflectionService as ReflectionV1 } from "@msp/proto/src/gen/ts/grpc/reflection/v1/reflection";
import { ServerReflectionService as ReflectionV1alpha } from "@msp/proto/src/gen/ts/grpc/reflection/v1alpha/reflection";

// Served by hand because @grpc/reflection 1.0.4 drops `dependency` from the files it sends,
// so clients (buf curl, grpcurl) cannot resolve any proto that imports another.

/** Both reflection services, always listed: addReflection registers them itself. */
const reflectionServiceNames = ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

/** Options of addReflection. */
export interface ReflectionOptions {
  /** Fully-qualified names of the services this server registers, e.g. `grpc.health.v1.Health`. */
  serviceNames?: string[];
}

/** Everything a request needs, computed once per server so requests only look things up. */
interface ReflectionIndex {
  files: Map<string, { bytes: Buffer; dependencies: readonly string[] }>;
  /** Fully-qualified symbol (no leading dot) -> name of the file declaring it. */
  symbols: Map<string, string>;
  /** Extended message (no leading dot) -> extension number -> file name. */
  extensions: Map<string, Map<number, string>>;
  /** Message names, the only valid subjects of all_extension_numbers_of_type. */
  messages: Set<string>;
  services: { name: string }[];
}

/**
 * Registers grpc.reflection v1 and v1alpha on `server`, answering from `files`.
 * Throws when a listed service is not in `files`: clients could list it but never describe it.
 */
export function addReflection(server: grpc.Server, files: FileDescriptorSet, options?: ReflectionOptions): void {
  const index = buildIndex(files, options?.serviceNames ?? []);
  const handler = createReflectionHandler(index);
  server.addService(ReflectionV1, { serverReflectionInfo: handler });
  // v1alpha's messages are field-for-field those of v1, so one handler serves both.
  server.addService(ReflectionV1alpha, { serverReflectionInfo: handler });
}

function buildIndex(set: FileDescriptorSet, serviceNames: readonly string[]): ReflectionIndex {
  const index: ReflectionIndex = {
    files: new Map(),
    symbols: new Map(),
    extensions: new Map(),
    messages: new Set(),
    services: [],
  };
  for (const file of set.file) {
    if (index.files.has(file.name)) continue;
    const bytes = toBinary(FileDescriptorProtoSchema, file);
    index.files.set(file.name, {
      bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      dependencies: file.dependency,
    });
    // First declaration wins, as in a descriptor pool; a valid set never declares a name twice.
    const add = (symbol: string): void => {
      if (!index.symbols.has(symbol)) index.symbols.set(symbol, file.name);
    };
    const addExtension = (scope: string, field: FieldDescriptorProto): void => {
      add(qualify(scope, field.name));
      const extendee = field.extendee.replace(/^\./, "");
      const numbers = index.extensions.get(extendee) ?? new Map<number, string>();
      if (!numbers.has(field.number)) numbers.set(field.number, file.name);
      index.extensions.set(extendee, numbers);
    };
    const addEnum = (scope: string, type: EnumDescriptorProto): void => {
      add(qualify(scope, type.name));
      // Enum values are scoped beside their enum, not inside it (protobuf's C++ scoping rule).
      for (const value of type.value) add(qualify(scope, value.name));
    };
    const addMessage = (scope: string, type: DescriptorProto): void => {
      const name = qualify(scope, type.name);
      add(name);
      index.messages.add(name);
      for (const field of type.field) add(qualify(name, field.name));
      for (const oneof of type.oneofDecl) add(qualify(name, oneof.name));
      for (const nested of type.nestedType) addMessage(name, nested);
      for (const nested of type.enumType) addEnum(name, nested);
      for (const extension of type.extension) addExtension(name, extension);
    };
    for (const type of file.messageType) addMessage(file.package, type);
    for (const type of file.enumType) addEnum(file.package, type);
    for (const extension of file.extension) addExtension(file.package, extension);
    for (const service of file.service) {
      const name = qualify(file.package, service.name);
      add(name);
      for (const method of service.method) add(qualify(name, method.name));
    }
  }
  for (const name of serviceNames) {
    if (!reflectionServiceNames.includes(name) && !index.symbols.has(name)) {
      throw new Error(`addReflection: service "${name}" is not in the descriptor set`);
    }
  }
  index.services = [...new Set([...serviceNames, ...reflectionServiceNames])].map((name) => ({ name }));
  return index;
}

function qualify(scope: string, name: string): string {
  return scope === "" ? name : `${scope}.${name}`;
}

/** One bidi stream per client session; each file is sent at most once per stream, as grpc-go does. */
function createReflectionHandler(index: ReflectionIndex): grpc.handleBidiStreamingCall<ServerReflectionRequest, ServerReflectionResponse> {
  return (call) => {
    const sent = new Set<string>();
    call.on("data", (request: ServerReflectionRequest) => {
      if (call.cancelled) return;
      try {
        call.write(answer(index, request, sent));
      } catch {
        // A throw inside an event listener would crash the process; fail this stream only.
        call.emit("error", { code: status.INTERNAL, details: "internal error" });
      }
    });
    call.on("end", () => call.end());
  };
}

function answer(index: ReflectionIndex, request: ServerReflectionRequest, sent: Set<string>): ServerReflectionResponse {
  const base = { validHost: request.host, originalRequest: request };
  const notFound = (message: string): ServerReflectionResponse => ({
    ...base,
    errorResponse: { errorCode: status.NOT_FOUND, errorMessage: message },
  });
  const filesFor = (fileName: string): ServerReflectionResponse => ({
    ...base,
    fileDescriptorResponse: { fileDescriptorProto: withDependencies(index, fileName, sent) },
  });

  // Oneof members are `undefined` when unset; "" is a legitimate value (list_services content is unchecked).
  if (request.listServices !== undefined) {
    return { ...base, listServicesResponse: { service: index.services } };
  }
  if (request.fileByFilename !== undefined) {
    const name = request.fileByFilename;
    return index.files.has(name) ? filesFor(name) : notFound(`file "${name}" not found`);
  }
  if (request.fileContainingSymbol !== undefined) {
    const symbol = request.fileContainingSymbol.replace(/^\./, "");
    const fileName = index.symbols.get(symbol);
    return fileName === undefined ? notFound(`symbol "${symbol}" not found`) : filesFor(fileName);
  }
  if (request.fileContainingExtension !== undefined) {
    const { containingType, extensionNumber } = request.fileContainingExtension;
    const fileName = index.extensions.get(containingType.replace(/^\./, ""))?.get(extensionNumber);
    return fileName === undefined ? notFound(`extension ${extensionNumber} of "${containingType}" not found`) : filesFor(fileName);
  }
  if (request.allExtensionNumbersOfType !== undefined) {
    const type = request.allExtensionNumbersOfType.replace(/^\./, "");
    if (!index.messages.has(type)) return notFound(`message type "${type}" not found`);
    const numbers = [...(index.extensions.get(type)?.keys() ?? [])];
    return { ...base, allExtensionNumbersResponse: { baseTypeName: type, extensionNumber: numbers } };
  }
  // Also reached by request kinds newer than this proto, which decode as "nothing set".
  return {
    ...base,
    errorResponse: { errorCode: status.UNIMPLEMENTED, errorMessage: "reflection request kind not supported" },
  };
}

/** The file first, always, then every transitive import not yet sent on this stream. */
function withDependencies(index: ReflectionIndex, fileName: string, sent: Set<string>): Buffer[] {
  const out: Buffer[] = [];
  const queue = [fileName];
  const queued = new Set(queue);
  // for-of over an array sees items pushed during the loop, which makes this a breadth-first walk.
  for (const name of queue) {
    const file = index.files.get(name);
    // An import missing from the set cannot be sent; the client reports it by name.
    if (file === undefined) continue;
    if (name === fileName || !sent.has(name)) {
      out.push(file.bytes);
      sent.add(name);
    }
    for (const dependency of file.dependencies) {
      if (!queued.has(dependency)) {
        queued.add(dependency);
        queue.push(dependency);
      }
    }
  }
  return out;
}
