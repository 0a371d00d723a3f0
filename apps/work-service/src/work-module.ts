import type { Database } from "@msp/db";
import type { Handlers, ServiceRegistration } from "@msp/grpc-kit";
import { serviceOf } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import type { ResourceStore } from "@msp/resource-kit";
import { createResourceStore, standardMethods } from "@msp/resource-kit";
import type { ServiceModule } from "@msp/service-runtime";
import type { BillableTime } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { BillableTimeServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import type { Client } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { ClientServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { CommandRunServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/command_run";
import { DatabaseChangeServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/database_change";
import { DeploymentServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/deployment";
import { ExternalIntegrationServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/external_integration";
import { FileChangeServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/file_change";
import { MachineServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/machine";
import { ProblemSolutionServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/problem_solution";
import { ProjectServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/project";
import type { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import type { CommandRun } from "@msp/proto/src/gen/ts/msp/work/v1/command_run";
import type { DatabaseChange } from "@msp/proto/src/gen/ts/msp/work/v1/database_change";
import type { Deployment } from "@msp/proto/src/gen/ts/msp/work/v1/deployment";
import type { FileChange } from "@msp/proto/src/gen/ts/msp/work/v1/file_change";
import type { ProblemSolution } from "@msp/proto/src/gen/ts/msp/work/v1/problem_solution";
import type { TicketLink } from "@msp/proto/src/gen/ts/msp/work/v1/ticket_link";
import { SessionServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { TagServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/tag";
import { TaskServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/task";
import { TicketLinkServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/ticket_link";
import type { WorkItem } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import { WorkItemServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import { billableTimeResource } from "./billable-time.resource";
import { billingSummary, exportBillableTime } from "./billing-reports";
import { clientResource } from "./client.resource";
import { commandRunResource } from "./command-run.resource";
import { databaseChangeResource } from "./database-change.resource";
import { deploymentResource } from "./deployment.resource";
import { externalIntegrationResource } from "./external-integration.resource";
import { fileChangeResource } from "./file-change.resource";
import { markInvoiced, unmarkInvoiced } from "./invoicing";
import { machineResource } from "./machine.resource";
import { workModels } from "./models";
import { problemSolutionResource } from "./problem-solution.resource";
import { projectResource } from "./project.resource";
import { sessionTimeline } from "./session-timeline";
import { sessionResource } from "./session.resource";
import { addTag, removeTag, sessionTagLinks, workItemTagLinks } from "./tag-links";
import { tagResource } from "./tag.resource";
import { taskResource } from "./task.resource";
import { ticketLinkResource } from "./ticket-link.resource";
import { workItemResource } from "./work-item.resource";

/**
 * The session service's definition with the timeline's response sent as the handler encoded it:
 * sessionTimeline writes its thousands of records straight from the stored rows to protobuf.
 */
function withEncodedTimeline(definition: typeof SessionServiceService) {
  return { ...definition, getSessionTimeline: { ...definition.getSessionTimeline, responseSerialize: (encoded: Buffer) => encoded } };
}

/**
 * The work service: machines, clients, projects, sessions, tags, tasks, work items and their
 * details, billable time and its reports, ticket links and external integrations.
 */
export const workModule: ServiceModule = {
  name: "work-service",
  models: workModels,
  services(db: Database, logger: Logger): ServiceRegistration[] {
    // One store per resource, shared by its standard methods, custom methods and the timeline.
    const sessions = createResourceStore<Session>(db, sessionResource);
    const workItems = createResourceStore<WorkItem>(db, workItemResource);
    const clients = createResourceStore<Client>(db, clientResource);
    const billableTime = createResourceStore<BillableTime>(db, billableTimeResource);
    const timelineStores = {
      sessions,
      workItems,
      fileChanges: createResourceStore<FileChange>(db, fileChangeResource),
      commandRuns: createResourceStore<CommandRun>(db, commandRunResource),
      problemSolutions: createResourceStore<ProblemSolution>(db, problemSolutionResource),
      deployments: createResourceStore<Deployment>(db, deploymentResource),
      databaseChanges: createResourceStore<DatabaseChange>(db, databaseChangeResource),
      ticketLinks: createResourceStore<TicketLink>(db, ticketLinkResource),
      billableTime,
    };
    /** The five standard handlers of a store, typed as the service `definition` expects them. */
    const standard = <D>(_definition: D, store: ResourceStore<unknown>, singular: string, plural: string) =>
      standardMethods(store, { singular, plural }) as unknown as Handlers<D & Parameters<typeof serviceOf>[0]>;
    const serve = <D extends Parameters<typeof serviceOf>[0]>(definition: D, handlers: Handlers<D>) =>
      serviceOf(definition, handlers, "work-service", logger);

    const sessionHandlers: Handlers<ReturnType<typeof withEncodedTimeline>> = {
      ...standard(SessionServiceService, sessions, "Session", "Sessions"),
      addSessionTag: (request, ctx) => addTag(sessions, sessionTagLinks, request.sessionId, request.tag, ctx),
      removeSessionTag: (request, ctx) => removeTag(sessions, sessionTagLinks, request.sessionId, request.tag, ctx),
      getSessionTimeline: (request) => sessionTimeline(db, timelineStores, request.id),
    };
    const billableTimeHandlers: Handlers<typeof BillableTimeServiceService> = {
      ...standard(BillableTimeServiceService, billableTime, "BillableTime", "BillableTime"),
      markInvoiced: (request, ctx) => markInvoiced(db, billableTime, request, ctx),
      unmarkInvoiced: (request, ctx) => unmarkInvoiced(db, billableTime, request, ctx),
      getBillingSummary: (request) => billingSummary(db, clients, request),
      exportBillableTime: (request) => exportBillableTime(db, clients, request),
    };
    const workItemHandlers: Handlers<typeof WorkItemServiceService> = {
      ...standard(WorkItemServiceService, workItems, "WorkItem", "WorkItems"),
      addWorkItemTag: (request, ctx) => addTag(workItems, workItemTagLinks, request.workItemId, request.tag, ctx),
      removeWorkItemTag: (request, ctx) => removeTag(workItems, workItemTagLinks, request.workItemId, request.tag, ctx),
    };
    const t = timelineStores;
    return [
      serve(MachineServiceService, standard(MachineServiceService, createResourceStore(db, machineResource), "Machine", "Machines")),
      serve(ClientServiceService, standard(ClientServiceService, clients, "Client", "Clients")),
      serve(ProjectServiceService, standard(ProjectServiceService, createResourceStore(db, projectResource), "Project", "Projects")),
      serve(withEncodedTimeline(SessionServiceService), sessionHandlers),
      serve(TagServiceService, standard(TagServiceService, createResourceStore(db, tagResource), "Tag", "Tags")),
      serve(TaskServiceService, standard(TaskServiceService, createResourceStore(db, taskResource), "Task", "Tasks")),
      serve(WorkItemServiceService, workItemHandlers),
      serve(FileChangeServiceService, standard(FileChangeServiceService, t.fileChanges, "FileChange", "FileChanges")),
      serve(CommandRunServiceService, standard(CommandRunServiceService, t.commandRuns, "CommandRun", "CommandRuns")),
      serve(
        ProblemSolutionServiceService,
        standard(ProblemSolutionServiceService, t.problemSolutions, "ProblemSolution", "ProblemSolutions"),
      ),
      serve(DeploymentServiceService, standard(DeploymentServiceService, t.deployments, "Deployment", "Deployments")),
      serve(DatabaseChangeServiceService, standard(DatabaseChangeServiceService, t.databaseChanges, "DatabaseChange", "DatabaseChanges")),
      serve(BillableTimeServiceService, billableTimeHandlers),
      serve(TicketLinkServiceService, standard(TicketLinkServiceService, t.ticketLinks, "TicketLink", "TicketLinks")),
      serve(
        ExternalIntegrationServiceService,
        standard(
          ExternalIntegrationServiceService,
          createResourceStore(db, externalIntegrationResource),
          "ExternalIntegration",
          "ExternalIntegrations",
        ),
      ),
    ];
  },
};
