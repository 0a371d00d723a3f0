import { fromBinary } from "@bufbuild/protobuf";
import type { ServiceError } from "@grpc/grpc-js";
import { status as GrpcStatus } from "@grpc/grpc-js";
import type { FieldViolation } from "@msp/errors";
import { DomainError, errorCodeOfStatus } from "@msp/errors";
import { BadRequestSchema } from "@msp/proto/src/gen/es/google/rpc/error_details_pb";
import { StatusSchema } from "@msp/proto/src/gen/es/google/rpc/status_pb";

/**
 * What another service answered, as a DomainError of the one vocabulary: its code, its message
 * and its field violations (from `grpc-status-details-bin`). Transport failures get a message of
 * their own: grpc-js's would name internal addresses; a service's own answer (an UNAVAILABLE
 * because a service it asked is down) keeps its message.
 */
export function peerError(error: ServiceError, service: string): DomainError {
  // grpc-kit sends x-request-id with every answer: a status without it came from the transport.
  const answered = (error.metadata?.get("x-request-id").length ?? 0) > 0;
  if (answered) return answeredError(error);
  if (error.code === GrpcStatus.UNAVAILABLE) {
    return new DomainError("unavailable", `${service} is unavailable; try again shortly`, [], { cause: error });
  }
  if (error.code === GrpcStatus.DEADLINE_EXCEEDED) {
    return new DomainError("deadline_exceeded", `${service} did not answer in time`, [], { cause: error });
  }
  if (error.code === GrpcStatus.CANCELLED) return new DomainError("cancelled", "the call was cancelled", [], { cause: error });
  return answeredError(error);
}

/** A status the service itself answered: its message was written for callers (grpc-kit's boundary). */
function answeredError(error: ServiceError): DomainError {
  const code = errorCodeOfStatus(error.code);
  // An internal error's message stays behind: the answering service scrubbed it already, but a
  // transport's (UNKNOWN, DATA_LOSS) may not be.
  const message = code === "internal" ? "internal error" : error.details;
  return new DomainError(code, message, violationsOf(error), { cause: error });
}

function violationsOf(error: ServiceError): FieldViolation[] {
  const trailer = error.metadata?.get("grpc-status-details-bin")[0];
  if (!Buffer.isBuffer(trailer)) return [];
  try {
    return fromBinary(StatusSchema, trailer)
      .details.filter((detail) => detail.typeUrl.endsWith("/google.rpc.BadRequest"))
      .flatMap((detail) => fromBinary(BadRequestSchema, detail.value).fieldViolations)
      .map((v) => ({ field: v.field, description: v.description }));
  } catch {
    // Unreadable details: the code and message still say what went wrong.
    return [];
  }
}
