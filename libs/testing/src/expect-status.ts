import type { ServiceError } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";

/**
 * Expects a gRPC call to fail with `code`, and its details to mention `mentions` (a substring or
 * a pattern). Returns the error so a test can look further. One helper for every service's tests,
 * so a refusal is asserted the same strict way everywhere: a success or another code fails.
 */
export async function expectStatus(promise: Promise<unknown>, code: status, mentions?: string | RegExp): Promise<ServiceError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${status[code]}, but the call succeeded`);
    },
    (e: unknown) => e as ServiceError,
  );
  if (error.code !== code) throw new Error(`expected ${status[code]}, got ${status[error.code] ?? error.code}: ${error.details}`);
  if (mentions !== undefined) expect(error.details).toMatch(mentions);
  return error;
}
