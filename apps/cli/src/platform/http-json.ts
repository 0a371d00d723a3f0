/* eslint-disable @typescript-eslint/no-require-imports -- node:http and node:https load on the first request */
import type { IncomingMessage } from "node:http";

// node:http rather than fetch: measured on Node 20, the first fetch() loads undici and adds about
// 15 ms to every hook process. Both transports load on first use: a hook that sends nothing (Stop,
// most UserPromptSubmits) does not pay the few milliseconds node:http's streams cost.

/** The platform answered with an error status (4xx, 5xx); `code` is its error code such as "not_found". */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The platform's own message, without the method, path and status ("credential.name: is required"). */
    readonly detail = message,
  ) {
    super(message);
  }
  /** Worth trying again later: the platform or one of its services is down or busy. */
  get retryable(): boolean {
    return this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504 || this.status === 500;
  }
}

/** The platform could not be reached in time: refused, reset, DNS failure, or past the deadline. */
export class UnreachableError extends Error {
  override name = "UnreachableError";
  /** The request had been sent whole when it failed, so the server may have acted on it. */
  readonly maybeDelivered: boolean;
  /** It ran out of time (the platform is slow) rather than failing to connect (the platform is down). */
  readonly timedOut: boolean;
  constructor(message: string, maybeDelivered = false, timedOut = false) {
    super(message);
    this.maybeDelivered = maybeDelivered;
    this.timedOut = timedOut;
  }
}

/** True for failures a later attempt may get past (so the event is spooled, not dropped). */
export function isRetryable(error: unknown): boolean {
  return error instanceof UnreachableError || (error instanceof ApiError && error.retryable);
}

export interface JsonRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Absolute URL. */
  url: string;
  /** Bearer token or API key. */
  token?: string | undefined;
  body?: unknown;
  /** Sent as the Idempotency-Key header: the platform applies a write with a key once, and answers a repeat with its first answer. */
  idempotencyKey?: string | undefined;
  /** Gives up after this many milliseconds (connect, send and answer together). */
  timeoutMs: number;
}

interface Transport {
  agent: import("node:http").Agent;
  request: typeof import("node:http").request;
}
let http: Transport | undefined;
let https: Transport | undefined;

function transportFor(secure: boolean): Transport {
  if (secure) {
    if (!https) {
      const module = require("node:https") as typeof import("node:https");
      https = { agent: new module.Agent({ keepAlive: true }), request: module.request };
    }
    return https;
  }
  if (!http) {
    const module = require("node:http") as typeof import("node:http");
    http = { agent: new module.Agent({ keepAlive: true }), request: module.request };
  }
  return http;
}

/** Sends one JSON request and returns the decoded answer; throws ApiError or UnreachableError. */
export function requestJson<T>(req: JsonRequest): Promise<T> {
  const url = new URL(req.url);
  const secure = url.protocol === "https:";
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string | number> = { accept: "application/json" };
  if (req.token) headers["authorization"] = `Bearer ${req.token}`;
  if (req.idempotencyKey !== undefined) headers["idempotency-key"] = req.idempotencyKey;
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = Buffer.byteLength(body);
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let sent = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const transport = transportFor(secure);
    const outgoing = transport.request(url, { method: req.method, headers, agent: transport.agent }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (error) => fail(new UnreachableError(`${req.method} ${url.pathname}: ${error.message}`, true)));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        let json: unknown;
        try {
          json = text === "" ? {} : JSON.parse(text);
        } catch {
          json = undefined;
        }
        if (status >= 200 && status < 300 && json !== undefined) resolve(json as T);
        else reject(apiErrorOf(status, json, text, `${req.method} ${url.pathname}`));
      });
    });
    const timer = setTimeout(() => {
      fail(new UnreachableError(`${req.method} ${url.pathname}: no answer within ${req.timeoutMs} ms`, sent, true));
      outgoing.destroy();
    }, req.timeoutMs);
    outgoing.on("finish", () => (sent = true));
    outgoing.on("error", (error: NodeJS.ErrnoException) =>
      fail(new UnreachableError(`${req.method} ${url.origin}${url.pathname}: ${error.code ?? error.message}`, sent)),
    );
    outgoing.end(body);
  });
}

function apiErrorOf(status: number, json: unknown, text: string, what: string): ApiError {
  const record = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
  const code = typeof record["code"] === "string" ? record["code"] : `http_${status}`;
  const message = typeof record["message"] === "string" ? record["message"] : text.slice(0, 200) || `HTTP ${status}`;
  return new ApiError(status, code, `${what}: ${status} ${message}`, message);
}

/** Closes kept-alive connections so a short process can exit at once. */
export function closeConnections(): void {
  http?.agent.destroy();
  https?.agent.destroy();
}
