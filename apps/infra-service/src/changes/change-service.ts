import type { Handlers } from "@msp/grpc-kit";
import { invalidArgument } from "@msp/errors";
import type { ResourceStore } from "@msp/resource-kit";
import { standardMethods } from "@msp/resource-kit";
import type { CallerContext } from "@msp/service-client";
import type { InfrastructureChange } from "@msp/proto/src/gen/ts/msp/infra/v1/infrastructure_change";
import { InfrastructureChangeServiceService } from "@msp/proto/src/gen/ts/msp/infra/v1/infrastructure_change";
import type { WorkPeers } from "../work-peers";

/**
 * The work item and session a change names are checked with the work service; a change given only
 * its work item takes the work item's session, and one given both must name the work item's session.
 */
async function settleWorkIds(change: InfrastructureChange | undefined, work: WorkPeers, ctx: CallerContext): Promise<void> {
  if (!change) return;
  if (change.workItemId) {
    const session = await work.sessionOfWorkItem(ctx, change.workItemId, "infrastructure_change.work_item_id");
    if (!change.sessionId) change.sessionId = session;
    else if (change.sessionId.toLowerCase() !== session.toLowerCase()) {
      throw invalidArgument(
        "infrastructure_change.session_id",
        "is not the session of the work item (leave it out to take the work item's)",
      );
    }
  } else if (change.sessionId) {
    await work.sessions.require(ctx, change.sessionId, "infrastructure_change.session_id");
  }
}

export function changeHandlers(
  store: ResourceStore<InfrastructureChange>,
  work: WorkPeers,
): Handlers<typeof InfrastructureChangeServiceService> {
  const standard = standardMethods(InfrastructureChangeServiceService, store, {
    singular: "InfrastructureChange",
    plural: "InfrastructureChanges",
  });
  return {
    ...standard,
    createInfrastructureChange: async (request, ctx) => {
      await settleWorkIds(request.infrastructureChange, work, ctx);
      return standard.createInfrastructureChange(request, ctx);
    },
    updateInfrastructureChange: async (request, ctx) => {
      await settleWorkIds(request.infrastructureChange, work, ctx);
      return standard.updateInfrastructureChange(request, ctx);
    },
  };
}
