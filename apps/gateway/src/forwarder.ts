import { randomUUID } from "node:crypto";
import type { DescMessage, DescMethodUnary, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { fromBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { asDatabaseUnavailable } from "@msp/db";
import { isDomainError } from "@msp/errors";
import { idempotencyKeyMetadata, idempotencyKeyProblem } from "@msp/grpc-kit";
import type { AuthGate } from "./auth-gate";
import type { Backends } from "./backends";
import { asConnectError } from "./domain-to-connect";
import { badRequest, retryAfterSeconds } from "./http-errors";
import { jsonWriterOf } from "./json-writer";

/** What the HTTP side knows about a call before forwarding it. */
export interface IncomingCall {
  authorization: string | undefined;
  requestId: string | undefined;
  clientIp: string | undefined;
  /** The HTTP client's User-Agent, forwarded for access logs (the vault's). */
  userAgent?: string | undefined;
  /** The `Idempotency-Key` header: a write with one is applied once, and a retry gets its first answer. */
  idempotencyKey?: string | undefined;
  signal?: AbortSignal;
}

type Forward<R> = <I extends DescMessage, O extends DescMessage>(
  method: DescMethodUnary<I, O>,
  input: MessageInitShape<I>,
  call: IncomingCall,
) => Promise<R extends "message" ? MessageShape<O> : Buffer>;

/** Checks the caller, then calls the owning service over gRPC: the one path REST and Connect share. */
export interface Forwarder {
  /** The answer as a message, for Connect and gRPC-web. */
  message: Forward<"message">;
  /** The answer as proto3 JSON in UTF-8, written straight from its encoding (json-writer.ts), for REST. */
  json: Forward<"json">;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

export function createForwarder(gate: AuthGate, backends: Backends): Forwarder {
  const forward = async <I extends DescMessage, O extends DescMessage, R>(
    method: DescMethodUnary<I, O>,
    input: MessageInitShape<I>,
    call: IncomingCall,
    decode: (bytes: Buffer) => R,
  ): Promise<R> => {
    const path = `/${method.parent.typeName}/${method.name}`;
    const forwarding = await gate.check(path, call.authorization, call.clientIp);
    const headers = new Headers();
    if (forwarding.authorization) headers.set("authorization", forwarding.authorization);
    headers.set("x-request-id", call.requestId && requestIdPattern.test(call.requestId) ? call.requestId : randomUUID());
    if (call.clientIp) headers.set("x-forwarded-for", call.clientIp);
    if (call.userAgent) headers.set("x-forwarded-user-agent", call.userAgent.slice(0, 255));
    if (call.idempotencyKey !== undefined) headers.set(idempotencyKeyMetadata, checkedIdempotencyKey(call.idempotencyKey));
    // The identity services tell the gate themselves when a token may have ended (start-gateway.ts).
    return await backends.unary(method, input, headers, decode, call.signal);
  };
  // Both ways in (REST and Connect) hear an unreachable database or service as UNAVAILABLE with
  // a Retry-After: the gate reads the database in this process (API keys, revocations).
  const answered = async <I extends DescMessage, O extends DescMessage, R>(
    method: DescMethodUnary<I, O>,
    input: MessageInitShape<I>,
    call: IncomingCall,
    decode: (bytes: Buffer) => R,
  ): Promise<R> => {
    try {
      return await forward(method, input, call, decode);
    } catch (error) {
      throw withRetryAfter(error);
    }
  };
  return {
    message: (method, input, call) => answered(method, input, call, (bytes) => fromBinary(method.output, bytes)),
    json: (method, input, call) => answered(method, input, call, jsonWriterOf(method.output)),
  };
}

/** The key as sent, or 400 naming the rule it breaks (the services check it again). */
function checkedIdempotencyKey(key: string): string {
  const problem = idempotencyKeyProblem(key);
  if (problem !== undefined) throw badRequest(`Idempotency-Key: ${problem}`, "Idempotency-Key");
  return key;
}

/**
 * An UNAVAILABLE (a service, or the database, away for now) as a ConnectError carrying
 * Retry-After, which Connect sends as a response header; any other error unchanged.
 */
function withRetryAfter(error: unknown): unknown {
  const mapped = asDatabaseUnavailable(error);
  const unavailable =
    (mapped instanceof ConnectError && mapped.code === Code.Unavailable) || (isDomainError(mapped) && mapped.code === "unavailable");
  if (!unavailable) return mapped;
  const connectError = asConnectError(mapped);
  connectError.metadata.set("retry-after", retryAfterSeconds);
  return connectError;
}
