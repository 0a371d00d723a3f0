import type { Handlers } from "@msp/grpc-kit";
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
import { reviewBillableTime } from "./review-billable-time";
import { machineResource } from "./machine.resource";
import { workModels } from "./models";
import { problemSolutionResource } from "./problem-solution.resource";
import { projectResource } from "./project.resource";
import { findRecentWork } from "./recent-work";
import { sessionTimeline } from "./session-timeline";
import { sessionResource } from "./session.resource";
import { addTag, removeTag, sessionTagLinks, workItemTagLinks } from "./tag-links";
import { tagResource } from "./tag.resource";
import { taskResource } from "./task.resource";
import { ticketLinkResource } from "./ticket-link.resource";
import { workItemResource } from "./work-item.resource";
import { createInfraIds, requireInfraIds } from "./infra-ids";
import { createIdleSessionCloser } from "./idle-sessions";
import type { WorkSettings } from "./work-settings";
import { workConfig } from "./work-settings";

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
export const workModule: ServiceModule<WorkSettings> = {
  name: "work-service",
  models: workModels,
  config: workConfig,
  // Deployments' and database changes' asset and service ids are checked with the infrastructure service.
  peerScopes: ["infra:read"],
  setUp(host, { db, peers, config, logger }) {
    // One store per resource, shared by its standard methods, custom methods and the timeline.
    const sessions = createResourceStore<Session>(db, sessionResource);
    const workItems = createResourceStore<WorkItem>(db, workItemResource);
    const problemSolutions = createResourceStore<ProblemSolution>(db, problemSolutionResource);
    const clients = createResourceStore<Client>(db, clientResource);
    const billableTime = createResourceStore<BillableTime>(db, billableTimeResource);
    const t = {
      sessions,
      workItems,
      fileChanges: createResourceStore<FileChange>(db, fileChangeResource),
      commandRuns: createResourceStore<CommandRun>(db, commandRunResource),
      problemSolutions,
      deployments: createResourceStore<Deployment>(db, deploymentResource),
      databaseChanges: createResourceStore<DatabaseChange>(db, databaseChangeResource),
      ticketLinks: createResourceStore<TicketLink>(db, ticketLinkResource),
      billableTime,
    };

    // Claude Code sessions that never got their SessionEnd close after WORK_SESSION_IDLE_MINUTES.
    const idleCloser = createIdleSessionCloser(db, sessions, config.sessionIdleMinutes, logger);
    host.run({ name: "idle sessions", start: () => idleCloser.start(), stop: () => idleCloser.stop() });

    const sessionService = withEncodedTimeline(SessionServiceService);
    const sessionHandlers: Handlers<typeof sessionService> = {
      ...standardMethods(sessionService, sessions, { singular: "Session", plural: "Sessions" }),
      addSessionTag: (request, ctx) => addTag(sessions, sessionTagLinks, request.sessionId, request.tag, ctx),
      removeSessionTag: (request, ctx) => removeTag(sessions, sessionTagLinks, request.sessionId, request.tag, ctx),
      getSessionTimeline: (request) => sessionTimeline(db, t, request.id),
      findRecentWork: (request) => findRecentWork(db, t, request),
    };
    const billableTimeHandlers: Handlers<typeof BillableTimeServiceService> = {
      ...standardMethods(BillableTimeServiceService, billableTime, { singular: "BillableTime", plural: "BillableTime" }),
      markInvoiced: (request, ctx) => markInvoiced(db, billableTime, request, ctx),
      unmarkInvoiced: (request, ctx) => unmarkInvoiced(db, billableTime, request, ctx),
      reviewBillableTime: (request, ctx) => reviewBillableTime(billableTime, request, ctx),
      getBillingSummary: (request) => billingSummary(db, clients, request),
      exportBillableTime: (request) => exportBillableTime(db, clients, request),
    };
    const workItemHandlers: Handlers<typeof WorkItemServiceService> = {
      ...standardMethods(WorkItemServiceService, workItems, { singular: "WorkItem", plural: "WorkItems" }),
      addWorkItemTag: (request, ctx) => addTag(workItems, workItemTagLinks, request.workItemId, request.tag, ctx),
      removeWorkItemTag: (request, ctx) => removeTag(workItems, workItemTagLinks, request.workItemId, request.tag, ctx),
    };

    host.serve(
      MachineServiceService,
      standardMethods(MachineServiceService, createResourceStore(db, machineResource), { singular: "Machine", plural: "Machines" }),
    );
    host.serve(ClientServiceService, standardMethods(ClientServiceService, clients, { singular: "Client", plural: "Clients" }));
    host.serve(
      ProjectServiceService,
      standardMethods(ProjectServiceService, createResourceStore(db, projectResource), { singular: "Project", plural: "Projects" }),
    );
    host.serve(sessionService, sessionHandlers);
    host.serve(
      TagServiceService,
      standardMethods(TagServiceService, createResourceStore(db, tagResource), { singular: "Tag", plural: "Tags" }),
    );
    host.serve(
      TaskServiceService,
      standardMethods(TaskServiceService, createResourceStore(db, taskResource), { singular: "Task", plural: "Tasks" }),
    );
    host.serve(WorkItemServiceService, workItemHandlers);
    host.serve(
      FileChangeServiceService,
      standardMethods(FileChangeServiceService, t.fileChanges, { singular: "FileChange", plural: "FileChanges" }),
    );
    host.serve(
      CommandRunServiceService,
      standardMethods(CommandRunServiceService, t.commandRuns, { singular: "CommandRun", plural: "CommandRuns" }),
    );
    host.serve(
      ProblemSolutionServiceService,
      standardMethods(ProblemSolutionServiceService, t.problemSolutions, { singular: "ProblemSolution", plural: "ProblemSolutions" }),
    );
    // Asset and service ids of deployments and database changes are the infrastructure service's.
    const infraIds = createInfraIds(peers);
    const deployments = standardMethods(DeploymentServiceService, t.deployments, { singular: "Deployment", plural: "Deployments" });
    host.serve(DeploymentServiceService, {
      ...deployments,
      createDeployment: async (request, ctx) => {
        await requireInfraIds(infraIds, ctx, request.deployment, "deployment");
        return deployments.createDeployment(request, ctx);
      },
      updateDeployment: async (request, ctx) => {
        await requireInfraIds(infraIds, ctx, request.deployment, "deployment");
        return deployments.updateDeployment(request, ctx);
      },
    });
    const databaseChanges = standardMethods(DatabaseChangeServiceService, t.databaseChanges, {
      singular: "DatabaseChange",
      plural: "DatabaseChanges",
    });
    host.serve(DatabaseChangeServiceService, {
      ...databaseChanges,
      createDatabaseChange: async (request, ctx) => {
        await requireInfraIds(infraIds, ctx, request.databaseChange, "database_change");
        return databaseChanges.createDatabaseChange(request, ctx);
      },
      updateDatabaseChange: async (request, ctx) => {
        await requireInfraIds(infraIds, ctx, request.databaseChange, "database_change");
        return databaseChanges.updateDatabaseChange(request, ctx);
      },
    });
    host.serve(BillableTimeServiceService, billableTimeHandlers);
    host.serve(
      TicketLinkServiceService,
      standardMethods(TicketLinkServiceService, t.ticketLinks, { singular: "TicketLink", plural: "TicketLinks" }),
    );
    host.serve(
      ExternalIntegrationServiceService,
      standardMethods(ExternalIntegrationServiceService, createResourceStore(db, externalIntegrationResource), {
        singular: "ExternalIntegration",
        plural: "ExternalIntegrations",
      }),
    );
  },
};
