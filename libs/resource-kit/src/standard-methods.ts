import type { ListRequest, ResourceStore } from "./resource";
import type { MutationContext } from "./audit-outbox";

/** How a resource's standard RPCs are named in its proto service: Client / Clients. */
export interface ResourceNames {
  singular: string;
  plural: string;
}

type Handler = (request: never, ctx: MutationContext) => Promise<unknown>;

/**
 * The five standard RPC handlers of a resource (GetClient, ListClients, CreateClient,
 * UpdateClient, DeleteClient), named as ts-proto names them, all delegating to the store.
 */
export function standardMethods<M>(store: ResourceStore<M>, names: ResourceNames): Record<string, Handler> {
  const singular = names.singular;
  const field = lowerFirst(singular);
  const listField = lowerFirst(names.plural);
  return {
    [`get${singular}`]: (request: { id: string }) => store.get(request.id),
    [`list${names.plural}`]: async (request: ListRequest) => {
      const page = await store.list(request);
      return { [listField]: page.items, nextPageToken: page.nextPageToken };
    },
    [`create${singular}`]: (request: Record<string, M | undefined>, ctx: MutationContext) => store.create(request[field], ctx),
    [`update${singular}`]: (request: Record<string, unknown>, ctx: MutationContext) =>
      store.update(request[field] as M | undefined, request["updateMask"] as string[] | undefined, ctx),
    [`delete${singular}`]: async (request: { id: string; etag: string }, ctx: MutationContext) => {
      await store.delete(request.id, request.etag, ctx);
      return {};
    },
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
