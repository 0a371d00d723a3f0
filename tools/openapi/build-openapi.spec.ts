import type { FileRegistry } from "@bufbuild/protobuf";
import { create, createFileRegistry, getOption, hasOption, setExtension } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  MethodOptionsSchema,
  ServiceOptionsSchema,
  file_google_protobuf_duration,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_wrappers,
} from "@bufbuild/protobuf/wkt";
import { createPolicyIndex } from "@msp/auth";
import { loadDescriptorSet } from "@msp/proto";
import { file_google_api_annotations, http } from "@msp/proto/src/gen/es/google/api/annotations_pb";
import { HttpRuleSchema } from "@msp/proto/src/gen/es/google/api/http_pb";
import {
  Access,
  MethodPolicySchema,
  ServicePolicySchema,
  file_msp_policy_v1_policy,
  method_policy,
  service_policy,
} from "@msp/proto/src/gen/es/msp/policy/v1/policy_pb";
import type { OpenApiDocument, Operation, Parameter, ParameterRef, Schema } from "./build-openapi";
import { buildOpenApi } from "./build-openapi";

const registry: FileRegistry = createFileRegistry(loadDescriptorSet());
const doc = buildOpenApi(registry);

const operations: { path: string; method: string; operation: Operation }[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
);

function operation(operationId: string) {
  const found = operations.find((o) => o.operation.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId}`);
  return found;
}

/** An operation's parameters, the shared ones (components/parameters) looked up. */
function parametersOf(op: Operation | undefined, document: OpenApiDocument = doc): Parameter[] {
  return (op?.parameters ?? []).map((p: Parameter | ParameterRef) => {
    if (!("$ref" in p)) return p;
    const shared = resolve(document, p.$ref) as Parameter | undefined;
    if (!shared) throw new Error(`${op?.operationId}: unresolved ${p.$ref}`);
    return shared;
  });
}

function parameter(op: Operation, name: string): Parameter {
  const found = parametersOf(op).find((p) => p.name === name);
  if (!found) throw new Error(`${op.operationId} has no parameter ${name}`);
  return found;
}

function schema(name: string): Schema {
  const found = doc.components.schemas[name];
  if (!found) throw new Error(`no schema ${name}`);
  return found;
}

/** Every `$ref` anywhere in the document, with where it was found. */
function refs(value: unknown, at = "#"): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => refs(v, `${at}/${i}`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === "$ref" && typeof v === "string" ? [{ ref: v, at }] : refs(v, `${at}/${key}`),
  );
}

function resolve(document: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = document;
  for (const segment of ref.slice(2).split("/")) {
    const key = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

describe("buildOpenApi on the real descriptor set", () => {
  it("is an OpenAPI 3.1 document with bearer auth by default", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "MSP platform API", version: "v1" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
  });

  it("has one operation for every msp.* RPC with a google.api.http rule", () => {
    const expected: string[] = [];
    for (const type of registry) {
      if (type.kind !== "service" || !type.typeName.startsWith("msp.")) continue;
      for (const method of type.methods) {
        if (method.methodKind !== "unary" || !hasOption(method, http)) continue;
        expected.push(`${type.name}_${method.name}`);
        getOption(method, http).additionalBindings.forEach((_, i) => expected.push(`${type.name}_${method.name}_${i + 2}`));
      }
    }
    const ids = operations.map((o) => o.operation.operationId);
    expect(expected.length).toBeGreaterThanOrEqual(35);
    expect([...ids].sort()).toEqual([...expected].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(expected).toContain("ClientService_CreateClient");
    expect(expected).toContain("AuthService_CreateToken");
  });

  it("documents UpdateClient as PATCH with the id in the path, the client as body, and updateMask in the query", () => {
    const { path, method, operation: op } = operation("ClientService_UpdateClient");
    expect(method).toBe("patch");
    expect(path).toBe("/api/v1/clients/{client.id}");
    expect(parameter(op, "client.id")).toMatchObject({ in: "path", required: true, schema: { type: "string" } });
    expect(op.requestBody?.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/msp.work.v1.Client" });
    expect(parameter(op, "updateMask")).toMatchObject({ in: "query", schema: { type: "string" } });
    expect(
      parametersOf(op)
        .map((p) => p.name)
        .sort(),
    ).toEqual(["Idempotency-Key", "client.id", "updateMask"]);
    expect(op.responses["200"]).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/msp.work.v1.Client" } } },
    });
    expect(op.summary).toMatch(/^Update the fields named by update_mask/);
    expect(op.tags).toEqual(["ClientService"]);
  });

  it("puts List paging, filter and order in the query, by their JSON names", () => {
    const { path, method, operation: op } = operation("ClientService_ListClients");
    expect([method, path]).toEqual(["get", "/api/v1/clients"]);
    expect(op.requestBody).toBeUndefined();
    expect(parametersOf(op).map((p) => [p.name, p.in])).toEqual([
      ["pageSize", "query"],
      ["pageToken", "query"],
      ["filter", "query"],
      ["orderBy", "query"],
    ]);
    expect(parameter(op, "pageSize").schema).toEqual({ type: "integer", format: "int32" });
  });

  it("keeps custom verbs in the path and sends the rest of a body-* request in the body", () => {
    const { path, method, operation: op } = operation("SessionService_AddSessionTag");
    expect([method, path]).toEqual(["post", "/api/v1/sessions/{session_id}:addTag"]);
    expect(parameter(op, "session_id")).toMatchObject({ in: "path", required: true });
    const body = op.requestBody?.content["application/json"].schema;
    expect(Object.keys(body?.properties ?? {})).toEqual(["tag"]);
  });

  it("gives GET and DELETE no body and puts their non-path fields in the query", () => {
    const del = operation("ClientService_DeleteClient");
    expect([del.method, del.path]).toEqual(["delete", "/api/v1/clients/{id}"]);
    expect(del.operation.requestBody).toBeUndefined();
    expect(parametersOf(del.operation).map((p) => [p.name, p.in])).toEqual([
      ["id", "path"],
      ["etag", "query"],
      ["Idempotency-Key", "header"],
    ]);
  });

  it("gives every write, and only writes, the optional Idempotency-Key header", () => {
    const policies = createPolicyIndex(registry);
    for (const { operation: op } of operations) {
      const [service, method] = op.operationId.replace(/_\d+$/, "").split("_");
      const rpc = policies.all().find((p) => p.service.endsWith(`.${service}`) && p.method === method);
      const header = parametersOf(op).find((p) => p.name === "Idempotency-Key");
      expect([op.operationId, header !== undefined]).toEqual([op.operationId, rpc?.access === "write"]);
    }
    expect(parameter(operation("BillableTimeService_CreateBillableTime").operation, "Idempotency-Key")).toMatchObject({
      in: "header",
      required: false,
      schema: { type: "string", minLength: 1, maxLength: 255 },
    });
  });

  it("shares the Idempotency-Key header as one component, referenced by every write", () => {
    const writes = operations.filter(({ operation: op }) => op.parameters?.some((p) => "$ref" in p));
    expect(writes.length).toBeGreaterThan(100);
    for (const { operation: op } of writes) {
      expect(op.parameters?.filter((p) => "$ref" in p)).toEqual([{ $ref: "#/components/parameters/IdempotencyKey" }]);
    }
    expect(doc.components.parameters["IdempotencyKey"]).toMatchObject({ name: "Idempotency-Key", in: "header" });
    // Written once: the description is not repeated inline anywhere.
    const text = JSON.stringify(doc);
    expect(text.split("Makes a retry of this write safe").length - 1).toBe(1);
  });

  it("writes enums as strings with their value names, in components", () => {
    expect(schema("msp.work.v1.ClientType")).toMatchObject({
      type: "string",
      enum: ["CLIENT_TYPE_UNSPECIFIED", "CLIENT_TYPE_MSP_CLIENT", "CLIENT_TYPE_INTERNAL", "CLIENT_TYPE_PROJECT"],
    });
    expect(schema("msp.work.v1.Client").properties?.clientType).toMatchObject({ $ref: "#/components/schemas/msp.work.v1.ClientType" });
    for (const [name, s] of Object.entries(doc.components.schemas)) {
      if (s.enum) expect([name, s.type]).toEqual([name, "string"]);
    }
  });

  it("writes Timestamps as date-time strings, JSON names, comments and Output only as readOnly", () => {
    const client = schema("msp.work.v1.Client");
    expect(client.properties?.createdAt).toMatchObject({ type: "string", format: "date-time", readOnly: true });
    expect(client.properties?.id).toMatchObject({ type: "string", readOnly: true });
    expect(client.properties?.name).toEqual({ type: "string", description: "Unique name, 1-255 characters." });
    expect(client.properties?.defaultHourlyRate).toBeDefined();
    expect(client.properties?.default_hourly_rate).toBeUndefined();
    expect(client.description).toBe("An MSP customer, or the shop itself.");
    expect(JSON.stringify(doc).match(/"format":"date-time"/g)?.length).toBeGreaterThan(5);
  });

  it("makes logging in and refreshing public, and asks the others for the scope their policy names", () => {
    expect(operation("AuthService_CreateToken").operation.security).toEqual([]);
    expect(operation("AuthService_RefreshToken").operation.security).toEqual([]);
    const publicOps = operations.filter((o) => o.operation.security?.length === 0).map((o) => o.operation.operationId);
    expect(publicOps.sort()).toEqual(["AuthService_CreateToken", "AuthService_RefreshToken"]);
    expect(operation("ClientService_CreateClient").operation.security).toEqual([{ bearerAuth: ["work:write"] }]);
    expect(operation("ClientService_ListClients").operation.security).toEqual([{ bearerAuth: ["work:read"] }]);
    expect(operation("MemoryService_Recall").operation.security).toEqual([{ bearerAuth: ["context:read"] }]);
    expect(operation("UserService_CreateUser").operation.security).toEqual([{ bearerAuth: ["identity:write"] }]);
    expect(operation("AuthService_RevokeToken").operation.security).toEqual([{ bearerAuth: [] }]);
  });

  it("gives every operation the security its declared policy asks", () => {
    const policies = createPolicyIndex(registry);
    for (const type of registry) {
      if (type.kind !== "service" || !type.typeName.startsWith("msp.")) continue;
      for (const method of type.methods) {
        const policy = policies.policyOf(`${type.typeName}/${method.name}`);
        const want = policy.access === "public" ? [] : [{ bearerAuth: policy.scope === undefined ? [] : [policy.scope] }];
        const op = operation(`${type.name}_${method.name}`).operation;
        expect([op.operationId, op.security]).toEqual([op.operationId, want]);
      }
    }
  });

  it("says in each description which scope an API key needs and which roles may call it", () => {
    const description = (id: string) => operation(id).operation.description ?? "";
    expect(description("ClientService_CreateClient")).toMatch(/\n\nNeeds `work:write` with an API key; readonly users cannot call it\.$/);
    expect(description("ClientService_GetClient")).toMatch(/Needs `work:read` or `work:write` with an API key; every role may call it\.$/);
    expect(description("UserService_ListUsers")).toMatch(/Needs `identity:read` or `identity:write` with an API key; admins only\.$/);
    expect(description("AuthService_CreateToken")).toMatch(/Anyone may call it: no token needed\.$/);
    expect(description("AuthService_CheckRevocation")).toMatch(
      /About the caller's own token: any signed-in caller may call it, whatever their role or scopes\.$/,
    );
  });

  it("answers every operation with 200 and the shared error responses", () => {
    for (const { operation: op } of operations) {
      expect(Object.keys(op.responses)).toEqual(["200", "400", "401", "403", "404", "409", "412", "429", "500", "503"]);
      expect(op.responses["401"]).toEqual({ $ref: "#/components/responses/Unauthorized" });
      expect(op.summary.length).toBeGreaterThan(0);
    }
    expect(schema("Error").properties).toHaveProperty("code");
    expect(schema("Error").properties).toHaveProperty("details");
  });

  it("resolves every $ref, and every component schema is used", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(100);
    for (const { ref, at } of all) expect([at, ref, resolve(doc, ref) !== undefined]).toEqual([at, ref, true]);
    const used = new Set(all.map((r) => r.ref));
    for (const name of Object.keys(doc.components.schemas)) expect(used).toContain(`#/components/schemas/${name}`);
  });

  it("lists the everyday services first and identity last, and groups the tags by package", () => {
    const names = doc.tags.map((t) => t.name);
    expect(names.slice(0, 5)).toEqual(["ClientService", "ProjectService", "SessionService", "WorkItemService", "BillableTimeService"]);
    expect(names.slice(-3).sort()).toEqual(["ApiKeyService", "AuthService", "UserService"]);
    const groups = doc["x-tagGroups"];
    expect(groups.map((g) => g.name)).toEqual(["Work", "Recall", "Infrastructure", "Vault", "Audit", "Identity"]);
    // Every tag is in exactly one group, and the groups list them in the document's order.
    expect(groups.flatMap((g) => g.tags)).toEqual(names);
  });

  it("lists as required what every answer carries, and nothing in what clients send", () => {
    // Answers only: implicit-presence fields are always written (the gateway emits zero values).
    expect(schema("msp.work.v1.ListClientsResponse").required).toEqual(["clients", "nextPageToken"]);
    // A resource clients send (create, update) gets no required list: which fields a call needs depends on the call.
    expect(schema("msp.work.v1.Client").required).toBeUndefined();
    expect(schema("Error").required).toEqual(["code", "message", "details"]);
    for (const [name, s] of Object.entries(doc.components.schemas)) {
      for (const field of s.required ?? []) expect([name, field, s.properties?.[field] !== undefined]).toEqual([name, field, true]);
    }
  });

  it("tags each operation with its service, described by the service comment", () => {
    const tags = new Map(doc.tags.map((t) => [t.name, t.description]));
    expect(tags.get("ClientService")).toBe("Clients: the MSP's customers, and the shop itself.");
    for (const { operation: op } of operations) expect(tags.has(op.tags[0] ?? "")).toBe(true);
  });

  it("is deterministic", () => {
    const again = buildOpenApi(createFileRegistry(loadDescriptorSet()));
    expect(again).toEqual(doc);
    expect(JSON.stringify(again, null, 2)).toBe(JSON.stringify(doc, null, 2));
    expect(Object.keys(doc.components.schemas).filter((n) => n.includes("."))).toEqual(
      Object.keys(doc.components.schemas)
        .filter((n) => n.includes("."))
        .sort(),
    );
  });
});

/**
 * A proto made in the test for what the platform's protos do not use yet: recursion, maps,
 * 64-bit integers, wrappers, Struct, oneofs, nested query parameters, additional bindings; its
 * methods are reads of the "test" scope family (HEAD children needs `test:peek`), or declare no
 * policy at all.
 */
function syntheticRegistry(declarePolicies = true): FileRegistry {
  const { STRING, INT64, UINT32, BYTES, DOUBLE, MESSAGE, ENUM, BOOL } = FieldDescriptorProto_Type;
  const { OPTIONAL, REPEATED } = FieldDescriptorProto_Label;
  const field = (name: string, number: number, type: FieldDescriptorProto_Type, more: Record<string, unknown> = {}) => ({
    name,
    number,
    type,
    label: OPTIONAL,
    jsonName: name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
    ...more,
  });
  const rule = (value: Record<string, unknown>, scope = "") => {
    const options = create(MethodOptionsSchema);
    setExtension(options, http, create(HttpRuleSchema, value));
    if (declarePolicies) setExtension(options, method_policy, create(MethodPolicySchema, { access: Access.READ, scope }));
    return options;
  };
  const serviceOptions = create(ServiceOptionsSchema);
  setExtension(serviceOptions, service_policy, create(ServicePolicySchema, { scopeFamily: "test" }));
  const proto = create(FileDescriptorProtoSchema, {
    name: "msp/test/v1/node.proto",
    package: "msp.test.v1",
    syntax: "proto3",
    dependency: [
      "google/api/annotations.proto",
      "google/protobuf/duration.proto",
      "google/protobuf/struct.proto",
      "google/protobuf/timestamp.proto",
      "google/protobuf/wrappers.proto",
      "msp/policy/v1/policy.proto",
    ],
    enumType: [
      {
        name: "Kind",
        value: [
          { name: "KIND_UNSPECIFIED", number: 0 },
          { name: "KIND_A", number: 1 },
        ],
      },
    ],
    messageType: [
      {
        name: "Node",
        field: [
          field("id", 1, STRING),
          field("size", 2, INT64),
          field("count", 3, UINT32),
          field("blob", 4, BYTES),
          field("score", 5, DOUBLE),
          field("counters", 6, MESSAGE, { label: REPEATED, typeName: ".msp.test.v1.Node.CountersEntry" }),
          field("children", 7, MESSAGE, { label: REPEATED, typeName: ".msp.test.v1.Node" }),
          field("nickname", 8, MESSAGE, { typeName: ".google.protobuf.StringValue" }),
          field("meta", 9, MESSAGE, { typeName: ".google.protobuf.Struct" }),
          field("ttl", 10, MESSAGE, { typeName: ".google.protobuf.Duration" }),
          field("a", 11, STRING, { oneofIndex: 0 }),
          field("b", 12, STRING, { oneofIndex: 0 }),
          field("note", 13, STRING, { oneofIndex: 1, proto3Optional: true }),
          field("kinds", 14, ENUM, { label: REPEATED, typeName: ".msp.test.v1.Kind" }),
        ],
        oneofDecl: [{ name: "choice" }, { name: "_note" }],
        nestedType: [
          {
            name: "CountersEntry",
            field: [field("key", 1, STRING), field("value", 2, INT64)],
            options: { mapEntry: true },
          },
        ],
      },
      {
        name: "Page",
        field: [field("limit", 1, INT64), field("deep", 2, BOOL), field("next", 3, MESSAGE, { typeName: ".msp.test.v1.Page" })],
      },
      {
        name: "GetNodeRequest",
        field: [
          field("id", 1, STRING),
          field("page", 2, MESSAGE, { typeName: ".msp.test.v1.Page" }),
          field("tags", 3, STRING, { label: REPEATED }),
          field("since", 4, MESSAGE, { typeName: ".google.protobuf.Timestamp" }),
          field("meta", 5, MESSAGE, { typeName: ".google.protobuf.Struct" }),
          field("kind", 6, ENUM, { typeName: ".msp.test.v1.Kind" }),
          field("min_score", 7, MESSAGE, { typeName: ".google.protobuf.DoubleValue" }),
        ],
      },
    ],
    service: [
      {
        name: "NodeService",
        options: serviceOptions,
        method: [
          {
            name: "GetNode",
            inputType: ".msp.test.v1.GetNodeRequest",
            outputType: ".msp.test.v1.Node",
            options: rule({
              pattern: { case: "get", value: "/v1/nodes/{id}" },
              additionalBindings: [{ pattern: { case: "get", value: "/v1/{id=nodes/*}/self" } }],
            }),
          },
          {
            name: "GetNodeChildren",
            inputType: ".msp.test.v1.GetNodeRequest",
            outputType: ".msp.test.v1.Node",
            options: rule(
              {
                pattern: { case: "custom", value: { kind: "HEAD", path: "/v1/nodes/{id}/children" } },
                responseBody: "children",
              },
              "test:peek",
            ),
          },
          // Streaming: the gateway cannot transcode it, so it is not documented.
          {
            name: "WatchNode",
            inputType: ".msp.test.v1.GetNodeRequest",
            outputType: ".msp.test.v1.Node",
            serverStreaming: true,
            options: rule({ pattern: { case: "get", value: "/v1/nodes/{id}:watch" } }),
          },
        ],
      },
    ],
  });
  const deps = [
    file_google_api_annotations,
    file_google_protobuf_duration,
    file_google_protobuf_struct,
    file_google_protobuf_timestamp,
    file_google_protobuf_wrappers,
    file_msp_policy_v1_policy,
  ];
  return createFileRegistry(proto, (name) => deps.find((d) => d.proto.name === name));
}

describe("buildOpenApi on a synthetic proto", () => {
  const synthetic = buildOpenApi(syntheticRegistry());
  const node = synthetic.components.schemas["msp.test.v1.Node"];
  const getNode = synthetic.paths["/v1/nodes/{id}"]?.get;

  it("maps scalars, maps, wrappers and well-known types to canonical JSON", () => {
    expect(node?.properties).toMatchObject({
      size: { type: "string", format: "int64" },
      count: { type: "integer", minimum: 0, maximum: 4294967295 },
      blob: { type: "string", format: "byte" },
      score: { type: "number", format: "double" },
      counters: { type: "object", additionalProperties: { type: "string", format: "int64" } },
      nickname: { type: ["string", "null"] },
      meta: { type: "object", additionalProperties: true },
      ttl: { type: "string" },
      note: { type: "string" },
      kinds: { type: "array", items: { $ref: "#/components/schemas/msp.test.v1.Kind" } },
    });
    expect(node?.description).toContain("At most one of `a`, `b` is set.");
    expect(node?.description).not.toContain("`note`");
    expect(synthetic.components.schemas["msp.test.v1.Node.CountersEntry"]).toBeUndefined();
  });

  it("requires, in an answer, the fields written even at their zero value: not oneofs, optionals or messages", () => {
    expect(node?.required).toEqual(["id", "size", "count", "blob", "score", "counters", "children", "kinds"]);
  });

  it("handles recursive messages with a $ref to themselves", () => {
    expect(node?.properties?.children).toEqual({ type: "array", items: { $ref: "#/components/schemas/msp.test.v1.Node" } });
  });

  it("flattens nested request messages into dotted query parameters and skips what a query cannot carry", () => {
    expect(parametersOf(getNode, synthetic).map((p) => [p.name, p.in, p.schema])).toEqual([
      ["id", "path", { type: "string" }],
      ["page.limit", "query", { type: "string", format: "int64" }],
      ["page.deep", "query", { type: "boolean" }],
      ["tags", "query", { type: "array", items: { type: "string" } }],
      ["since", "query", { type: "string", format: "date-time" }],
      ["kind", "query", { $ref: "#/components/schemas/msp.test.v1.Kind" }],
      ["minScore", "query", { type: "number", format: "double" }],
    ]);
    expect(parametersOf(getNode, synthetic).find((p) => p.name === "tags")).toMatchObject({ style: "form", explode: true });
  });

  it("documents additional bindings and custom methods, and skips streaming RPCs", () => {
    const ids = Object.values(synthetic.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids.sort()).toEqual(["NodeService_GetNode", "NodeService_GetNodeChildren", "NodeService_GetNode_2"]);
    const [selfId] = parametersOf(synthetic.paths["/v1/{id}/self"]?.get, synthetic);
    expect(selfId).toMatchObject({ name: "id", in: "path" });
    expect(selfId?.description).toContain("`nodes/*`");
    const head = synthetic.paths["/v1/nodes/{id}/children"]?.head;
    expect(head?.responses["200"]).toMatchObject({
      content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/msp.test.v1.Node" } } } },
    });
  });

  it("asks for the family's scope, or the explicit one a method declares", () => {
    expect(getNode?.security).toEqual([{ bearerAuth: ["test:read"] }]);
    const head = synthetic.paths["/v1/nodes/{id}/children"]?.head;
    expect(head?.security).toEqual([{ bearerAuth: ["test:peek"] }]);
    expect(head?.description).toBe("Needs `test:peek` with an API key; every role may call it.");
  });

  it("refuses an RPC that declares no policy", () => {
    expect(() => buildOpenApi(syntheticRegistry(false))).toThrow("msp.test.v1.NodeService/GetNode declares no access policy");
  });

  it("resolves every $ref", () => {
    for (const { ref } of refs(synthetic)) expect([ref, resolve(synthetic, ref) !== undefined]).toEqual([ref, true]);
  });
});
