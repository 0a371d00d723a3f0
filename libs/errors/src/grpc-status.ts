import { status as GrpcStatus } from "@grpc/grpc-js";
import type { ErrorCode } from "./domain-error";
import { isDomainError } from "./domain-error";

const statusOf: Record<ErrorCode, GrpcStatus> = {
  invalid_argument: GrpcStatus.INVALID_ARGUMENT,
  not_found: GrpcStatus.NOT_FOUND,
  already_exists: GrpcStatus.ALREADY_EXISTS,
  failed_precondition: GrpcStatus.FAILED_PRECONDITION,
  aborted: GrpcStatus.ABORTED,
  unauthenticated: GrpcStatus.UNAUTHENTICATED,
  permission_denied: GrpcStatus.PERMISSION_DENIED,
  resource_exhausted: GrpcStatus.RESOURCE_EXHAUSTED,
  unavailable: GrpcStatus.UNAVAILABLE,
  deadline_exceeded: GrpcStatus.DEADLINE_EXCEEDED,
  cancelled: GrpcStatus.CANCELLED,
  unimplemented: GrpcStatus.UNIMPLEMENTED,
  internal: GrpcStatus.INTERNAL,
};

/** What a caller is told about an error; never a stack, SQL or secret. */
export interface PublicError {
  code: GrpcStatus;
  message: string;
  violations: readonly { field: string; description: string }[];
  /** True when the error was not a DomainError and the caller only sees "internal error". */
  unexpected: boolean;
}

/** The one mapping from anything thrown in a handler to what the caller sees. */
export function toPublicError(error: unknown): PublicError {
  if (isDomainError(error)) {
    return { code: statusOf[error.code], message: error.message, violations: error.violations, unexpected: false };
  }
  return { code: GrpcStatus.INTERNAL, message: "internal error", violations: [], unexpected: true };
}

/**
 * A gRPC status received from another service, in the one error vocabulary: the codes domain
 * code raises keep their meaning; OUT_OF_RANGE reads as invalid_argument, and UNKNOWN, DATA_LOSS
 * or anything else as internal.
 */
export function errorCodeOfStatus(status: GrpcStatus): ErrorCode {
  return codeOfStatus.get(status) ?? (status === GrpcStatus.OUT_OF_RANGE ? "invalid_argument" : "internal");
}

const codeOfStatus = new Map<GrpcStatus, ErrorCode>(Object.entries(statusOf).map(([code, value]) => [value, code as ErrorCode]));
