/** The closed set of error codes domain code may raise; each maps to one gRPC status. */
export type ErrorCode =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "failed_precondition"
  | "aborted"
  | "unauthenticated"
  | "permission_denied"
  | "resource_exhausted"
  | "unavailable"
  | "deadline_exceeded"
  | "cancelled"
  | "unimplemented"
  | "internal";

/** One broken rule on one request field, as google.rpc.BadRequest.FieldViolation names it. */
export interface FieldViolation {
  field: string;
  description: string;
}

/**
 * The one error class domain code throws. Its message is safe to show to callers; anything
 * else (driver errors, bugs) is turned into a generic INTERNAL error at the boundary.
 */
export class DomainError extends Error {
  override readonly name = "DomainError";

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly violations: readonly FieldViolation[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A request field broke a rule; the message names the field and the rule. */
export function invalidArgument(field: string, rule: string): DomainError {
  return new DomainError("invalid_argument", `${field}: ${rule}`, [{ field, description: rule }]);
}

/** Several request fields broke rules at once. */
export function invalidArguments(violations: readonly FieldViolation[]): DomainError {
  const message = violations.map((v) => `${v.field}: ${v.description}`).join("; ");
  return new DomainError("invalid_argument", message, violations);
}

export function notFound(resource: string, id: string): DomainError {
  return new DomainError("not_found", `${resource} ${id} not found`);
}

export function alreadyExists(message: string): DomainError {
  return new DomainError("already_exists", message);
}

export function failedPrecondition(message: string): DomainError {
  return new DomainError("failed_precondition", message);
}

/** An optimistic-concurrency conflict: the caller's etag is stale. */
export function aborted(message: string): DomainError {
  return new DomainError("aborted", message);
}

/** A method the service declares but does not answer (yet). */
export function unimplemented(message: string): DomainError {
  return new DomainError("unimplemented", message);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
