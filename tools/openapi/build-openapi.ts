// Builds the platform's OpenAPI 3.1 document from the compiled descriptors: one operation per
// google.api.http binding, every schema in proto3 canonical JSON (what the gateway speaks), so
// adding an RPC to a proto adds its documentation with no change here.
import type { DescEnum, DescEnumValue, DescField, DescFile, DescMessage, DescMethod, DescService, FileRegistry } from "@bufbuild/protobuf";
import { ScalarType, getOption, hasOption } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";
import type { MethodPolicy, PolicyIndex } from "@msp/auth";
import { createPolicyIndex } from "@msp/auth";
import { http } from "@msp/proto/src/gen/es/google/api/annotations_pb";
import { file_download } from "@msp/proto/src/gen/es/msp/http/v1/download_pb";
import type { HttpRule } from "@msp/proto/src/gen/es/google/api/http_pb";

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it), limited to the keywords this generator writes. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  readOnly?: boolean;
  deprecated?: boolean;
}

// The OpenAPI 3.1 objects this generator writes, typed so the spec (and the gateway) can read them.
export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  description?: string;
  required?: boolean;
  deprecated?: boolean;
  style?: "form" | "simple";
  explode?: boolean;
  schema: Schema;
}

/** A parameter shared through `components/parameters`. */
export interface ParameterRef {
  $ref: string;
}

export interface MediaContent {
  "application/json": { schema: Schema };
  /** A method's file form (msp.http.v1.file_download), such as text/csv, beside its JSON. */
  [mediaType: string]: { schema: Schema };
}

export interface RequestBody {
  description?: string;
  required?: boolean;
  content: MediaContent;
}

export interface Response {
  description: string;
  content?: MediaContent;
}

export type ResponseOrRef = Response | { $ref: string };

export type SecurityRequirement = Record<string, string[]>;

export interface Operation {
  tags: string[];
  summary: string;
  description?: string;
  operationId: string;
  deprecated?: boolean;
  security?: SecurityRequirement[];
  parameters?: (Parameter | ParameterRef)[];
  requestBody?: RequestBody;
  responses: Record<string, ResponseOrRef>;
}

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch";
export type PathItem = Partial<Record<HttpMethod, Operation>>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: {
    title: string;
    version: string;
    description: string;
    license: { name: string; identifier: string };
  };
  servers: { url: string; description: string }[];
  security: SecurityRequirement[];
  tags: { name: string; description?: string }[];
  /** Redoc's grouping of the tags (Swagger UI ignores it and follows the order of `tags`). */
  "x-tagGroups": { name: string; tags: string[] }[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, Schema>;
    parameters: Record<string, Parameter>;
    responses: Record<string, Response>;
    securitySchemes: Record<string, { type: "http"; scheme: "bearer"; bearerFormat: string; description: string }>;
  };
}

/** Only the platform's own services become REST operations (not grpc.health, reflection, google.*). */
const servicePackagePrefix = "msp.";

/** Error answers every operation can give, as the gateway maps gRPC status to HTTP. */
const errorResponses: readonly { status: string; name: string; description: string }[] = [
  { status: "400", name: "BadRequest", description: "Invalid argument (the field and the rule it broke), or a failed precondition." },
  { status: "401", name: "Unauthorized", description: "Missing, invalid, expired or revoked token." },
  { status: "403", name: "Forbidden", description: "The caller's role or scopes do not allow this." },
  { status: "404", name: "NotFound", description: "No such resource." },
  { status: "409", name: "Conflict", description: "Already exists (a unique value clashes), or aborted (such as a stale etag)." },
  { status: "412", name: "PreconditionFailed", description: "A precondition on the resource's current state failed." },
  { status: "429", name: "TooManyRequests", description: "Resource exhausted: slow down." },
  { status: "500", name: "InternalError", description: "Unexpected error; the message is generic by design." },
  { status: "503", name: "Unavailable", description: "A backing service is unavailable; retry later." },
];

/**
 * How the operations are grouped, in the order people reach for them: the daily work first,
 * identity (users, keys, logging in) last. A package not listed here goes just before identity.
 */
const tagGroups: readonly { name: string; packagePrefix: string }[] = [
  { name: "Work", packagePrefix: "msp.work." },
  { name: "Recall", packagePrefix: "msp.recall." },
  { name: "Infrastructure", packagePrefix: "msp.infra." },
  { name: "Vault", packagePrefix: "msp.vault." },
  { name: "Audit", packagePrefix: "msp.audit." },
  { name: "Identity", packagePrefix: "msp.identity." },
];

/** The everyday resources, first in their group, in this order; the group's other services follow. */
const everydayServices: readonly string[] = [
  "msp.work.v1.ClientService",
  "msp.work.v1.ProjectService",
  "msp.work.v1.SessionService",
  "msp.work.v1.WorkItemService",
  "msp.work.v1.BillableTimeService",
];

const idempotencyKeyRef: ParameterRef = { $ref: "#/components/parameters/IdempotencyKey" };

const methodOrder: readonly HttpMethod[] = ["get", "put", "post", "delete", "options", "head", "patch"];
const outputOnly = /^Output only\.?/;

/** The OpenAPI document for every google.api.http binding of the msp.* services in `registry`. */
export function buildOpenApi(registry: FileRegistry): OpenApiDocument {
  const schemas = new SchemaCollector();
  const tags: OpenApiDocument["tags"] = [];
  const groups = new Map<string, string[]>();
  const paths: Record<string, PathItem> = {};
  // Who may call each RPC, as its proto declares it: the same index the services and the gateway read.
  const policies: PolicyIndex = createPolicyIndex(registry);

  for (const service of platformServices(registry)) {
    tags.push({ name: service.name, ...optionalDescription(commentOf(service)) });
    const group = groupOf(service);
    groups.set(group, [...(groups.get(group) ?? []), service.name]);
    for (const method of service.methods) {
      // The gateway transcodes unary calls only; a streaming RPC has no REST form to document.
      if (method.methodKind !== "unary" || !hasOption(method, http)) continue;
      for (const [index, binding] of bindingsOf(getOption(method, http)).entries()) {
        const operationId = `${service.name}_${method.name}${index === 0 ? "" : `_${index + 1}`}`;
        const policy = policies.policyOf(`${service.typeName}/${method.name}`);
        const { path, operation } = buildOperation(method, policy, binding, operationId, schemas);
        const item = (paths[path] ??= {});
        if (item[binding.method] !== undefined) {
          throw new Error(`${method.parent.typeName}.${method.name}: ${binding.method.toUpperCase()} ${path} is bound twice`);
        }
        item[binding.method] = operation;
      }
    }
  }
  for (const [path, item] of Object.entries(paths)) paths[path] = sortMethods(item);

  return {
    openapi: "3.1.0",
    info: {
      title: "MSP platform API",
      version: "v1",
      description: [
        "REST/JSON interface of the MSP platform, generated from the protobuf definitions (the gateway transcodes each call to gRPC).",
        "",
        "- Bodies and answers are proto3 canonical JSON: lowerCamel field names, 64-bit integers as strings, enums by value name, timestamps as RFC 3339.",
        "- Requests (bodies and query parameters) may also give an enum value by its short name in any case (`internal` for `CLIENT_TYPE_INTERNAL`) and a timestamp as a date alone (`2026-12-01`, midnight UTC).",
        "- Authenticate with `Authorization: Bearer <token>`: an access token from `POST /api/v1/auth/token`, or an API key.",
        "- Each operation names the scope an API key with scopes needs (in its `security` and description) and the roles that may call it.",
        "- Lists take `pageSize` (default 50, maximum 500), `pageToken`, `filter` and `orderBy` as query parameters.",
        "- Updates take an `updateMask` query parameter: comma-separated lowerCamel field paths.",
        "- Writes take an `Idempotency-Key` header (1 to 255 printable ASCII characters, such as a UUID): a retry with the same key and body gets the first answer and changes nothing; the key is kept 24 hours per caller.",
        "- Errors share one JSON body (`Error`) with a canonical `code`.",
      ].join("\n"),
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/", description: "The gateway that serves this document" }],
    security: [{ bearerAuth: [] }],
    tags,
    "x-tagGroups": [...groups.entries()].map(([name, names]) => ({ name, tags: names })),
    paths,
    components: {
      schemas: { ...schemas.sorted(), ...errorSchemas() },
      parameters: { IdempotencyKey: idempotencyKeyParameter },
      responses: Object.fromEntries(
        errorResponses.map((r) => [r.name, { description: r.description, content: json({ $ref: "#/components/schemas/Error" }) }]),
      ),
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "An access token from POST /api/v1/auth/token, or an API key.",
        },
      },
    },
  };
}

/**
 * msp.* services by group (tagGroups), the everyday ones first in theirs, the others in file-name
 * then declaration order, so the output never depends on load order.
 */
function platformServices(registry: FileRegistry): DescService[] {
  const files: DescFile[] = [...registry.files].sort((a, b) => compare(a.name, b.name));
  const services = files.flatMap((file) => file.services.filter((s) => s.typeName.startsWith(servicePackagePrefix)));
  const groupRank = (s: DescService): number => {
    const index = tagGroups.findIndex((g) => s.typeName.startsWith(g.packagePrefix));
    // Unlisted packages sort between the listed ones and the last group (identity).
    return index === -1 ? tagGroups.length - 1.5 : index;
  };
  const everydayRank = (s: DescService): number => {
    const index = everydayServices.indexOf(s.typeName);
    return index === -1 ? everydayServices.length : index;
  };
  // Array.prototype.sort is stable: services of equal rank keep their file order.
  return services.sort((a, b) => groupRank(a) - groupRank(b) || everydayRank(a) - everydayRank(b));
}

/** The group a service's operations are shown under: its package's, or the package itself. */
function groupOf(service: DescService): string {
  return tagGroups.find((g) => service.typeName.startsWith(g.packagePrefix))?.name ?? service.file.proto.package;
}

interface Binding {
  method: HttpMethod;
  template: string;
  body: string;
  responseBody: string;
}

/** The rule itself, then its additional_bindings (which cannot nest further). */
function bindingsOf(rule: HttpRule): Binding[] {
  const bindings: Binding[] = [];
  for (const r of [rule, ...rule.additionalBindings]) {
    const { pattern } = r;
    let binding: Pick<Binding, "method" | "template"> | undefined;
    switch (pattern.case) {
      case "get":
      case "put":
      case "post":
      case "delete":
      case "patch":
        binding = { method: pattern.case, template: pattern.value };
        break;
      case "custom": {
        const method = pattern.value.kind.toLowerCase();
        if (isHttpMethod(method)) binding = { method, template: pattern.value.path };
        break;
      }
      case undefined:
        break;
    }
    if (binding) bindings.push({ ...binding, body: r.body, responseBody: r.responseBody });
  }
  return bindings;
}

function isHttpMethod(name: string): name is HttpMethod {
  return (methodOrder as readonly string[]).includes(name);
}

function buildOperation(
  method: DescMethod,
  policy: MethodPolicy,
  binding: Binding,
  operationId: string,
  schemas: SchemaCollector,
): { path: string; operation: Operation } {
  const where = `${method.parent.typeName}.${method.name}`;
  const { path, variables } = parseTemplate(binding.template);
  const bound = new Set(variables.map((v) => v.fieldPath));

  const parameters: Parameter[] = variables.map((v) => {
    const field = resolveFieldPath(method.input, v.fieldPath, where);
    const schema = fieldSchema(field, schemas);
    // "Output only." describes the resource's field; in the URL the caller names the resource with it.
    const comment = fieldDescription(field)?.replace(outputOnly, "").trim();
    const description = [comment || undefined, v.pattern ? `Matches the pattern \`${v.pattern}\`.` : undefined]
      .filter((s) => s !== undefined)
      .join(" ");
    return { name: v.name, in: "path" as const, ...optionalDescription(description), required: true, schema: stripDocs(schema) };
  });

  let requestBody: RequestBody | undefined;
  if (binding.body === "*") {
    requestBody = { content: json(bodyWithout(method.input, bound, schemas)) };
    schemas.sentInRequests(...method.input.fields.filter((f) => !bound.has(f.name)).flatMap(messagesOf));
  } else if (binding.body !== "") {
    const field = method.input.fields.find((f) => f.name === binding.body);
    if (!field) throw new Error(`${where}: body "${binding.body}" is not a field of ${method.input.typeName}`);
    schemas.sentInRequests(...messagesOf(field));
    requestBody = {
      ...optionalDescription(fieldDescription(field)),
      required: true,
      content: json(stripDocs(fieldSchema(field, schemas))),
    };
  }
  if (binding.body !== "*") {
    const excluded = binding.body === "" ? undefined : binding.body;
    parameters.push(...queryParameters(method.input, bound, excluded, schemas));
  }
  // Writes are applied once per key (grpc-kit idempotency.ts); reads and public methods take none.
  const operationParameters: (Parameter | ParameterRef)[] = [...parameters];
  if (policy.access === "write") operationParameters.push(idempotencyKeyRef);

  const comment = commentOf(method);
  const operation: Operation = {
    tags: [method.parent.name],
    summary: summaryOf(comment) ?? method.name,
    description: [comment, whoMayCall(policy)].filter((s) => s !== undefined).join("\n\n"),
    operationId,
    ...(method.deprecated ? { deprecated: true } : {}),
    security: securityOf(policy),
    ...(operationParameters.length > 0 ? { parameters: operationParameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: {
      "200": okResponse(method, binding.responseBody, schemas, where),
      ...Object.fromEntries(errorResponses.map((r) => [r.status, { $ref: `#/components/responses/${r.name}` }])),
    },
  };
  return { path, operation };
}

/** The header every write takes, as the gateway forwards it to the services (components/parameters/IdempotencyKey). */
const idempotencyKeyParameter: Parameter = {
  name: "Idempotency-Key",
  in: "header",
  description:
    "Makes a retry of this write safe: the first request with a key is applied once, and a retry with the same key and the same request gets its answer again (changing nothing) for 24 hours; the same key with another request is refused (400). Keys are the caller's own: 1 to 255 printable ASCII characters, such as a UUID.",
  required: false,
  schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[ -~]+$" },
};

/**
 * No requirement for a public method; else bearerAuth with the scope an API key needs (OpenAPI
 * 3.1 lets an http scheme list role or scope names), or none when the method is about the
 * caller's own token.
 */
function securityOf(policy: MethodPolicy): SecurityRequirement[] {
  if (policy.access === "public") return [];
  return [{ bearerAuth: policy.scope === undefined ? [] : [policy.scope] }];
}

/** One sentence for the operation's description: the scope an API key needs and the roles allowed. */
function whoMayCall(policy: MethodPolicy): string {
  if (policy.access === "public") return "Anyone may call it: no token needed.";
  if (policy.ownToken) {
    const who = policy.adminOnly ? "admins only, whatever their scopes" : "any signed-in caller may call it, whatever their role or scopes";
    return `About the caller's own token: ${who}.`;
  }
  const [scope, ...alternatives] = policy.grantingScopes;
  const key =
    scope === undefined
      ? "An API key with scopes cannot call it"
      : `Needs ${[scope, ...alternatives].map((s) => `\`${s}\``).join(" or ")} with an API key`;
  const roles = policy.adminOnly ? "admins only" : policy.access === "read" ? "every role may call it" : "readonly users cannot call it";
  return `${key}; ${roles}.`;
}

interface TemplateVariable {
  /** As written in the template (the OpenAPI parameter name), such as `client.id`. */
  name: string;
  fieldPath: string;
  /** The segment pattern of `{name=pattern}`, when there is one. */
  pattern: string | undefined;
}

/** `/v1/{name=projects/*}:verb` -> `/v1/{name}:verb`: OpenAPI keeps only the variable's name. */
function parseTemplate(template: string): { path: string; variables: TemplateVariable[] } {
  const variables: TemplateVariable[] = [];
  const path = template.replace(/\{([^}=]+)(?:=([^}]*))?\}/g, (_match, name: string, pattern: string | undefined) => {
    const trimmed = name.trim();
    variables.push({ name: trimmed, fieldPath: trimmed, pattern: pattern === undefined || pattern === "*" ? undefined : pattern });
    return `{${trimmed}}`;
  });
  return { path, variables };
}

function resolveFieldPath(message: DescMessage, fieldPath: string, where: string): DescField {
  let current: DescMessage | undefined = message;
  let field: DescField | undefined;
  for (const name of fieldPath.split(".")) {
    field = current?.fields.find((f) => f.name === name);
    if (!field) throw new Error(`${where}: path variable {${fieldPath}} names no field of ${message.typeName}`);
    current = field.fieldKind === "message" ? field.message : undefined;
  }
  if (!field) throw new Error(`${where}: empty path variable`);
  return field;
}

/** body "*": the request minus its path-bound fields (a $ref when nothing is bound at the top level). */
function bodyWithout(message: DescMessage, bound: ReadonlySet<string>, schemas: SchemaCollector): Schema {
  const remaining = message.fields.filter((f) => !bound.has(f.name));
  if (remaining.length === message.fields.length) return schemas.ref(message);
  return {
    type: "object",
    ...optionalDescription(commentOf(message)),
    properties: Object.fromEntries(remaining.map((f) => [f.jsonName, fieldSchema(f, schemas)])),
  };
}

/**
 * The fields that are neither path-bound nor in the body, as query parameters named by their JSON
 * names (nested message fields joined with dots). Maps, repeated messages and JSON-shaped types
 * (Struct, Value, Any...) cannot travel in a query string and are left out.
 */
function queryParameters(
  message: DescMessage,
  bound: ReadonlySet<string>,
  bodyField: string | undefined,
  schemas: SchemaCollector,
): Parameter[] {
  const parameters: Parameter[] = [];
  const walk = (msg: DescMessage, protoPrefix: string, jsonPrefix: string, seen: readonly string[]): void => {
    for (const field of msg.fields) {
      const protoPath = protoPrefix + field.name;
      if (protoPath === bodyField || bound.has(protoPath)) continue;
      const name = jsonPrefix + field.jsonName;
      const param = (schema: Schema, array = false): Parameter => ({
        name,
        in: "query",
        ...optionalDescription(fieldDescription(field)),
        ...(field.deprecated ? { deprecated: true } : {}),
        ...(array ? { style: "form", explode: true } : {}),
        schema,
      });
      switch (field.fieldKind) {
        case "scalar":
          parameters.push(param(scalarSchema(field.scalar)));
          break;
        case "enum":
          parameters.push(param(schemas.ref(field.enum)));
          break;
        case "list":
          if (field.listKind === "scalar") parameters.push(param({ type: "array", items: scalarSchema(field.scalar) }, true));
          else if (field.listKind === "enum") parameters.push(param({ type: "array", items: schemas.ref(field.enum) }, true));
          break;
        case "message": {
          const wkt = queryWellKnown(field.message);
          if (wkt) parameters.push(param(wkt));
          else if (!field.message.typeName.startsWith("google.protobuf.") && !seen.includes(field.message.typeName)) {
            walk(field.message, `${protoPath}.`, `${name}.`, [...seen, field.message.typeName]);
          }
          break;
        }
        case "map":
          break;
      }
    }
  };
  walk(message, "", "", [message.typeName]);
  return parameters;
}

/** Well-known types that are one string (or number, bool) in JSON, and so fit a query parameter. */
function queryWellKnown(message: DescMessage): Schema | undefined {
  const schema = wellKnownSchema(message.typeName);
  if (!schema) return undefined;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "string" || type === "number" || type === "integer" || type === "boolean") {
    return { ...schema, type };
  }
  return undefined;
}

function okResponse(method: DescMethod, responseBody: string, schemas: SchemaCollector, where: string): Response {
  let schema = messageSchemaOrRef(method.output, schemas);
  if (responseBody !== "") {
    const field = method.output.fields.find((f) => f.name === responseBody);
    if (!field) throw new Error(`${where}: response_body "${responseBody}" is not a field of ${method.output.typeName}`);
    schema = stripDocs(fieldSchema(field, schemas));
  }
  const content: MediaContent = json(schema);
  // The file form: the same answer as the file itself, for a caller whose Accept names its media type.
  if (hasOption(method, file_download)) {
    const download = getOption(method, file_download);
    const suffix = download.pathSuffix === "" ? "" : ` (or the path ending in \`${download.pathSuffix}\`)`;
    content[download.mediaType] = {
      schema: {
        type: "string",
        description: `The file itself, for \`Accept: ${download.mediaType}\`${suffix}; named in Content-Disposition.`,
      },
    };
  }
  return { description: summaryOf(commentOf(method.output)) ?? "OK", content };
}

/** Well-known types are inlined (they are JSON primitives); every other message is a component. */
function messageSchemaOrRef(message: DescMessage, schemas: SchemaCollector): Schema {
  return wellKnownSchema(message.typeName) ?? schemas.ref(message);
}

/** A field's schema in canonical JSON, with its comment as description. */
function fieldSchema(field: DescField, schemas: SchemaCollector): Schema {
  let schema: Schema;
  switch (field.fieldKind) {
    case "scalar":
      schema = scalarSchema(field.scalar);
      break;
    case "enum":
      schema = enumFieldSchema(field.enum, schemas);
      break;
    case "message":
      schema = messageSchemaOrRef(field.message, schemas);
      break;
    case "list":
      schema = {
        type: "array",
        items:
          field.listKind === "scalar"
            ? scalarSchema(field.scalar)
            : field.listKind === "enum"
              ? enumFieldSchema(field.enum, schemas)
              : messageSchemaOrRef(field.message, schemas),
      };
      break;
    case "map":
      schema = {
        type: "object",
        additionalProperties:
          field.mapKind === "scalar"
            ? scalarSchema(field.scalar)
            : field.mapKind === "enum"
              ? enumFieldSchema(field.enum, schemas)
              : messageSchemaOrRef(field.message, schemas),
      };
      break;
  }
  const description = fieldDescription(field);
  return {
    ...schema,
    ...optionalDescription(description),
    ...(description && outputOnly.test(description) ? { readOnly: true } : {}),
    ...(field.deprecated ? { deprecated: true } : {}),
  };
}

function enumFieldSchema(desc: DescEnum, schemas: SchemaCollector): Schema {
  // google.protobuf.NullValue is JSON null, not a string.
  return desc.typeName === "google.protobuf.NullValue" ? { type: "null" } : schemas.ref(desc);
}

function scalarSchema(scalar: ScalarType): Schema {
  switch (scalar) {
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { type: "integer", format: "int32" };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      // Beyond int32's range: say so with bounds rather than an unregistered "uint32" format.
      return { type: "integer", format: "int64", minimum: 0, maximum: 4294967295 };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      // Canonical JSON writes 64-bit integers as strings (JavaScript numbers lose precision).
      return { type: "string", format: "int64" };
    case ScalarType.DOUBLE:
      return { type: "number", format: "double" };
    case ScalarType.FLOAT:
      return { type: "number", format: "float" };
    case ScalarType.BYTES:
      return { type: "string", format: "byte" };
  }
}

/** The canonical JSON mapping of google.protobuf types; undefined for an ordinary message. */
function wellKnownSchema(typeName: string): Schema | undefined {
  const nullable = (schema: Schema): Schema => ({ ...schema, type: [schema.type as string, "null"] });
  switch (typeName) {
    case "google.protobuf.Timestamp":
      return { type: "string", format: "date-time" };
    case "google.protobuf.Duration":
      return { type: "string", pattern: "^-?[0-9]+(\\.[0-9]{1,9})?s$" };
    case "google.protobuf.FieldMask":
      return { type: "string" };
    case "google.protobuf.Struct":
      return { type: "object", additionalProperties: true };
    case "google.protobuf.Value":
      return {};
    case "google.protobuf.ListValue":
      return { type: "array", items: {} };
    case "google.protobuf.Empty":
      return { type: "object" };
    case "google.protobuf.Any":
      return { type: "object", properties: { "@type": { type: "string" } }, additionalProperties: true };
    case "google.protobuf.DoubleValue":
      return nullable(scalarSchema(ScalarType.DOUBLE));
    case "google.protobuf.FloatValue":
      return nullable(scalarSchema(ScalarType.FLOAT));
    case "google.protobuf.Int64Value":
      return nullable(scalarSchema(ScalarType.INT64));
    case "google.protobuf.UInt64Value":
      return nullable(scalarSchema(ScalarType.UINT64));
    case "google.protobuf.Int32Value":
      return nullable(scalarSchema(ScalarType.INT32));
    case "google.protobuf.UInt32Value":
      return nullable(scalarSchema(ScalarType.UINT32));
    case "google.protobuf.BoolValue":
      return nullable(scalarSchema(ScalarType.BOOL));
    case "google.protobuf.StringValue":
      return nullable(scalarSchema(ScalarType.STRING));
    case "google.protobuf.BytesValue":
      return nullable(scalarSchema(ScalarType.BYTES));
    default:
      return undefined;
  }
}

/** The messages a field's value is made of: its own type, or its list's or map's values'. */
function messagesOf(field: DescField): DescMessage[] {
  switch (field.fieldKind) {
    case "message":
      return [field.message];
    case "list":
      return field.listKind === "message" ? [field.message] : [];
    case "map":
      return field.mapKind === "message" ? [field.message] : [];
    case "scalar":
    case "enum":
      return [];
  }
}

/**
 * Collects the messages and enums referenced so far; a $ref first, the schema later, so recursion works.
 * It also notes which messages clients send (request bodies), since `required` differs for those.
 */
class SchemaCollector {
  private readonly pending: (DescMessage | DescEnum)[] = [];
  private readonly built = new Map<string, Schema>();
  private readonly known = new Set<string>();
  private readonly sent = new Set<string>();
  private readonly sentPending: DescMessage[] = [];

  /** Notes that clients send these messages in request bodies, and so every message inside them. */
  sentInRequests(...messages: DescMessage[]): void {
    this.sentPending.push(...messages);
    for (let message = this.sentPending.pop(); message; message = this.sentPending.pop()) {
      if (this.sent.has(message.typeName)) continue;
      this.sent.add(message.typeName);
      this.sentPending.push(...message.fields.flatMap(messagesOf));
    }
  }

  ref(desc: DescMessage | DescEnum): Schema {
    if (!this.known.has(desc.typeName)) {
      this.known.add(desc.typeName);
      this.pending.push(desc);
    }
    return { $ref: `#/components/schemas/${desc.typeName}` };
  }

  /** Every referenced schema (building those still pending, which may reference more), by name. */
  sorted(): Record<string, Schema> {
    for (let desc = this.pending.shift(); desc; desc = this.pending.shift()) {
      this.built.set(desc.typeName, desc.kind === "enum" ? enumSchema(desc) : messageSchema(desc, this, !this.sent.has(desc.typeName)));
    }
    return Object.fromEntries([...this.built.entries()].sort(([a], [b]) => compare(a, b)));
  }
}

/**
 * A message's schema. `answerOnly` (no client ever sends it): every field with implicit presence
 * is `required`, since the gateway writes those even at their zero value (json-writer.ts, as
 * protobuf-es `alwaysEmitImplicit`); `optional`, oneof and message fields appear only when set.
 * A message clients send gets no `required` list: the protos declare no required fields (the
 * services check them in code, and differently per method: a create needs a name, an update with
 * a mask does not), and an output-only field listed as required would be asked of clients too.
 */
function messageSchema(message: DescMessage, schemas: SchemaCollector, answerOnly: boolean): Schema {
  const required = answerOnly ? message.fields.filter((f) => f.presence === FeatureSet_FieldPresence.IMPLICIT).map((f) => f.jsonName) : [];
  const oneofs = message.oneofs
    .filter((o) => !(o.fields.length === 1 && o.fields[0]?.proto.proto3Optional))
    .map((o) => `At most one of ${o.fields.map((f) => `\`${f.jsonName}\``).join(", ")} is set.`);
  const description = [commentOf(message), ...oneofs].filter((s) => s !== undefined).join("\n\n");
  return {
    type: "object",
    ...optionalDescription(description),
    ...(message.deprecated ? { deprecated: true } : {}),
    properties: Object.fromEntries(message.fields.map((f) => [f.jsonName, fieldSchema(f, schemas)])),
    ...(required.length > 0 ? { required } : {}),
  };
}

function enumSchema(desc: DescEnum): Schema {
  const documented = desc.values
    .map((v) => [v.name, commentOf(v)] as const)
    .filter(([, comment]) => comment !== undefined)
    .map(([name, comment]) => `- \`${name}\`: ${(comment ?? "").replace(/\n/g, " ")}`);
  const description = [commentOf(desc), documented.join("\n")].filter((s) => s).join("\n\n");
  return {
    type: "string",
    ...optionalDescription(description),
    ...(desc.deprecated ? { deprecated: true } : {}),
    enum: desc.values.map((v) => v.name),
  };
}

/** The gateway's JSON error body (apps/gateway http-errors.ts writes it). */
function errorSchemas(): Record<string, Schema> {
  return {
    Error: {
      type: "object",
      description: "The body of every error answer.",
      properties: {
        code: {
          type: "string",
          description:
            "The gRPC status in snake case (`invalid_argument`, `unauthenticated`, `not_found`, `already_exists`, `aborted`, `internal`...), or an HTTP-level refusal (`method_not_allowed`, `unsupported_media_type`).",
        },
        message: { type: "string", description: "What went wrong, for people; names the field and the rule for bad input." },
        details: { type: "array", description: "Machine-readable details.", items: { $ref: "#/components/schemas/ErrorDetail" } },
      },
      // http-errors.ts writes all three on every error.
      required: ["code", "message", "details"],
    },
    ErrorDetail: {
      type: "object",
      description: "One detail of an error, named by its `@type`, such as a google.rpc.BadRequest listing field violations.",
      properties: {
        "@type": { type: "string", description: "The detail's type, such as `type.googleapis.com/google.rpc.BadRequest`." },
        fieldViolations: {
          type: "array",
          description: "For google.rpc.BadRequest: each field that broke a rule.",
          items: {
            type: "object",
            properties: {
              field: { type: "string", description: "The field's path, such as `client.name`." },
              description: { type: "string", description: "The rule it broke, such as `is required`." },
            },
            required: ["field", "description"],
          },
        },
      },
      required: ["@type"],
      additionalProperties: true,
    },
  };
}

/** A parameter or body carries the description itself; a copy inside its schema only repeats it. */
function stripDocs(schema: Schema): Schema {
  const { description: _description, readOnly: _readOnly, deprecated: _deprecated, ...rest } = schema;
  return rest;
}

function fieldDescription(field: DescField): string | undefined {
  return commentOf(field);
}

function json(schema: Schema): MediaContent {
  return { "application/json": { schema } };
}

/** Spread into an object literal: `description` only when there is one (exactOptionalPropertyTypes). */
function optionalDescription(description: string | undefined): { description?: string } {
  return description ? { description } : {};
}

function sortMethods(item: PathItem): PathItem {
  const sorted: PathItem = {};
  for (const m of methodOrder) {
    const operation = item[m];
    if (operation) sorted[m] = operation;
  }
  return sorted;
}

/** Code-point order: stable across locales, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first sentence of a comment, without its full stop: "Create a client. Names are unique." -> "Create a client". */
function summaryOf(comment: string | undefined): string | undefined {
  if (!comment) return undefined;
  const paragraph = (comment.split(/\n\s*\n/)[0] ?? comment).replace(/\s*\n\s*/g, " ").trim();
  const sentence = /^(.+?)[.!?](?=\s+[\p{Lu}`("]|\s*$)/u.exec(paragraph);
  return sentence?.[1] ?? paragraph;
}

type CommentedDesc = DescMessage | DescField | DescEnum | DescEnumValue | DescService | DescMethod;

/** The element's leading comment (or trailing, when it has none), from the descriptor's source info. */
function commentOf(desc: CommentedDesc): string | undefined {
  const { file, path } = sourcePath(desc);
  const location = file.proto.sourceCodeInfo?.location.find((l) => l.path.length === path.length && l.path.every((n, i) => n === path[i]));
  const raw = location?.leadingComments || location?.trailingComments;
  if (!raw) return undefined;
  const lines = raw.split("\n").map((line) => line.replace(/^ /, "").trimEnd());
  const text = lines.join("\n").trim();
  return text === "" ? undefined : text;
}

// Field numbers inside descriptor.proto that source-info paths are made of.
const fileMessageType = 4;
const fileEnumType = 5;
const fileService = 6;
const messageField = 2;
const messageNestedType = 3;
const messageEnumType = 4;
const enumValue = 2;
const serviceMethod = 2;

function sourcePath(desc: CommentedDesc): { file: DescFile; path: number[] } {
  switch (desc.kind) {
    case "message":
    case "enum": {
      const nested = desc.kind === "message" ? messageNestedType : messageEnumType;
      const top = desc.kind === "message" ? fileMessageType : fileEnumType;
      if (desc.parent) {
        const parent = sourcePath(desc.parent);
        const siblings: unknown[] = desc.kind === "message" ? desc.parent.proto.nestedType : desc.parent.proto.enumType;
        return { file: parent.file, path: [...parent.path, nested, siblings.indexOf(desc.proto)] };
      }
      const siblings: unknown[] = desc.kind === "message" ? desc.file.proto.messageType : desc.file.proto.enumType;
      return { file: desc.file, path: [top, siblings.indexOf(desc.proto)] };
    }
    case "field": {
      const parent = sourcePath(desc.parent);
      return { file: parent.file, path: [...parent.path, messageField, desc.parent.proto.field.indexOf(desc.proto)] };
    }
    case "enum_value": {
      const parent = sourcePath(desc.parent);
      return { file: parent.file, path: [...parent.path, enumValue, desc.parent.proto.value.indexOf(desc.proto)] };
    }
    case "service":
      return { file: desc.file, path: [fileService, desc.file.proto.service.indexOf(desc.proto)] };
    case "rpc": {
      const parent = sourcePath(desc.parent);
      return { file: parent.file, path: [...parent.path, serviceMethod, desc.parent.proto.method.indexOf(desc.proto)] };
    }
  }
}
