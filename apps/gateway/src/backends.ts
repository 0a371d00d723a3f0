import type { DescMessage, DescMethodUnary, MessageInitShape } from "@bufbuild/protobuf";
import type { Transport, UnaryResponse } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";

/** Where the services of one proto package run: several addresses are used in turn. */
export interface BackendConfig {
  /** Proto package, such as msp.work.v1. */
  protoPackage: string;
  addresses: readonly string[];
}

/** Calls an RPC on whichever process owns its package, spreading calls round-robin. */
export interface Backends {
  unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    input: MessageInitShape<I>,
    headers: Headers,
    signal?: AbortSignal,
  ): Promise<UnaryResponse<I, O>>;
  close(): void;
}

export function createBackends(configs: readonly BackendConfig[], deadlineMs: number): Backends {
  const pools = new Map<string, { transports: Transport[]; next: number }>();
  for (const config of configs) {
    pools.set(config.protoPackage, {
      next: 0,
      transports: config.addresses.map((address) =>
        createGrpcTransport({
          baseUrl: `http://${address}`,
          defaultTimeoutMs: deadlineMs,
          // A dead backend should fail the call at once, not after the deadline.
          idleConnectionTimeoutMs: 60_000,
        }),
      ),
    });
  }
  return {
    unary(method, input, headers, signal) {
      const pool = pools.get(method.parent.file.proto.package);
      if (!pool || pool.transports.length === 0) {
        return Promise.reject(new ConnectError(`no backend serves ${method.parent.typeName}`, Code.Unimplemented));
      }
      const transport = pool.transports[pool.next++ % pool.transports.length]!;
      return transport.unary(method, signal, deadlineMs, headers, input);
    },
    close() {
      pools.clear();
    },
  };
}
