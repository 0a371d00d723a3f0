import { randomUUID } from "node:crypto";
import type { Metadata, ServerUnaryCall } from "@grpc/grpc-js";
import type { Principal } from "@msp/auth";
import type { Logger } from "@msp/logging";
import type { AnswerKeeper } from "./idempotency";

/** Per-call data every handler gets: who is calling, which method, a request id, a logger. */
export interface CallContext {
  requestId: string;
  /** The service process answering, such as work-service. */
  service: string;
  /** The full RPC name, such as msp.work.v1.ClientService/CreateClient. */
  method: string;
  /** Who is calling, for audit rows: the username (and key id for an API key); "anonymous" on public methods. */
  principal: string;
  /** The verified caller; absent only on the public methods (CreateToken, RefreshToken). */
  auth?: Principal | undefined;
  sourceIp?: string | undefined;
  /** The HTTP client's User-Agent the gateway forwarded, else the gRPC caller's own. */
  userAgent?: string | undefined;
  logger: Logger;
  /**
   * On a write sent with an idempotency key: records `answer`, the call's whole answer, inside the
   * transaction of its write, so that a retry gets it even when the process ends right after the
   * commit (the resource kit's standard Create and Update do). Without it the answer is kept just
   * after the commit.
   */
  keepAnswer?: AnswerKeeper | undefined;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** Takes the caller's x-request-id when it is sane, else makes one. */
export function requestIdOf(metadata: Metadata): string {
  const given = metadata.get("x-request-id")[0];
  return typeof given === "string" && requestIdPattern.test(given) ? given : randomUUID();
}

/** The client's user agent: what the gateway forwarded, else the gRPC client's; at most 255 characters. */
export function userAgentOf(metadata: Metadata): string | undefined {
  const forwarded = metadata.get("x-forwarded-user-agent")[0] ?? metadata.get("user-agent")[0];
  return typeof forwarded === "string" ? forwarded.slice(0, 255) : undefined;
}

/** The peer address without the port, for audit events. */
export function sourceIpOf(call: ServerUnaryCall<unknown, unknown>, metadata: Metadata): string | undefined {
  const forwarded = metadata.get("x-forwarded-for")[0];
  if (typeof forwarded === "string" && forwarded.length <= 64) return forwarded.split(",")[0]?.trim();
  const peer = call.getPeer();
  const match = /^(?:ipv4:|ipv6:)?\[?([^\]]+?)\]?:\d+$/.exec(peer);
  return match?.[1] ?? peer;
}
