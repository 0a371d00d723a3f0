import type { DescService, FileRegistry } from "@bufbuild/protobuf";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { asConnectError } from "./domain-to-connect";
import type { Forwarder } from "./forwarder";
import { isUnary } from "./rest-routes";

/** Every msp.* service of the registry, as found in the descriptor set. */
export function mspServices(registry: FileRegistry): DescService[] {
  return [...registry].filter((type): type is DescService => type.kind === "service" && type.typeName.startsWith("msp."));
}

/**
 * Serves every unary RPC over Connect (JSON and binary) and gRPC-web at /<package>.<Service>/<Method>,
 * each forwarded to its owner. No service is named here: they all come from the descriptors.
 */
export function connectRoutes(services: readonly DescService[], forward: Forwarder): (router: ConnectRouter) => void {
  return (router) => {
    for (const service of services) {
      for (const method of service.methods) {
        if (!isUnary(method)) continue;
        router.rpc(method, async (request, context: HandlerContext) => {
          try {
            return await forward(method, request, {
              authorization: context.requestHeader.get("authorization") ?? undefined,
              requestId: context.requestHeader.get("x-request-id") ?? undefined,
              clientIp: undefined,
              signal: context.signal,
            });
          } catch (error) {
            throw asConnectError(error);
          }
        });
      }
    }
  };
}
