import { Code, ConnectError } from "@connectrpc/connect";
import type { ErrorCode } from "@msp/errors";
import { isDomainError } from "@msp/errors";
import { BadRequestSchema } from "@msp/proto/src/gen/es/google/rpc/error_details_pb";

const codeOf: Record<ErrorCode, Code> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  failed_precondition: Code.FailedPrecondition,
  aborted: Code.Aborted,
  unauthenticated: Code.Unauthenticated,
  permission_denied: Code.PermissionDenied,
  resource_exhausted: Code.ResourceExhausted,
  unavailable: Code.Unavailable,
  deadline_exceeded: Code.DeadlineExceeded,
  cancelled: Code.Canceled,
  unimplemented: Code.Unimplemented,
  internal: Code.Internal,
};

/**
 * The gateway's own error boundary for Connect: DomainErrors (its own, and those a backend
 * answered with, field violations included) and ConnectErrors pass with their code and message;
 * anything else becomes "internal error" (the original stays in the logs).
 */
export function asConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (isDomainError(error)) {
    const details =
      error.violations.length === 0
        ? []
        : [
            {
              desc: BadRequestSchema,
              value: { fieldViolations: error.violations.map((v) => ({ field: v.field, description: v.description })) },
            },
          ];
    return new ConnectError(error.message, codeOf[error.code], undefined, details);
  }
  return new ConnectError("internal error", Code.Internal, undefined, undefined, error);
}
