import { Code, ConnectError } from "@connectrpc/connect";
import { asDatabaseUnavailable } from "@msp/db";
import { isDomainError } from "@msp/errors";
import { BadRequestSchema } from "@msp/proto/src/gen/es/google/rpc/error_details_pb";
import { asConnectError } from "./domain-to-connect";

/** gRPC status -> HTTP status, as ARCHITECTURE.md "Conventions" sets it. */
const httpStatusOf: Record<Code, number> = {
  [Code.Canceled]: 499,
  [Code.Unknown]: 500,
  [Code.InvalidArgument]: 400,
  [Code.DeadlineExceeded]: 504,
  [Code.NotFound]: 404,
  [Code.AlreadyExists]: 409,
  [Code.PermissionDenied]: 403,
  [Code.ResourceExhausted]: 429,
  [Code.FailedPrecondition]: 400,
  [Code.Aborted]: 409,
  [Code.OutOfRange]: 400,
  [Code.Unimplemented]: 501,
  [Code.Internal]: 500,
  [Code.Unavailable]: 503,
  [Code.DataLoss]: 500,
  [Code.Unauthenticated]: 401,
};

/** The JSON error body every REST error has. */
export interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>[];
}

/** snake_case code name, as the body shows it: Code.InvalidArgument -> "invalid_argument". */
export function codeName(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

/** A refusal decided by HTTP itself (405, 413, 415): no gRPC status says it as well. */
export class HttpError extends Error {
  override readonly name = "HttpError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Seconds a client is told to wait before trying again after a 503 (a service restarting, the
 * database away): services come back within seconds, and the gateway reconnects within half a second.
 */
export const retryAfterSeconds = "1";

/**
 * Turns anything thrown while serving a REST call into an HTTP status and body. Errors that
 * are not ConnectErrors are bugs in the gateway: the caller only learns "internal error". A
 * database that cannot be reached is 503, and every 503 says when to try again (Retry-After).
 */
export function toHttpError(error: unknown): { status: number; body: ErrorBody; unexpected: boolean; headers: Record<string, string> } {
  const answer = httpErrorOf(asDatabaseUnavailable(error));
  if (answer.status === 503) answer.headers = { "retry-after": retryAfterSeconds, ...answer.headers };
  return answer;
}

function httpErrorOf(error: unknown): { status: number; body: ErrorBody; unexpected: boolean; headers: Record<string, string> } {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      body: { code: error.code, message: error.message, details: [] },
      unexpected: false,
      headers: error.headers,
    };
  }
  if (isDomainError(error)) return httpErrorOf(asConnectError(error));
  if (!(error instanceof ConnectError)) {
    return { status: 500, body: { code: "internal", message: "internal error", details: [] }, unexpected: true, headers: {} };
  }
  const details: Record<string, unknown>[] = error.findDetails(BadRequestSchema).map((badRequest) => ({
    "@type": "type.googleapis.com/google.rpc.BadRequest",
    fieldViolations: badRequest.fieldViolations.map((v) => ({ field: v.field, description: v.description })),
  }));
  const internal = error.code === Code.Internal || error.code === Code.Unknown || error.code === Code.DataLoss;
  // When to try again, as the error's metadata says it (a throttled login): sent as Connect sends it.
  const retryAfter = error.metadata.get("retry-after");
  return {
    status: httpStatusOf[error.code],
    body: { code: codeName(error.code), message: internal ? "internal error" : error.rawMessage, details },
    unexpected: false,
    headers: retryAfter ? { "retry-after": retryAfter } : {},
  };
}

/** A 4xx the gateway itself decides (bad JSON, unknown route...), with the field when there is one. */
export function badRequest(message: string, field?: string): ConnectError {
  const error = new ConnectError(message, Code.InvalidArgument);
  return field ? withViolation(error, field, message) : error;
}

function withViolation(error: ConnectError, field: string, description: string): ConnectError {
  return new ConnectError(error.rawMessage, error.code, undefined, [
    { desc: BadRequestSchema, value: { fieldViolations: [{ field, description }] } },
  ]);
}
