import type { handleUnaryCall, sendUnaryData, ServerUnaryCall, ServiceDefinition } from "@grpc/grpc-js";
import { Metadata } from "@grpc/grpc-js";
import type { Logger } from "@msp/logging";
import { toPublicError } from "@msp/errors";
import type { CallContext } from "./call-context";
import { requestIdOf, sourceIpOf } from "./call-context";
import { errorDetails } from "./error-details";

/** A generated grpc-js service definition (ts-proto `outputServices=grpc-js`). */
export type ServiceDef = Record<
  string,
  {
    path: string;
    requestStream: boolean;
    responseStream: boolean;
    requestDeserialize: (b: Buffer) => unknown;
    responseSerialize: (v: never) => Buffer;
  }
>;

/** The async handlers of a service: request and context in, response (or a thrown error) out. */
export type Handlers<D extends ServiceDef> = {
  [K in keyof D]: D[K] extends { requestDeserialize: (b: Buffer) => infer Req; responseSerialize: (v: infer Res) => Buffer }
    ? (request: Req, ctx: CallContext) => Promise<Res>
    : never;
};

/** A service ready to register: its definition, its fully-qualified name and its handlers. */
export interface ServiceRegistration {
  name: string;
  definition: ServiceDefinition;
  implementation: Record<string, handleUnaryCall<unknown, unknown>>;
}

/**
 * Wraps async handlers into grpc-js unary handlers. This is the one boundary where errors are
 * mapped: DomainErrors keep their code and message, anything else becomes INTERNAL "internal
 * error" and is logged here with its stack, never sent.
 */
export function serviceOf<D extends ServiceDef>(
  definition: D,
  handlers: Handlers<D>,
  serviceName: string,
  logger: Logger,
): ServiceRegistration {
  const implementation: Record<string, handleUnaryCall<unknown, unknown>> = {};
  const fullName = Object.values(definition)[0]?.path.split("/")[1] ?? "";
  for (const [key, method] of Object.entries(definition)) {
    const handler = handlers[key] as (request: unknown, ctx: CallContext) => Promise<unknown>;
    const methodName = method.path.slice(1);
    implementation[key] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      const requestId = requestIdOf(call.metadata);
      const ctx: CallContext = {
        requestId,
        service: serviceName,
        method: methodName,
        principal: "anonymous",
        sourceIp: sourceIpOf(call, call.metadata),
        logger,
      };
      const trailer = new Metadata();
      trailer.set("x-request-id", requestId);
      const started = performance.now();
      handler(call.request, ctx).then(
        (response) => {
          callback(null, response, trailer);
        },
        (error: unknown) => {
          const publicError = toPublicError(error);
          const ms = Math.round((performance.now() - started) * 10) / 10;
          if (publicError.unexpected) {
            logger.error({ err: error, requestId, method: methodName, ms }, "unexpected error");
          } else {
            logger.info({ requestId, method: methodName, code: publicError.code, message: publicError.message, ms }, "request refused");
          }
          if (publicError.violations.length > 0) trailer.set("grpc-status-details-bin", errorDetails(publicError));
          callback({ code: publicError.code, details: publicError.message, metadata: trailer }, null);
        },
      );
    };
  }
  return { name: fullName, definition: definition as unknown as ServiceDefinition, implementation };
}
