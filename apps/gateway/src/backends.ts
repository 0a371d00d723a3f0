import type { DescMessage, DescMethodUnary, MessageInitShape } from "@bufbuild/protobuf";
import { Metadata } from "@grpc/grpc-js";
import { ownerOfPackage } from "@msp/registry";
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
  /** Which services serve now, by registry name: each answers its health check within a second (GET /api/ready). */
  serving(): Promise<Record<string, boolean>>;
  close(): void;
}

/** How long a readiness check waits for each service's health answer. */
const readinessDeadlineMs = 1_000;

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
    async serving() {
      const byPackage = await channels.serving(readinessDeadlineMs);
      const byService: Record<string, boolean> = {};
      for (const [protoPackage, serves] of Object.entries(byPackage)) {
        const name = ownerOfPackage(protoPackage)?.name ?? protoPackage;
        byService[name] = (byService[name] ?? true) && serves;
      }
      return byService;
    },
    close: () => channels.close(),
  };
}
