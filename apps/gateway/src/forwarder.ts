import { randomUUID } from "node:crypto";
import type { DescMessage, DescMethodUnary, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { fromBinary } from "@bufbuild/protobuf";
import type { AuthGate } from "./auth-gate";
import type { Backends } from "./backends";
import { jsonWriterOf } from "./json-writer";

/** Calls after which cached token and API key answers may be wrong: revocations, and changes to keys and users. */
const revokingPaths = new Set([
  "/msp.identity.v1.AuthService/RevokeToken",
  "/msp.identity.v1.ApiKeyService/RevokeApiKey",
  "/msp.identity.v1.ApiKeyService/DeleteApiKey",
  "/msp.identity.v1.UserService/UpdateUser",
  "/msp.identity.v1.UserService/DeleteUser",
]);

/** What the HTTP side knows about a call before forwarding it. */
export interface IncomingCall {
  authorization: string | undefined;
  requestId: string | undefined;
  clientIp: string | undefined;
  /** The HTTP client's User-Agent, forwarded for access logs (the vault's). */
  userAgent?: string | undefined;
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
    const forwarding = await gate.check(path, call.authorization);
    const headers = new Headers();
    if (forwarding.authorization) headers.set("authorization", forwarding.authorization);
    headers.set("x-request-id", call.requestId && requestIdPattern.test(call.requestId) ? call.requestId : randomUUID());
    if (call.clientIp) headers.set("x-forwarded-for", call.clientIp);
    if (call.userAgent) headers.set("x-forwarded-user-agent", call.userAgent.slice(0, 255));
    const response = await backends.unary(method, input, headers, decode, call.signal);
    if (revokingPaths.has(path)) gate.forgetRevocations();
    return response;
  };
  return {
    message: (method, input, call) => forward(method, input, call, (bytes) => fromBinary(method.output, bytes)),
    json: (method, input, call) => forward(method, input, call, jsonWriterOf(method.output)),
  };
}
