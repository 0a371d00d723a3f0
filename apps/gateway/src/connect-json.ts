import type { JsonValue } from "@bufbuild/protobuf";
import { fromJson } from "@bufbuild/protobuf";
import type { ConnectError } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerRequest, UniversalServerResponse } from "@connectrpc/connect/protocol";
import { createAsyncIterable, readAllBytes } from "@connectrpc/connect/protocol";
import { codeToHttpStatus, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { acceptRequestJson, decodeRefusal } from "./accept-json";
import { asConnectError } from "./domain-to-connect";
import { badRequest } from "./http-errors";
import { decodeUtf8 } from "./read-body";

/** The content types of a Connect unary call in JSON, as connect-es reads them. */
const unaryJson = /^application\/json(?:; ?charset=utf-?8)?$/i;

type JsonObject = { [key: string]: JsonValue };

/**
 * Connect unary calls in JSON read their body as REST does (accept-json.ts): enum values by their
 * short name, dates as timestamps, and refusals naming the field in a google.rpc.BadRequest; bytes
 * that are not UTF-8 are refused naming their field rather than read as U+FFFD. The body is read
 * and checked here (and decoded once, to name the field of any other refusal), then handed to
 * connect-es already parsed. Binary calls, gRPC-web and compressed bodies (Content-Encoding)
 * pass as they came: connect-es reads them as it always does.
 */
export function connectJsonAsRest(handler: UniversalHandler, maxBodyBytes: number): UniversalHandler {
  const input = handler.method.kind === "rpc" ? handler.method.input : undefined;
  if (!input) return handler;
  const wrapped = async (request: UniversalServerRequest): Promise<UniversalServerResponse> => {
    const type = request.header.get("content-type") ?? "";
    if (request.method !== "POST" || !unaryJson.test(type) || request.header.has("content-encoding")) return handler(request);
    let json: JsonObject;
    try {
      json = await readJson(request, maxBodyBytes);
      acceptRequestJson(input, json);
    } catch (error) {
      return errorResponse(asConnectError(error));
    }
    try {
      fromJson(input, json, { ignoreUnknownFields: false });
    } catch (error) {
      return errorResponse(asConnectError(decodeRefusal(error)));
    }
    return handler({ ...request, body: json });
  };
  return Object.assign(wrapped, handler);
}

/** The request's JSON object, read as REST reads a body (read-body.ts, rest-handler.ts), or a refusal. */
async function readJson(request: UniversalServerRequest, maxBodyBytes: number): Promise<JsonObject> {
  let json: unknown = request.body;
  if (typeof json === "object" && json !== null && Symbol.asyncIterator in json) {
    const text = decodeUtf8(await readAllBytes(json as AsyncIterable<Uint8Array>, maxBodyBytes, request.header.get("content-length")));
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw badRequest(`malformed JSON body: ${error instanceof Error ? error.message : "unparseable"}`);
    }
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw badRequest("the request body must be a JSON object");
  return json as JsonObject;
}

/** An error as connect-es answers a Connect unary call with one. */
function errorResponse(error: ConnectError): UniversalServerResponse {
  const body = errorToJsonBytes(error, {});
  const header = new Headers({ "content-type": "application/json", "content-length": String(body.byteLength) });
  error.metadata.forEach((value, key) => header.set(key, value));
  return { status: codeToHttpStatus(error.code), header, body: createAsyncIterable([body]) };
}
