import type { DescMessage, DescMethodUnary, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ChannelOptions, ServiceError } from "@grpc/grpc-js";
import { Client, credentials, Metadata, status as GrpcStatus } from "@grpc/grpc-js";
import { DomainError } from "@msp/errors";
import type { HealthCheckRequest, HealthCheckResponse } from "@msp/proto/src/gen/es/grpc/health/v1/health_pb";
import {
  Health,
  HealthCheckRequestSchema,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus,
} from "@msp/proto/src/gen/es/grpc/health/v1/health_pb";
import { peerError } from "./peer-error";

/** Where the services of one proto package answer; several addresses are used in turn. */
export interface PackageAddresses {
  /** Proto package, such as msp.work.v1. */
  protoPackage: string;
  addresses: readonly string[];
}

export interface ServiceChannelsOptions {
  packages: readonly PackageAddresses[];
  /** Deadline of a call unless the call sets its own. */
  deadlineMs: number;
  /**
   * Whether a method may be sent again after UNAVAILABLE (it had no effect). Only reads are:
   * a write whose connection broke may have been applied, unless it carries an idempotency key
   * (the service applies it once, and answers a repeat with the first answer).
   */
  retryable: (path: string) => boolean;
  /** How many more times a retryable call is tried after UNAVAILABLE (default 2), each on the next address. */
  retries?: number;
}

/** One unary call: metadata to send, how to read the answer's bytes, and when to give up. */
export interface UnaryCallOptions<R> {
  metadata: Metadata;
  decode: (bytes: Buffer) => R;
  signal?: AbortSignal | undefined;
  deadlineMs?: number;
}

/**
 * Calls RPCs on whichever process owns their proto package, round-robin over its addresses,
 * each call under a deadline; reads that found a service unavailable are tried again on the next
 * address. Errors come back as DomainErrors (see peerError). Used by the gateway to forward, and
 * by services to ask each other.
 */
export interface ServiceChannels {
  unary<I extends DescMessage, O extends DescMessage, R>(
    method: DescMethodUnary<I, O>,
    input: MessageInitShape<I> | MessageShape<I>,
    options: UnaryCallOptions<R>,
  ): Promise<R>;
  /**
   * Whether each proto package is served now: one of its addresses answers the standard health
   * check (grpc.health.v1) SERVING within `deadlineMs`. A readiness check; asking also makes a
   * channel that lost its service connect again at once.
   */
  serving(deadlineMs: number): Promise<Record<string, boolean>>;
  close(): void;
}

/**
 * Reconnect quickly to a service that restarts: grpc-js's default backoff (1 s doubling to 120 s)
 * kept the gateway answering 503 for 10-21 s after a restarted service listened again; with these it
 * tries again within half a second (plus grpc-js's 20 % jitter), however long the service was
 * down, so a restarted service serves within 2 s of listening (apps/platform-e2e reconnect.spec.ts).
 * A refused connection costs the service nothing, so trying this often is cheap.
 */
export const channelOptions: ChannelOptions = {
  "grpc.initial_reconnect_backoff_ms": 100,
  "grpc.min_reconnect_backoff_ms": 100,
  "grpc.max_reconnect_backoff_ms": 500,
  "grpc.keepalive_time_ms": 30_000,
  "grpc.keepalive_permit_without_calls": 1,
};

interface Pool {
  clients: Client[];
  next: number;
}

export function createServiceChannels(options: ServiceChannelsOptions): ServiceChannels {
  const pools = new Map<string, Pool>();
  for (const config of options.packages) {
    pools.set(config.protoPackage, {
      next: 0,
      clients: config.addresses.map((address) => new Client(address, credentials.createInsecure(), channelOptions)),
    });
  }
  const retries = options.retries ?? 2;
  const retryable = new Map<string, boolean>();

  const once = <I extends DescMessage, O extends DescMessage, R>(
    client: Client,
    method: DescMethodUnary<I, O>,
    request: MessageShape<I>,
    callOptions: UnaryCallOptions<R>,
    deadline: number,
  ) =>
    new Promise<R>((resolve, reject) => {
      const call = client.makeUnaryRequest(
        `/${method.parent.typeName}/${method.name}`,
        (message: MessageShape<I>) => Buffer.from(toBinary(method.input, message)),
        callOptions.decode,
        request,
        callOptions.metadata,
        { deadline },
        (error: ServiceError | null, response?: R) => {
          if (error) reject(error);
          else resolve(response!);
        },
      );
      callOptions.signal?.addEventListener("abort", () => call.cancel(), { once: true });
    });

  return {
    async unary(method, input, callOptions) {
      const pool = pools.get(method.parent.file.proto.package);
      if (!pool || pool.clients.length === 0) {
        throw new DomainError("unimplemented", `no backend serves ${method.parent.typeName}`);
      }
      const path = `/${method.parent.typeName}/${method.name}`;
      let mayRetry = retryable.get(path);
      if (mayRetry === undefined) retryable.set(path, (mayRetry = options.retryable(path)));
      const request = create(method.input, input as MessageInitShape<typeof method.input>);
      const deadline = Date.now() + (callOptions.deadlineMs ?? options.deadlineMs);
      let unavailable: ServiceError | undefined;
      for (let attempt = 0; ; attempt++) {
        const client = pool.clients[pool.next++ % pool.clients.length]!;
        try {
          return await once(client, method, request, callOptions, deadline);
        } catch (error) {
          let failure = error as ServiceError;
          // A retry that ran out of time says less than the UNAVAILABLE that caused it: a client
          // told UNAVAILABLE knows to come back shortly (503 and Retry-After through the gateway).
          if (failure.code === GrpcStatus.DEADLINE_EXCEEDED && unavailable !== undefined) failure = unavailable;
          if (failure.code === GrpcStatus.UNAVAILABLE) unavailable = failure;
          const again =
            (mayRetry || hasIdempotencyKey(callOptions.metadata)) &&
            failure.code === GrpcStatus.UNAVAILABLE &&
            attempt < retries &&
            callOptions.signal?.aborted !== true &&
            Date.now() + backoffMs(attempt) < deadline;
          if (!again) throw peerError(failure, method.parent.typeName);
          await sleep(backoffMs(attempt));
        }
      }
    },
    async serving(deadlineMs) {
      const deadline = Date.now() + deadlineMs;
      const answers = await Promise.all(
        [...pools.entries()].map(async ([protoPackage, pool]) => {
          const checks = await Promise.all(pool.clients.map((client) => isServing(client, deadline)));
          return [protoPackage, checks.includes(true)] as const;
        }),
      );
      return Object.fromEntries(answers);
    },
    close() {
      for (const pool of pools.values()) for (const client of pool.clients) client.close();
      pools.clear();
    },
  };
}

/** Whether the process behind `client` answers grpc.health.v1 Check ("" is the whole server) SERVING before `deadline`. */
function isServing(client: Client, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      `/${Health.typeName}/${Health.method.check.name}`,
      (request: HealthCheckRequest) => Buffer.from(toBinary(HealthCheckRequestSchema, request)),
      (bytes: Buffer) => fromBinary(HealthCheckResponseSchema, bytes),
      create(HealthCheckRequestSchema, { service: "" }),
      new Metadata(),
      { deadline },
      (error: ServiceError | null, response?: HealthCheckResponse) =>
        resolve(error === null && response?.status === HealthCheckResponse_ServingStatus.SERVING),
    );
  });
}

/** 25, 50, 100 ms ... with jitter, so retries of many callers do not arrive together. */
function backoffMs(attempt: number): number {
  return 25 * 2 ** attempt * (0.5 + Math.random() / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a call carries an idempotency key: such a write may be sent again, as the service applies it once. */
function hasIdempotencyKey(metadata: Metadata): boolean {
  return metadata.get("idempotency-key").length > 0;
}
