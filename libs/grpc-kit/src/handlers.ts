import type { handleUnaryCall, sendUnaryData, ServerUnaryCall, ServiceDefinition } from "@grpc/grpc-js";
import { Metadata } from "@grpc/grpc-js";
import type { Authenticator, Principal } from "@msp/auth";
import { authorize, methodPolicy, principalName } from "@msp/auth";
import type { Logger } from "@msp/logging";
import { asDatabaseUnavailable } from "@msp/db";
import { toPublicError } from "@msp/errors";
import type { CallContext } from "./call-context";
import { requestIdOf, sourceIpOf, userAgentOf } from "./call-context";
import { errorDetails } from "./error-details";
import type { Idempotency } from "./idempotency";
import { answerOnce, idempotencyKeyOf } from "./idempotency";

/** A generated grpc-js service definition (ts-proto `outputServices=grpc-js`). */
export type ServiceDef = ServiceDefinition;

/** The async handlers of a service: request and context in, response (or a thrown error) out. */
export type Handlers<D extends ServiceDef> = {
  [K in keyof D]: D[K] extends { requestDeserialize: (b: Buffer) => infer Req; responseSerialize: (v: infer Res) => Buffer }
    ? (request: Req, ctx: CallContext) => Promise<Res>
    : never;
};

/**
 * Called when an authenticated caller is refused a method by its policy (role or scope), before
 * the refusal is sent: a vault logs refused reveals. What it throws replaces the refusal.
 */
export type RefusalHook = (methodName: string, request: unknown, ctx: CallContext, refusal: unknown) => Promise<void>;

/** How a service is served besides its handlers. */
export interface ServeOptions {
  onRefused?: RefusalHook;
  /**
   * Write methods (handler names, such as createApiKey) whose answer holds a secret shown only
   * once: with an idempotency key they are still applied once, but their answer is never kept, and
   * a retry is told the request was made (ALREADY_EXISTS).
   */
  secretAnswers?: readonly string[];
}

/** What the server gives every service it serves (service-runtime): the service's idempotency keys. */
export interface ServerSupport {
  idempotency?: Idempotency;
}

/** A service ready to register: its definition, its fully-qualified name and its handlers. */
export interface ServiceRegistration {
  name: string;
  definition: ServiceDefinition;
  /**
   * The grpc-js handlers, each checking its caller with `authenticator` before the handler
   * runs. The server binds them, so no service can be registered without authentication.
   */
  bind(authenticator: Authenticator): Record<string, handleUnaryCall<unknown, unknown>>;
}

/**
 * Wraps async handlers into grpc-js unary handlers. Every call is authenticated first (token,
 * revocation, role, scope: the policy its proto declares, see @msp/auth) except public methods
 * (logging in), and the principal
 * travels in the CallContext. This is the one boundary where errors are mapped: DomainErrors
 * keep their code and message, a database that cannot be reached is UNAVAILABLE (@msp/db
 * isDatabaseUnavailable), anything else becomes INTERNAL "internal error" and is logged here
 * with its stack, never sent.
 */
export function serviceOf<D extends ServiceDef>(
  definition: D,
  handlers: Handlers<D>,
  serviceName: string,
  logger: Logger,
  options: ServeOptions = {},
  support: ServerSupport = {},
): ServiceRegistration {
  const fullName = Object.values(definition)[0]?.path.split("/")[1] ?? "";
  const secretAnswers = new Set(options.secretAnswers ?? []);
  for (const name of secretAnswers) if (!(name in definition)) throw new Error(`secretAnswers names ${name}, which ${fullName} lacks`);
  const bind = (authenticator: Authenticator) => {
    const implementation: Record<string, handleUnaryCall<unknown, unknown>> = {};
    for (const [key, method] of Object.entries(definition)) {
      const handler = handlers[key] as (request: unknown, ctx: CallContext) => Promise<unknown>;
      const methodName = method.path.slice(1);
      const policy = methodPolicy(method.path);
      const open = policy.access === "public";
      // Writes take an idempotency key; reads need none (they are safe to repeat), nor public methods.
      const idempotency = policy.access === "write" ? support.idempotency : undefined;
      implementation[key] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        const requestId = requestIdOf(call.metadata);
        const trailer = new Metadata();
        trailer.set("x-request-id", requestId);
        const started = performance.now();
        const contextFor = (auth: Principal | undefined): CallContext => ({
          requestId,
          service: serviceName,
          method: methodName,
          principal: auth === undefined ? "anonymous" : principalName(auth),
          auth,
          sourceIp: sourceIpOf(call, call.metadata),
          userAgent: userAgentOf(call.metadata),
          logger,
        });
        const onRefused = options.onRefused;
        // The handler, once the caller is known: with an idempotency key, applied once (idempotency.ts).
        const serve = (auth: Principal): Promise<unknown> => {
          const ctx = contextFor(auth);
          const idempotencyKey = idempotency === undefined ? undefined : idempotencyKeyOf(call.metadata);
          if (idempotency === undefined || idempotencyKey === undefined) return handler(call.request, ctx);
          const keyed = {
            key: idempotencyKey,
            caller: auth,
            method: methodName,
            request: method.requestSerialize(call.request),
            keepsAnswer: !secretAnswers.has(key),
            encode: (answer: unknown) => method.responseSerialize(answer),
            decode: (bytes: Buffer) => method.responseDeserialize(bytes) as unknown,
          };
          return answerOnce(idempotency, keyed, (keepAnswer) => handler(call.request, { ...ctx, keepAnswer }));
        };
        const answer = open
          ? handler(call.request, contextFor(undefined))
          : onRefused === undefined
            ? authenticator.authenticate(authorizationOf(call.metadata), policy).then(serve)
            : authenticator.identify(authorizationOf(call.metadata)).then(async (auth) => {
                try {
                  authorize(auth, policy);
                } catch (refusal) {
                  await onRefused(key, call.request, contextFor(auth), refusal);
                  throw refusal;
                }
                return serve(auth);
              });
        answer
          .then(
            (response) => {
              callback(null, response, trailer);
            },
            (error: unknown) => {
              // A database that cannot be reached is UNAVAILABLE (try again shortly), not a bug.
              const publicError = toPublicError(asDatabaseUnavailable(error));
              const ms = Math.round((performance.now() - started) * 10) / 10;
              if (publicError.unexpected) {
                logger.error({ err: error, requestId, method: methodName, ms }, "unexpected error");
              } else {
                // A request log: LOG_LEVEL=debug shows it (the caller got the reason already).
                logger.debug(
                  { requestId, method: methodName, code: publicError.code, message: publicError.message, ms },
                  "request refused",
                );
              }
              if (publicError.violations.length > 0) trailer.set("grpc-status-details-bin", errorDetails(publicError));
              callback({ code: publicError.code, details: wellFormed(publicError.message), metadata: trailer }, null);
            },
          )
          // Nothing a caller sends may stop the process: an answer that cannot be sent is logged.
          .catch((error: unknown) => logger.error({ err: error, requestId, method: methodName }, "could not send the answer"));
      };
    }
    return implementation;
  };
  return { name: fullName, definition, bind };
}

/**
 * The message with every lone UTF-16 surrogate replaced by U+FFFD. grpc-js percent-encodes the
 * status message with encodeURI, which throws on a lone surrogate, and messages quote what the
 * caller sent (a filter's "unexpected character" can be half of an emoji).
 */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** The caller's `authorization` metadata, if it sent exactly one as text. */
function authorizationOf(metadata: Metadata): string | undefined {
  const values = metadata.get("authorization");
  const first = values[0];
  return values.length === 1 && typeof first === "string" ? first : undefined;
}
