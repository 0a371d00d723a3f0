import type { CallerContext, PeerClients, PeerIds } from "@msp/service-client";
import { createPeerIds } from "@msp/service-client";
import { invalidArgument, isDomainError } from "@msp/errors";
import { ClientService } from "@msp/proto/src/gen/es/msp/work/v1/client_pb";
import { SessionService } from "@msp/proto/src/gen/es/msp/work/v1/session_pb";
import { TagService } from "@msp/proto/src/gen/es/msp/work/v1/tag_pb";
import { WorkItemService } from "@msp/proto/src/gen/es/msp/work/v1/work_item_pb";
import { TagCategory } from "@msp/proto/src/gen/es/msp/work/v1/tag_pb";

const tagPattern = /^[a-z0-9][a-z0-9._+#-]{0,63}$/;

/**
 * What the infrastructure service asks the work service, which owns clients, sessions, work items
 * and tags: ids are checked there (never by reading its tables), found ids kept a minute.
 */
export interface WorkPeers {
  clients: PeerIds;
  sessions: PeerIds;
  /** The session of a work item; INVALID_ARGUMENT naming `field` when there is no such work item. */
  sessionOfWorkItem(ctx: CallerContext, id: string, field: string): Promise<string>;
  /** The id and stored name of a tag, created (category infrastructure) when it does not exist yet. */
  tag(ctx: CallerContext, name: string): Promise<{ id: string; name: string }>;
}

export function createWorkPeers(peers: PeerClients): WorkPeers {
  return {
    clients: createPeerIds((ctx, id) => peers.call(ctx, ClientService.method.getClient, { id }), { what: "client" }),
    sessions: createPeerIds((ctx, id) => peers.call(ctx, SessionService.method.getSession, { id }), { what: "work session" }),
    async sessionOfWorkItem(ctx, id, field) {
      try {
        const item = await peers.call(ctx, WorkItemService.method.getWorkItem, { id });
        return item.sessionId ?? "";
      } catch (error) {
        if (isDomainError(error) && (error.code === "not_found" || error.code === "invalid_argument")) {
          throw invalidArgument(field, "no work item with this id");
        }
        throw error;
      }
    },
    async tag(ctx, given) {
      const name = given.trim().toLowerCase();
      if (!tagPattern.test(name)) {
        throw invalidArgument("tag", "must be 1-64 characters: letters, digits and . _ + # - (starting with a letter or digit)");
      }
      const found = await peers.call(ctx, TagService.method.listTags, { pageSize: 1, filter: `name = "${name}"` });
      const existing = found.tags[0];
      if (existing) return { id: existing.id, name: existing.name ?? name };
      try {
        const created = await peers.call(ctx, TagService.method.createTag, { tag: { name, category: TagCategory.INFRASTRUCTURE } });
        return { id: created.id, name: created.name ?? name };
      } catch (error) {
        // Created by someone else meanwhile: read it.
        if (!isDomainError(error) || error.code !== "already_exists") throw error;
        const again = await peers.call(ctx, TagService.method.listTags, { pageSize: 1, filter: `name = "${name}"` });
        if (!again.tags[0]) throw error;
        return { id: again.tags[0].id, name: again.tags[0].name ?? name };
      }
    },
  };
}
