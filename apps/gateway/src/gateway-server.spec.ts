// The gateway's HTTP door with a gate and backends of the test's own (issue 18): every answer says
// `nosniff`, a JSON body that is not UTF-8 is refused naming its field (never stored altered), an
// unreachable service or database is a 503 with Retry-After over REST and Connect, never a 500,
// GET /api/ready tells whether every service answers its health check, and hand-written request
// JSON (short enum names, dates) is read alike over REST and Connect (issue 17).
import { create, toBinary } from "@bufbuild/protobuf";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";
import { createLogger } from "@msp/logging";
import { ListClientsResponseSchema } from "@msp/proto/src/gen/es/msp/work/v1/client_pb";
import { FileChangeType } from "@msp/proto/src/gen/es/msp/work/v1/file_change_pb";
import { freePort } from "@msp/testing";
import { ConnectionRefusedError } from "sequelize";
import type { AuthGate } from "./auth-gate";
import type { Backends } from "./backends";
import { createBackends } from "./backends";
import type { RunningGateway } from "./gateway-server";
import { startGatewayServer } from "./gateway-server";

/** What the gate does for the next call: let it through, or fail as the database does when it is gone. */
let gateFails = false;
const gate = {
  check: () =>
    gateFails
      ? Promise.reject(new ConnectionRefusedError(new Error("connect ECONNREFUSED 10.1.2.3:3306")))
      : Promise.resolve({ authorization: "Bearer test" }),
  forgetRevocations: () => undefined,
} as unknown as AuthGate;

/** The inputs the backends were called with, by method name. */
const received: { method: string; input: unknown }[] = [];
const workingBackends: Backends = {
  unary(method, input, _headers, decode) {
    received.push({ method: method.name, input });
    // Every answer is the output's empty message (a list of no clients for ListClients).
    const bytes = toBinary(ListClientsResponseSchema, create(ListClientsResponseSchema, { clients: [] }));
    return Promise.resolve(decode(method.name === "ListClients" ? Buffer.from(bytes) : Buffer.alloc(0)));
  },
  serving: () => Promise.resolve({ "work-service": true }),
  close: () => undefined,
};

const logger = createLogger({ service: "gateway", level: "silent" });
let gateway: RunningGateway;
/** A gateway whose work service listens nowhere. */
let gatewayWithoutWork: RunningGateway;
let downBackends: Backends;

beforeAll(async () => {
  gateway = await startGatewayServer({ host: "127.0.0.1", port: 0, maxBodyBytes: 1024 * 1024, gate, backends: workingBackends, logger });
  downBackends = createBackends([{ protoPackage: "msp.work.v1", addresses: [`127.0.0.1:${await freePort()}`] }], 2_000);
  gatewayWithoutWork = await startGatewayServer({ host: "127.0.0.1", port: 0, maxBodyBytes: 1024, gate, backends: downBackends, logger });
});

afterAll(async () => {
  downBackends.close();
  gateway.server.closeAllConnections();
  gatewayWithoutWork.server.closeAllConnections();
  await Promise.all([gateway.close(), gatewayWithoutWork.close()]);
});

beforeEach(() => {
  gateFails = false;
  received.length = 0;
});

const url = (server: RunningGateway, path: string) => `http://127.0.0.1:${server.port}${path}`;
const post = (server: RunningGateway, path: string, body: Uint8Array | string, type = "application/json") =>
  fetch(url(server, path), { method: "POST", headers: { "content-type": type }, body });

describe("X-Content-Type-Options", () => {
  it("is nosniff on every answer: OpenAPI, docs, REST, errors and Connect", async () => {
    const answers = await Promise.all([
      fetch(url(gateway, "/api/openapi.json")),
      fetch(url(gateway, "/api/docs")),
      fetch(url(gateway, "/api/v1/clients")),
      fetch(url(gateway, "/api/v1/no-such-thing")),
      post(gateway, "/api/v1/clients", "{not json"),
      post(gateway, "/msp.work.v1.ClientService/ListClients", "{}"),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 404, 400, 200]);
    for (const answer of answers) expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("a JSON body that is not UTF-8", () => {
  it("is refused with 400 naming the field that holds the bad bytes, and reaches no service", async () => {
    const body = Buffer.concat([Buffer.from('{"name":"Acme ', "utf8"), Buffer.from([0xff, 0xfe]), Buffer.from('"}', "utf8")]);
    const answer = await post(gateway, "/api/v1/clients", body);
    expect(answer.status).toBe(400);
    const json = (await answer.json()) as { code: string; message: string; details: { fieldViolations: { field: string }[] }[] };
    expect(json.code).toBe("invalid_argument");
    expect(json.message).toMatch(/^client\.name: not valid UTF-8/);
    expect(json.details[0]?.fieldViolations[0]?.field).toBe("client.name");
    expect(received).toEqual([]);
  });

  it("names a nested field, and a key", async () => {
    const nested = Buffer.concat([Buffer.from('{"a":{"b":["ok","x'), Buffer.from([0xc3]), Buffer.from('"]}}')]);
    expect(((await (await post(gateway, "/api/v1/clients", nested)).json()) as { message: string }).message).toMatch(
      /^client\.a\.b\[1\]: /,
    );
    const key = Buffer.concat([Buffer.from('{"n'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('":1}')]);
    expect(((await (await post(gateway, "/api/v1/clients", key)).json()) as { message: string }).message).toMatch(/^client\.n\uFFFD+: /);
  });

  it("is refused even when it is no JSON at all", async () => {
    const answer = await post(gateway, "/api/v1/clients", Buffer.from([0x7b, 0x80, 0x7d]));
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { message: string }).message).toBe("the request body is not valid UTF-8");
  });

  it("while valid UTF-8 (accents, emoji, U+FFFD itself) reaches the service as sent", async () => {
    const name = "Zürich ✓ 🚀 \uFFFD";
    const answer = await post(gateway, "/api/v1/clients", Buffer.from(JSON.stringify({ name }), "utf8"));
    expect(answer.status).toBe(200);
    expect(received).toEqual([{ method: "CreateClient", input: expect.objectContaining({ client: expect.objectContaining({ name }) }) }]);
  });
});

describe("an unreachable service or database", () => {
  it("is a 503 with Retry-After over REST when the service listens nowhere", async () => {
    const answer = await fetch(url(gatewayWithoutWork, "/api/v1/clients"));
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("1");
    expect(await answer.json()).toMatchObject({ code: "unavailable" });
  });

  it("is a 503 with Retry-After over Connect", async () => {
    const answer = await post(gatewayWithoutWork, "/msp.work.v1.ClientService/ListClients", "{}");
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("1");
  });

  it("is a 503 with Retry-After, not a 500, when the gate cannot reach the database, and names no host", async () => {
    gateFails = true;
    const rest = await fetch(url(gateway, "/api/v1/clients"));
    expect(rest.status).toBe(503);
    expect(rest.headers.get("retry-after")).toBe("1");
    const body = (await rest.json()) as { code: string; message: string };
    expect(body).toEqual({ code: "unavailable", message: "the database is unavailable; try again shortly", details: [] });
    const connect = await post(gateway, "/msp.work.v1.ClientService/ListClients", "{}");
    expect(connect.status).toBe(503);
    expect(connect.headers.get("retry-after")).toBe("1");
    expect(await connect.text()).not.toContain("10.1.2.3");
  });
});

describe("hand-written request JSON (issue 17), over REST and Connect alike", () => {
  const forms = 'an RFC 3339 timestamp such as "2026-12-01T09:30:00Z" or a date such as "2026-12-01" (midnight UTC)';
  const changeTypes = "created, modified, deleted, renamed, backed_up";
  const connectPost = (method: string, body: unknown) => post(gateway, `/msp.work.v1.${method}`, JSON.stringify(body));
  type Refusal = { code: string; message: string; details: Record<string, unknown>[] };

  it("reads a date-only query parameter as its midnight UTC", async () => {
    const answer = await fetch(url(gateway, "/api/v1/clients/c1:billingSummary?start=2026-12-01&end=2027-01-01T00:00:00%2B01:00"));
    expect(answer.status).toBe(200);
    const input = received[0]?.input as { start: { seconds: bigint }; end: { seconds: bigint } };
    expect(Number(input.start.seconds)).toBe(Date.parse("2026-12-01T00:00:00Z") / 1000);
    expect(Number(input.end.seconds)).toBe(Date.parse("2026-12-31T23:00:00Z") / 1000);
  });

  it("refuses a bad timestamp parameter naming it and the forms it takes, with a BadRequest", async () => {
    const answer = await fetch(url(gateway, "/api/v1/clients/c1:billingSummary?start=2026-13-01"));
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      code: "invalid_argument",
      message: `start: '2026-13-01' is not ${forms}`,
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.BadRequest",
          fieldViolations: [{ field: "start", description: `'2026-13-01' is not ${forms}` }],
        },
      ],
    });
    expect(received).toEqual([]);
  });

  it("reads an enum value by its short name in a REST body and a Connect body", async () => {
    expect((await post(gateway, "/api/v1/fileChanges", JSON.stringify({ changeType: "modified", filePath: "a" }))).status).toBe(200);
    expect((await connectPost("FileChangeService/CreateFileChange", { fileChange: { changeType: "Backed_Up" } })).status).toBe(200);
    const changeTypes = received.map((r) => (r.input as { fileChange: { changeType: number } }).fileChange.changeType);
    expect(changeTypes).toEqual([FileChangeType.MODIFIED, FileChangeType.BACKED_UP]);
  });

  it("refuses an unknown enum value listing the values, over REST and Connect, with a BadRequest", async () => {
    const rest = await post(gateway, "/api/v1/fileChanges", JSON.stringify({ changeType: "changed" }));
    expect(rest.status).toBe(400);
    const description = `'changed' is not one of ${changeTypes}`;
    expect(await rest.json()).toEqual({
      code: "invalid_argument",
      message: `file_change.change_type: ${description}`,
      details: [
        { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "file_change.change_type", description }] },
      ],
    });
    const connect = await connectPost("FileChangeService/CreateFileChange", { fileChange: { changeType: "changed" } });
    expect(connect.status).toBe(400);
    const body = (await connect.json()) as Refusal;
    expect(body).toMatchObject({ code: "invalid_argument", message: `file_change.change_type: ${description}` });
    expect(body.details).toEqual([
      expect.objectContaining({
        type: "google.rpc.BadRequest",
        debug: { fieldViolations: [{ field: "file_change.change_type", description }] },
      }),
    ]);
    expect(received).toEqual([]);
  });

  it("gives other decoding errors the same BadRequest, naming the field", async () => {
    const rest = (await (await post(gateway, "/api/v1/fileChanges", JSON.stringify({ sizeBytes: "1.5" }))).json()) as Refusal;
    expect(rest.details).toEqual([
      { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "size_bytes", description: expect.any(String) }] },
    ]);
    const unknown = await connectPost("FileChangeService/CreateFileChange", { fileChange: { size: 1 } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Refusal).message).toMatch(/^file_change\.size: is not a field of FileChange; its fields are /);
    expect(received).toEqual([]);
  });

  it("refuses a Connect JSON body that is not UTF-8 naming its field, as REST does", async () => {
    const body = Buffer.concat([Buffer.from('{"client":{"name":"Acme ', "utf8"), Buffer.from([0xff]), Buffer.from('"}}', "utf8")]);
    const answer = await post(gateway, "/msp.work.v1.ClientService/CreateClient", body);
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as Refusal).message).toMatch(/^client\.name: not valid UTF-8/);
    expect(received).toEqual([]);
  });
});

describe("GET /api/ready", () => {
  it("is 503 with Retry-After, naming the service, when a service listens nowhere", async () => {
    const answer = await fetch(url(gatewayWithoutWork, "/api/ready"));
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("1");
    expect(await answer.json()).toEqual({ ready: false, services: { "work-service": "unavailable" } });
  });

  it("is 200 once every service answers its health check SERVING", async () => {
    const server = new Server();
    const health = new HealthImplementation({ "": "SERVING" });
    health.addToServer(server);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    const backends = createBackends([{ protoPackage: "msp.work.v1", addresses: [`127.0.0.1:${port}`] }], 2_000);
    const ready = await startGatewayServer({ host: "127.0.0.1", port: 0, maxBodyBytes: 1024, gate, backends, logger });
    try {
      const answer = await fetch(url(ready, "/api/ready"));
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ ready: true, services: { "work-service": "serving" } });
      health.setStatus("", "NOT_SERVING");
      expect((await fetch(url(ready, "/api/ready"))).status).toBe(503);
    } finally {
      ready.server.closeAllConnections();
      await ready.close();
      backends.close();
      server.forceShutdown();
    }
  });
});
