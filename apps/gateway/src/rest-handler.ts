import type { IncomingMessage, ServerResponse } from "node:http";
import type { DescMessage } from "@bufbuild/protobuf";
import { fromJson } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Logger } from "@msp/logging";
import { acceptRequestJson, decodeRefusal } from "./accept-json";
import { fileOf, sendFile, wantsFile } from "./file-download";
import type { Forwarder } from "./forwarder";
import { HttpError, badRequest, toHttpError } from "./http-errors";
import { outputBuffers } from "./output-buffers";
import { applyQuery, setAt } from "./request-json";
import type { RestRoute } from "./rest-routes";
import { matchRoute } from "./rest-routes";
import { readBody } from "./read-body";

export interface RestHandlerOptions {
  routes: readonly RestRoute[];
  forward: Forwarder;
  maxBodyBytes: number;
  logger: Logger;
}

/** Serves every google.api.http route: JSON in, protobuf over gRPC to the owner, JSON out. */
export function createRestHandler(options: RestHandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const requestId = typeof req.headers["x-request-id"] === "string" ? req.headers["x-request-id"] : undefined;
    handle(req, options).then(
      (answer) => (Buffer.isBuffer(answer) ? sendBody(res, 200, answer) : sendFile(res, answer)),
      (error: unknown) => {
        const { status, body, unexpected, headers } = toHttpError(error);
        if (unexpected) options.logger.error({ err: error, requestId, path: req.url }, "unexpected error in the REST handler");
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        send(res, status, body);
      },
    );
  };
}

/**
 * Answers a request with the JSON of the service's response, in UTF-8; or, for a method with a
 * file form asked for (file-download.ts), with the file the response carries.
 */
async function handle(req: IncomingMessage, options: RestHandlerOptions): Promise<Buffer | ReturnType<typeof fileOf>> {
  const url = new URL(req.url ?? "/", "http://gateway");
  let found;
  try {
    found = matchRoute(options.routes, req.method ?? "GET", url.pathname);
  } catch {
    throw badRequest("malformed percent-encoding in the path");
  }
  const { match, allowed } = found;
  if (!match) {
    if (allowed.length > 0) {
      throw new HttpError(405, "method_not_allowed", `${req.method} is not allowed on ${url.pathname}; use ${allowed.join(", ")}`, {
        allow: allowed.join(", "),
      });
    }
    throw new ConnectError(`no route for ${req.method} ${url.pathname}`, Code.NotFound);
  }
  const { route, values } = match;
  const input: DescMessage = route.method.input;
  let json: Record<string, unknown> = {};
  if (route.body !== "") {
    const type = req.headers["content-type"] ?? "application/json";
    if (!/^application\/json\b/i.test(type))
      throw new HttpError(415, "unsupported_media_type", "send the request body as application/json");
    const text = await readBody(req, options.maxBodyBytes, route.body === "*" ? "" : route.body);
    const body = parseJson(text);
    if (route.body === "*") {
      if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("the request body must be a JSON object");
      json = body as Record<string, unknown>;
    } else if (body !== undefined) {
      setAt(json, input, [route.body], body);
    }
  }
  const bound = new Set(route.variables.map((v) => v.join(".")));
  applyQuery(json, input, url.searchParams, bound);
  route.variables.forEach((path, i) => setAt(json, input, path, values[i]));
  acceptRequestJson(input, json);
  let message;
  try {
    message = fromJson(input, json as never, { ignoreUnknownFields: false });
  } catch (error) {
    throw decodeRefusal(error);
  }
  const call = {
    authorization: req.headers.authorization,
    requestId: typeof req.headers["x-request-id"] === "string" ? req.headers["x-request-id"] : undefined,
    clientIp: req.socket.remoteAddress,
    userAgent: req.headers["user-agent"],
    idempotencyKey: headerOf(req, "idempotency-key"),
  };
  if (route.download && wantsFile(route, headerOf(req, "accept"))) {
    return fileOf(route.download, await options.forward.message(route.method, message, call));
  }
  return options.forward.json(route.method, message, call);
}

/** A request header as one string (Node joins repeated ones with ", "), or undefined when absent. */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`malformed JSON body: ${error instanceof Error ? error.message : "unparseable"}`);
  }
}

function send(res: ServerResponse, status: number, json: unknown): void {
  sendBody(res, status, Buffer.from(JSON.stringify(json), "utf8"));
}

/** Sends JSON already encoded in UTF-8, in one piece; a pooled buffer goes back to the pool once sent. */
function sendBody(res: ServerResponse, status: number, body: Buffer): void {
  if (res.headersSent) return;
  res.once("finish", () => outputBuffers.giveBack(body));
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": body.length,
  });
  res.end(body);
}
