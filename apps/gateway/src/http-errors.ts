import { Code, ConnectError } from "@connectrpc/connect";
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
 * Turns anything thrown while serving a REST call into an HTTP status and body. Errors that
 * are not ConnectErrors are bugs in the gateway: the caller only learns "internal error".
 */
export function toHttpError(error: unknown): { status: number; body: ErrorBody; unexpected: boolean; headers: Record<string, string> } {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      body: { code: error.code, message: error.message, details: [] },
      unexpected: false,
      headers: error.headers,
    };
  }
  if (isDomainError(error)) return toHttpError(asConnectError(error));
  if (!(error instanceof ConnectError)) {
    return { status: 500, body: { code: "internal", message: "internal error", details: [] }, unexpected: true, headers: {} };
  }
  const details: Record<string, unknown>[] = error.findDetails(BadRequestSchema).map((badRequest) => ({
    "@type": "type.googleapis.com/google.rpc.BadRequest",
    fieldViolations: badRequest.fieldViolations.map((v) => ({ field: v.field, description: v.description })),
  }));
  const internal = error.code === Code.Internal || error.code === Code.Unknown || error.code === Code.DataLoss;
  return {
    status: httpStatusOf[error.code],
    body: { code: codeName(error.code), message: internal ? "internal error" : error.rawMessage, details },
    unexpected: false,
    headers: {},
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
