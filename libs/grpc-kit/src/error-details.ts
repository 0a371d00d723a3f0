import { create, toBinary } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import type { PublicError } from "@msp/errors";
import { BadRequestSchema } from "@msp/proto/src/gen/es/google/rpc/error_details_pb";
import { StatusSchema } from "@msp/proto/src/gen/es/google/rpc/status_pb";

/**
 * The standard `grpc-status-details-bin` trailer: a google.rpc.Status carrying a BadRequest
 * with one FieldViolation per broken rule, so clients (and the gateway) can point at fields.
 */
export function errorDetails(error: PublicError): Buffer {
  const badRequest = create(BadRequestSchema, {
    fieldViolations: error.violations.map((v) => ({ field: v.field, description: v.description })),
  });
  const status = create(StatusSchema, { code: error.code, message: error.message, details: [anyPack(BadRequestSchema, badRequest)] });
  return Buffer.from(toBinary(StatusSchema, status));
}
