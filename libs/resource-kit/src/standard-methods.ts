import type { AnswerKeeper, Handlers, ServiceDef } from "@msp/grpc-kit";
import type { ListRequest, ResourceStore } from "./resource";
import type { MutationContext } from "./audit-outbox";

/** How a resource's standard RPCs are named in its proto service: Client / Clients. */
export interface ResourceNames<S extends string = string, P extends string = string> {
  singular: S;
  plural: P;
}

/** The five standard methods of a resource, as ts-proto names them: getClient, listClients, createClient, updateClient, deleteClient. */
export type StandardMethodName<S extends string, P extends string> = `get${S}` | `list${P}` | `create${S}` | `update${S}` | `delete${S}`;

/** The handlers of the standard methods of service `D` whose resource is named S / P. */
export type StandardHandlers<D extends ServiceDef, S extends string, P extends string> = Pick<
  Handlers<D>,
  StandardMethodName<S, P> & keyof D
>;

/** The call's context as the standard methods use it: who is calling, and (with an idempotency key) where its answer is kept. */
type StandardContext = MutationContext & { keepAnswer?: AnswerKeeper | undefined };

type Handler = (request: never, ctx: StandardContext) => Promise<unknown>;

/**
 * The standard RPC handlers of a resource (GetClient, ListClients, CreateClient, UpdateClient,
 * DeleteClient: those its service has; API keys have no Update), typed against the service
 * definition: a misspelled name does not compile (the service must have `get<Singular>`), and
 * the service's own handler list then misses what was not made. All delegate to the store.
 */
export function standardMethods<D extends ServiceDef, S extends string, P extends string>(
  definition: D & Record<`get${S}`, unknown>,
  store: ResourceStore<unknown>,
  names: ResourceNames<S, P>,
): StandardHandlers<D, S, P>;
export function standardMethods(definition: ServiceDef, store: ResourceStore<unknown>, names: ResourceNames): Record<string, unknown> {
  const singular = names.singular;
  const field = lowerFirst(singular);
  const listField = lowerFirst(names.plural);
  const handlers: Record<string, Handler> = {
    [`get${singular}`]: (request: { id: string }) => store.get(request.id),
    [`list${names.plural}`]: async (request: ListRequest) => {
      const page = await store.list(request);
      return { [listField]: page.items, nextPageToken: page.nextPageToken };
    },
    // A create's or update's answer is the record itself: kept with the write when the call has an idempotency key.
    [`create${singular}`]: (request: Record<string, unknown>, ctx: StandardContext) =>
      store.create(request[field], ctx, undefined, { keepAnswer: ctx.keepAnswer }),
    [`update${singular}`]: (request: Record<string, unknown>, ctx: StandardContext) =>
      store.update(request[field], request["updateMask"] as string[] | undefined, ctx, undefined, { keepAnswer: ctx.keepAnswer }),
    [`delete${singular}`]: async (request: { id: string; etag: string }, ctx: StandardContext) => {
      await store.delete(request.id, request.etag, ctx);
      return {};
    },
  };
  if (!(`get${singular}` in definition)) throw new Error(`the service definition has no method get${singular}`);
  return Object.fromEntries(Object.entries(handlers).filter(([name]) => name in definition));
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
