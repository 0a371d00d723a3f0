import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { loadDescriptorSet } from "@msp/proto";
import { ClientServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import type { ClientServiceServer } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import * as v1 from "@msp/proto/src/gen/ts/grpc/reflection/v1/reflection";
import * as v1alpha from "@msp/proto/src/gen/ts/grpc/reflection/v1alpha/reflection";
import type { DeepPartial } from "@msp/proto/src/gen/ts/grpc/reflection/v1/reflection";
import { HealthImplementation } from "grpc-health-check";
import { addReflection } from "./reflection";

const serviceNames = [
  "grpc.health.v1.Health",
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
  "msp.work.v1.ClientService",
];
const clientProtoClosure = [
  "msp/work/v1/client.proto",
  "google/api/annotations.proto",
  "google/protobuf/field_mask.proto",
  "google/protobuf/timestamp.proto",
  "google/api/http.proto",
  "google/protobuf/descriptor.proto",
  "msp/policy/v1/policy.proto",
];

let server: grpc.Server;
let address: string;

beforeAll(async () => {
  server = new grpc.Server();
  new HealthImplementation({ "": "SERVING" }).addToServer(server);
  // A stub ClientService so buf curl can call a method whose schema it only knows by reflection.
  const clientService: Pick<ClientServiceServer, "getClient"> = {
    getClient: (call, callback) =>
      callback(null, { id: call.request.id, name: "Acme", etag: "e1", createdAt: new Date(0), updatedAt: undefined }),
  };
  server.addService(ClientServiceService, clientService);
  addReflection(server, loadDescriptorSet(), { serviceNames });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  address = `127.0.0.1:${port}`;
});

afterAll(async () => {
  // Graceful first; force after a grace period so a stuck connection cannot keep jest alive.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, 2000);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
});

type Request = DeepPartial<v1.ServerReflectionRequest>;
type Response = v1.ServerReflectionResponse;

/** One reflection stream; `ask` sends a request and resolves with its (in-order) response. */
function openSession(version: "v1" | "v1alpha") {
  const Client = version === "v1" ? v1.ServerReflectionClient : v1alpha.ServerReflectionClient;
  const client = new Client(address, grpc.credentials.createInsecure());
  const stream = client.serverReflectionInfo();
  const waiting: { resolve: (response: Response) => void; reject: (error: Error) => void }[] = [];
  stream.on("data", (response: Response) => waiting.shift()?.resolve(response));
  stream.on("error", (error: Error) => waiting.splice(0).forEach((w) => w.reject(error)));
  return {
    stream,
    ask: (request: Request) =>
      new Promise<Response>((resolve, reject) => {
        waiting.push({ resolve, reject });
        stream.write(v1.ServerReflectionRequest.fromPartial(request));
      }),
    close: () => {
      stream.end();
      client.close();
    },
  };
}

function fileNames(response: Response): string[] {
  return (response.fileDescriptorResponse?.fileDescriptorProto ?? []).map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name);
}

describe.each(["v1", "v1alpha"] as const)("reflection %s", (version) => {
  let session: ReturnType<typeof openSession>;
  beforeEach(() => (session = openSession(version)));
  afterEach(() => session.close());

  it("lists exactly the registered services", async () => {
    const response = await session.ask({ listServices: "" });
    expect(response.listServicesResponse?.service.map((s) => s.name).sort()).toEqual([...serviceNames].sort());
  });

  it("answers a symbol with its file and the whole import closure, each file once per stream", async () => {
    const first = await session.ask({ fileContainingSymbol: "msp.work.v1.ClientService" });
    expect(fileNames(first)[0]).toBe("msp/work/v1/client.proto");
    expect(fileNames(first).sort()).toEqual([...clientProtoClosure].sort());
    // The @grpc/reflection bug: dependency lists must survive the round trip.
    const [clientProto] = first.fileDescriptorResponse?.fileDescriptorProto ?? [];
    expect(clientProto && fromBinary(FileDescriptorProtoSchema, clientProto).dependency).toHaveLength(4);

    const again = await session.ask({ fileContainingSymbol: "msp.work.v1.Client" });
    expect(fileNames(again)).toEqual(["msp/work/v1/client.proto"]);
  });

  it.each([
    ["method", "msp.work.v1.ClientService.GetClient", "msp/work/v1/client.proto"],
    ["field", "msp.work.v1.Client.name", "msp/work/v1/client.proto"],
    ["enum", "msp.work.v1.ClientType", "msp/work/v1/client.proto"],
    ["leading dot", ".google.protobuf.Timestamp", "google/protobuf/timestamp.proto"],
    ["nested message", "google.protobuf.DescriptorProto.ExtensionRange", "google/protobuf/descriptor.proto"],
    ["extension", "google.api.http", "google/api/annotations.proto"],
  ])("finds a %s", async (_kind, symbol, file) => {
    expect(fileNames(await session.ask({ fileContainingSymbol: symbol }))[0]).toBe(file);
  });

  it("answers a file name with its imports", async () => {
    const response = await session.ask({ fileByFilename: "google/api/annotations.proto" });
    expect(fileNames(response)).toEqual(["google/api/annotations.proto", "google/api/http.proto", "google/protobuf/descriptor.proto"]);
  });

  it("answers extension queries", async () => {
    const byNumber = await session.ask({
      fileContainingExtension: { containingType: "google.protobuf.MethodOptions", extensionNumber: 72295728 },
    });
    expect(fileNames(byNumber)[0]).toBe("google/api/annotations.proto");
    const policy = await session.ask({
      fileContainingExtension: { containingType: "google.protobuf.ServiceOptions", extensionNumber: 50100 },
    });
    expect(fileNames(policy)[0]).toBe("msp/policy/v1/policy.proto");
    const numbers = await session.ask({ allExtensionNumbersOfType: "google.protobuf.MethodOptions" });
    // google.api.http, msp.policy.v1.method_policy and msp.http.v1.file_download.
    expect(numbers.allExtensionNumbersResponse?.extensionNumber).toEqual([72295728, 50100, 50200]);
    const none = await session.ask({ allExtensionNumbersOfType: "msp.work.v1.Client" });
    expect(none.allExtensionNumbersResponse?.extensionNumber).toEqual([]);
    const service = await session.ask({ allExtensionNumbersOfType: "msp.work.v1.ClientService" });
    expect(service.errorResponse?.errorCode).toBe(grpc.status.NOT_FOUND);
  });

  it("answers unknown names with NOT_FOUND and keeps the stream open", async () => {
    const symbol = await session.ask({ fileContainingSymbol: "msp.work.v1.Nope" });
    expect(symbol.errorResponse).toEqual({
      errorCode: grpc.status.NOT_FOUND,
      errorMessage: expect.stringContaining("msp.work.v1.Nope"),
    });
    const file = await session.ask({ fileByFilename: "nope.proto" });
    expect(file.errorResponse?.errorCode).toBe(grpc.status.NOT_FOUND);
    const extension = await session.ask({
      fileContainingExtension: { containingType: "msp.work.v1.Client", extensionNumber: 1 },
    });
    expect(extension.errorResponse?.errorCode).toBe(grpc.status.NOT_FOUND);
    expect((await session.ask({ listServices: "" })).listServicesResponse).toBeDefined();
  });
});

it("survives a client that cancels mid-stream", async () => {
  const cancelled = openSession("v1");
  cancelled.stream.on("error", () => undefined);
  void cancelled.ask({ fileContainingSymbol: "msp.work.v1.ClientService" }).catch(() => undefined);
  cancelled.stream.cancel();
  cancelled.close();
  const session = openSession("v1");
  expect((await session.ask({ listServices: "" })).listServicesResponse).toBeDefined();
  session.close();
});

it("refuses a service name the descriptor set cannot describe", () => {
  expect(() => addReflection(new grpc.Server(), loadDescriptorSet(), { serviceNames: ["msp.work.v1.Nope"] })).toThrow(
    /msp\.work\.v1\.Nope/,
  );
});

const buf = join(__dirname, "..", "..", "..", "node_modules", ".bin", "buf");
const runBuf = promisify(execFile);

// buf curl resolves schemas through reflection alone, as operators' tools do.
(existsSync(buf) ? describe : describe.skip)("buf curl", () => {
  const curl = async (...args: string[]): Promise<string> =>
    (await runBuf(buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args], { timeout: 20_000 })).stdout;

  it("lists services", async () => {
    const out = await curl("--list-services", `http://${address}`);
    for (const name of serviceNames) expect(out).toContain(name);
  });

  it.each(["grpc-v1", "grpc-v1alpha"])("lists methods and calls one over %s", async (protocol) => {
    // --list-methods takes the base URL and lists every method of every listed service.
    const methods = await curl("--reflect-protocol", protocol, "--list-methods", `http://${address}`);
    expect(methods).toContain("msp.work.v1.ClientService/GetClient");
    expect(methods).toContain("grpc.health.v1.Health/Watch");
    expect(methods).toContain("msp.work.v1.ClientService/DeleteClient");

    const method = `http://${address}/msp.work.v1.ClientService/GetClient`;
    const out = await curl("--reflect-protocol", protocol, "-d", '{"id":"c1"}', method);
    // createdAt rendered as RFC 3339 proves timestamp.proto came through as a dependency.
    expect(JSON.parse(out)).toMatchObject({ id: "c1", name: "Acme", createdAt: "1970-01-01T00:00:00Z" });
  });

  it("calls the health check", async () => {
    const out = await curl(`http://${address}/grpc.health.v1.Health/Check`);
    expect(JSON.parse(out)).toEqual({ status: "SERVING" });
  });
});
