// Shared by the end-to-end suites: the operations of the OpenAPI document, raw HTTP requests
// (exact paths and bytes, no URL normalisation), bounded concurrency, a seeded PRNG, and JWT
// claims reading.
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { openApiPath } from "@msp/proto";
import type { Json } from "./platform-stack";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";
const httpMethods: readonly HttpMethod[] = ["get", "post", "put", "patch", "delete"];

/** One operation of the OpenAPI document: a path template and a method. */
export interface Operation {
  method: HttpMethod;
  /** The path template, such as /api/v1/clients/{client.id}. */
  template: string;
  operationId: string;
  /** The service, such as ClientService (the operation's first tag). */
  service: string;
  /** Names of the path parameters, in order. */
  pathParams: string[];
  /** The name of the schema the request body refers to, such as msp.work.v1.Client (unset for inline schemas). */
  bodySchemaName: string | undefined;
  /** The request body's schema, resolved. */
  bodySchema: Json;
  hasBody: boolean;
}

/** The generated OpenAPI document (libs/proto/src/gen/openapi.json). */
export function openApiDocument(): Json {
  return JSON.parse(readFileSync(openApiPath, "utf8"));
}

/** Every operation (path x method) of the OpenAPI document, in document order. */
export function openApiOperations(doc: Json = openApiDocument()): Operation[] {
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const method of httpMethods) {
      const op = item[method];
      if (!op) continue;
      const schema: Json = op.requestBody?.content?.["application/json"]?.schema;
      const ref: unknown = schema?.$ref;
      operations.push({
        method,
        template,
        operationId: String(op.operationId),
        service: String(op.tags?.[0] ?? ""),
        pathParams: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
        bodySchemaName: typeof ref === "string" ? ref.replace("#/components/schemas/", "") : undefined,
        bodySchema: typeof ref === "string" ? schemaAt(doc, ref) : schema,
        hasBody: op.requestBody !== undefined,
      });
    }
  }
  return operations;
}

/** The schema a `#/components/schemas/...` reference points to. */
export function schemaAt(doc: Json, ref: string): Json {
  return doc.components?.schemas?.[ref.replace("#/components/schemas/", "")];
}

/** `/api/v1/clients/{id}` with every parameter replaced by `valueOf(name)`, percent-encoded. */
export function fillPath(template: string, valueOf: (param: string) => string): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(valueOf(name)));
}

/** The collection a path template is about: "clients" for /api/v1/clients/{client.id}, "auth" for /api/v1/auth/token. */
export function collectionOf(template: string): string {
  return /^\/api\/v\d+\/([A-Za-z][A-Za-z0-9]*)/.exec(template)?.[1] ?? "";
}

/** What a raw request got: a status and body, or the connection error that happened instead. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  error?: string;
  ms: number;
}

export interface RawRequest {
  method: string;
  /** Sent as is: no normalisation of dot segments or percent-encoding. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

// Keep-alive connections, at most as many as the suites run requests at once.
const agent = new Agent({ keepAlive: true, maxSockets: 32 });

/** One HTTP/1.1 request with node:http, so paths and bodies go out byte for byte. */
export function rawRequest(baseUrl: string, req: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const started = Date.now();
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers["content-length"] = Buffer.byteLength(req.body);
    const outgoing = request(
      { agent, host: url.hostname, port: url.port, method: req.method, path: req.path, headers, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: Date.now() - started }),
        );
        res.on("error", (error) =>
          resolve({ status: 0, headers: {}, body: Buffer.alloc(0), error: String(error), ms: Date.now() - started }),
        );
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    outgoing.on("error", (error) =>
      resolve({ status: 0, headers: {}, body: Buffer.alloc(0), error: String(error), ms: Date.now() - started }),
    );
    outgoing.end(req.body);
  });
}

/** A response body as JSON, or undefined when it is not JSON. */
export function jsonOf(response: RawResponse): Json {
  try {
    return JSON.parse(response.body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Closes the keep-alive connections, so jest can exit cleanly. */
export function closeConnections(): void {
  agent.destroy();
}

/** Runs `task` on every item with at most `concurrency` running at once; results keep the items' order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same requests. */
export class Random {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
  /** A random (version 4) UUID, from this generator. */
  uuid(): string {
    const hex = this.bytes(16).toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[this.int(0, 3)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
  /** A string of `length` characters: ASCII, control characters, quotes, non-Latin letters, emoji and lone surrogates. */
  string(length: number): string {
    const alphabets = [
      "abcdefghijklmnopqrstuvwxyz0123456789",
      " \t\n\r\"'\\/<>{}[]%&;=,.:*?#@!$`|^~",
      "\u0000\u0001\u001f\u007f",
      "éßøΩЖ中文日本語한국어",
      "😀🔥👍",
      "\ud800\udfff",
    ];
    let out = "";
    while (out.length < length) out += this.pick(Array.from(this.pick(alphabets)));
    return out;
  }
  /** A random JSON value, at most `depth` levels deep. */
  json(depth = 3): unknown {
    const kinds = depth > 0 ? 8 : 6;
    switch (this.int(0, kinds - 1)) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.pick([0, -1, 1.5, 2 ** 31, -(2 ** 63), 1e308, -1e-308, Number.MAX_SAFE_INTEGER, this.int(-1e9, 1e9)]);
      case 3:
        return this.string(this.int(0, 40));
      case 4:
        return this.pick(["", "true", "null", "1e999", "NaN", "-0", "2026-13-45T99:99:99Z", "00000000-0000-0000-0000-000000000000"]);
      case 5:
        return this.pick([[], {}]);
      case 6:
        return Array.from({ length: this.int(0, 5) }, () => this.json(depth - 1));
      default: {
        const object: Record<string, unknown> = {};
        for (let i = this.int(0, 6); i > 0; i--)
          object[this.pick([this.string(this.int(1, 12)), "name", "id", "client", "etag", "@type"])] = this.json(depth - 1);
        return object;
      }
    }
  }
}

/** The claims of a JWT, read without checking it (tests only). */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

export const isUuid = (value: unknown): boolean =>
  typeof value === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
