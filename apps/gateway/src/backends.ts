import type { DescMessage, DescMethodUnary, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceError } from "@grpc/grpc-js";
import { Client, credentials, Metadata } from "@grpc/grpc-js";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "@msp/proto/src/gen/es/google/rpc/error_details_pb";
import { StatusSchema } from "@msp/proto/src/gen/es/google/rpc/status_pb";

/** Where the services of one proto package run: several addresses are used in turn. */
export interface BackendConfig {
  /** Proto package, such as msp.work.v1. */
  protoPackage: string;
  addresses: readonly string[];
}

/**
 * Calls an RPC on whichever process owns its package, spreading calls round-robin. Forwarding
 * uses grpc-js's client: measured against connect-node's gRPC transport, it gave the gateway
 * about a quarter more throughput at 32 callers (BENCHMARKS.md).
 */
export interface Backends {
  /** Calls `method` and reads its answer with `decode` (the bytes are the response message's encoding). */
  unary<I extends DescMessage, O extends DescMessage, R>(
    method: DescMethodUnary<I, O>,
    input: MessageInitShape<I>,
    headers: Headers,
    decode: (bytes: Buffer) => R,
    signal?: AbortSignal,
  ): Promise<R>;
  close(): void;
}

/**
 * A grpc-js error as a ConnectError, keeping its code, message and field violations. Transport
 * failures get a message of their own: grpc-js's would name internal addresses.
 */
function toConnectError(error: ServiceError, service: string): ConnectError {
  const code = error.code as number as Code;
  if (code === Code.Unavailable) return new ConnectError(`${service} is unavailable; try again shortly`, code);
  if (code === Code.DeadlineExceeded) return new ConnectError(`${service} did not answer in time`, code);
  const trailer = error.metadata?.get("grpc-status-details-bin")[0];
  const details: NonNullable<ConstructorParameters<typeof ConnectError>[3]> = [];
  if (Buffer.isBuffer(trailer)) {
    try {
      for (const detail of fromBinary(StatusSchema, trailer).details) {
        if (detail.typeUrl.endsWith("/google.rpc.BadRequest"))
          details.push({ desc: BadRequestSchema, value: fromBinary(BadRequestSchema, detail.value) });
      }
    } catch {
      // Unreadable details: the code and message still say what went wrong.
    }
  }
  return new ConnectError(error.details, code, undefined, details);
}

export function createBackends(configs: readonly BackendConfig[], deadlineMs: number): Backends {
  const pools = new Map<string, { clients: Client[]; next: number }>();
  for (const config of configs) {
    pools.set(config.protoPackage, {
      next: 0,
      clients: config.addresses.map((address) => new Client(address, credentials.createInsecure())),
    });
  }
  return {
    unary(method, input, headers, decode, signal) {
      const pool = pools.get(method.parent.file.proto.package);
      if (!pool || pool.clients.length === 0) {
        return Promise.reject(new ConnectError(`no backend serves ${method.parent.typeName}`, Code.Unimplemented));
      }
      const client = pool.clients[pool.next++ % pool.clients.length]!;
      const metadata = new Metadata();
      headers.forEach((value, key) => metadata.set(key, value));
      const request = create(method.input, input);
      return new Promise((resolve, reject) => {
        const call = client.makeUnaryRequest(
          `/${method.parent.typeName}/${method.name}`,
          (message: MessageShape<typeof method.input>) => Buffer.from(toBinary(method.input, message)),
          decode,
          request,
          metadata,
          { deadline: Date.now() + deadlineMs },
          (error: ServiceError | null, response?: ReturnType<typeof decode>) => {
            if (error) reject(toConnectError(error, method.parent.typeName));
            else resolve(response!);
          },
        );
        signal?.addEventListener("abort", () => call.cancel(), { once: true });
      });
    },
    close() {
      for (const pool of pools.values()) for (const client of pool.clients) client.close();
      pools.clear();
    },
  };
}
