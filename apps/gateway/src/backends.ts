import type { DescMessage, DescMethodUnary, MessageInitShape } from "@bufbuild/protobuf";
import { Metadata } from "@grpc/grpc-js";
import type { PackageAddresses } from "@msp/service-client";
import { createServiceChannels } from "@msp/service-client";
import { isReadMethod } from "@msp/service-runtime";
import { asConnectError } from "./domain-to-connect";

/**
 * Calls an RPC on whichever process owns its package (@msp/service-client: round-robin,
 * deadlines, reads retried when a service is unavailable). Forwarding uses grpc-js's client:
 * measured against connect-node's gRPC transport, it gave the gateway about a quarter more
 * throughput at 32 callers (BENCHMARKS.md).
 */
export interface Backends {
  /** Calls `method` and reads its answer with `decode`; a refusal comes back as a ConnectError with its details. */
  unary<I extends DescMessage, O extends DescMessage, R>(
    method: DescMethodUnary<I, O>,
    input: MessageInitShape<I>,
    headers: Headers,
    decode: (bytes: Buffer) => R,
    signal?: AbortSignal,
  ): Promise<R>;
  close(): void;
}

export function createBackends(packages: readonly PackageAddresses[], deadlineMs: number): Backends {
  const channels = createServiceChannels({ packages, deadlineMs, retryable: isReadMethod });
  return {
    async unary(method, input, headers, decode, signal) {
      const metadata = new Metadata();
      headers.forEach((value, key) => metadata.set(key, value));
      try {
        return await channels.unary(method, input, { metadata, decode, signal });
      } catch (error) {
        throw asConnectError(error);
      }
    },
    close: () => channels.close(),
  };
}
