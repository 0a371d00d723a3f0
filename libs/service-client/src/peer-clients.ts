import type { DescMessage, DescMethodUnary, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { fromBinary } from "@bufbuild/protobuf";
import { Metadata } from "@grpc/grpc-js";
import type { Principal } from "@msp/auth";
import { createServiceTokens } from "@msp/auth";
import type { ServiceEntry } from "@msp/registry";
import { platformServices } from "@msp/registry";
import type { ServiceChannels } from "./service-channels";
import { createServiceChannels } from "./service-channels";

/** The part of a handler's call context a call to another service needs. */
export interface CallerContext {
  /** The verified caller the handler is serving. */
  auth?: Principal | undefined;
  /** Passed on, so one request can be followed across services in the logs. */
  requestId: string;
}

/**
 * A service's clients of the other services. Each call carries a service token naming this
 * service and the user it is serving (see @msp/auth service-tokens.ts), a deadline, and the
 * request id; reads are retried on another address when a service is unavailable; errors come
 * back in the one vocabulary (DomainError), so a handler can let them through or explain them.
 */
export interface PeerClients {
  call<I extends DescMessage, O extends DescMessage>(
    ctx: CallerContext,
    method: DescMethodUnary<I, O>,
    input: MessageInitShape<I>,
  ): Promise<MessageShape<O>>;
  close(): void;
}

export interface PeerClientsOptions {
  /** The calling service, as the registry names it. */
  service: string;
  /** MSP_JWT_SECRET. */
  secret: string;
  /** The scopes its calls need, such as ["work:read"]. */
  scopes: readonly string[];
  /** Where each registered service answers, by service name. */
  addresses: Readonly<Record<string, readonly string[]>>;
  deadlineMs: number;
  /** Which methods may be sent again after UNAVAILABLE: reads (see ServiceChannelsOptions). */
  retryable: (path: string) => boolean;
  services?: readonly ServiceEntry[];
}

export function createPeerClients(options: PeerClientsOptions): PeerClients {
  const services = options.services ?? platformServices;
  let channels: ServiceChannels | undefined;
  // Channels open on the first call: most services never call another, and tests start many.
  const open = () =>
    (channels ??= createServiceChannels({
      packages: services.flatMap((s) =>
        s.protoPackages.map((protoPackage) => ({ protoPackage, addresses: options.addresses[s.name] ?? [] })),
      ),
      deadlineMs: options.deadlineMs,
      retryable: options.retryable,
    }));
  const tokens = createServiceTokens({ secret: options.secret, service: options.service, scopes: options.scopes });
  return {
    async call(ctx, method, input) {
      if (ctx.auth === undefined) throw new Error(`${options.service} called ${method.parent.typeName} without a caller to act for`);
      const metadata = new Metadata();
      metadata.set("authorization", `Bearer ${await tokens.tokenFor(ctx.auth)}`);
      metadata.set("x-request-id", ctx.requestId);
      return open().unary(method, input, { metadata, decode: (bytes) => fromBinary(method.output, bytes) });
    },
    close() {
      channels?.close();
      channels = undefined;
    },
  };
}
