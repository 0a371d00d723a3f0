import type { DescService, FileRegistry } from "@bufbuild/protobuf";
import type { ConnectRouter, ContextValues, HandlerContext } from "@connectrpc/connect";
import { createContextKey, createContextValues } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerResponse } from "@connectrpc/connect/protocol";
import { createAsyncIterable } from "@connectrpc/connect/protocol";
import { connectJsonAsRest } from "./connect-json";
import { asConnectError } from "./domain-to-connect";
import type { Forwarder } from "./forwarder";
import { isUnary } from "./rest-routes";

/** Every msp.* service of the registry, as found in the descriptor set. */
export function mspServices(registry: FileRegistry): DescService[] {
  return [...registry].filter((type): type is DescService => type.kind === "service" && type.typeName.startsWith("msp."));
}

/** The caller's address, as REST calls have it: audit events and the login throttle name it. */
const clientIpKey = createContextKey<string | undefined>(undefined, { description: "client IP" });

/** What each Connect call's context carries from its HTTP request (connectNodeAdapter's contextValues). */
export function connectContextValues(req: { socket: { remoteAddress?: string | undefined } }): ContextValues {
  return createContextValues().set(clientIpKey, req.socket.remoteAddress);
}

/**
 * Serves every unary RPC over Connect (JSON and binary) and gRPC-web at /<package>.<Service>/<Method>,
 * each forwarded to its owner. No service is named here: they all come from the descriptors.
 * Connect JSON bodies are read as REST bodies are (connect-json.ts).
 */
export function connectRoutes(services: readonly DescService[], forward: Forwarder, maxBodyBytes: number): (router: ConnectRouter) => void {
  return (router) => {
    for (const service of services) {
      for (const method of service.methods) {
        if (!isUnary(method)) continue;
        router.rpc(method, async (request, context: HandlerContext) => {
          try {
            return await forward.message(method, request, {
              authorization: context.requestHeader.get("authorization") ?? undefined,
              requestId: context.requestHeader.get("x-request-id") ?? undefined,
              clientIp: context.values.get(clientIpKey),
              userAgent: context.requestHeader.get("user-agent") ?? undefined,
              idempotencyKey: context.requestHeader.get("idempotency-key") ?? undefined,
              signal: context.signal,
            });
          } catch (error) {
            throw asConnectError(error);
          }
        });
      }
    }
    router.handlers.forEach((handler, i) => (router.handlers[i] = undecodableIsInvalidArgument(connectJsonAsRest(handler, maxBodyBytes))));
  };
}

/**
 * connect-es answers a Connect request whose body is not valid protobuf binary with INTERNAL
 * (HTTP 500, "parse binary: ..."), although the caller is at fault, as its JSON decoding says
 * (INVALID_ARGUMENT). The gateway answers such a request 400 invalid_argument instead.
 */
function undecodableIsInvalidArgument(handler: UniversalHandler): UniversalHandler {
  const wrapped = async (...args: Parameters<UniversalHandler>): Promise<UniversalServerResponse> => {
    const response = await handler(...args);
    if (response.status !== 500 || response.body === undefined || response.header?.has("content-encoding")) return response;
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    let error: { code?: unknown; message?: unknown } | undefined;
    try {
      error = JSON.parse(bytes.toString("utf8")) as typeof error;
    } catch {
      error = undefined;
    }
    if (error?.code !== "internal" || typeof error.message !== "string" || !error.message.startsWith("parse binary:")) {
      return { ...response, body: createAsyncIterable([bytes]) };
    }
    const body = Buffer.from(JSON.stringify({ ...error, code: "invalid_argument" }));
    const header = new Headers(response.header);
    header.set("content-length", String(body.byteLength));
    return { ...response, status: 400, header, body: createAsyncIterable([body]) };
  };
  return Object.assign(wrapped, handler);
}
