import type { Database } from "@msp/db";
import type { Handlers, ServiceRegistration } from "@msp/grpc-kit";
import { serviceOf } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import type { ResourceDefinition } from "@msp/resource-kit";
import { createResourceStore, standardMethods } from "@msp/resource-kit";
import type { ServiceModule } from "@msp/service-runtime";
import { ClientServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { CommandRunServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/command_run";
import { DatabaseChangeServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/database_change";
import { DeploymentServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/deployment";
import { FileChangeServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/file_change";
import { MachineServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/machine";
import { ProblemSolutionServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/problem_solution";
import { ProjectServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/project";
import type { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { SessionServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { TagServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/tag";
import { TaskServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/task";
import type { WorkItem } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import { WorkItemServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import { clientResource } from "./client.resource";
import { commandRunResource } from "./command-run.resource";
import { databaseChangeResource } from "./database-change.resource";
import { deploymentResource } from "./deployment.resource";
import { fileChangeResource } from "./file-change.resource";
import { machineResource } from "./machine.resource";
import { workModels } from "./models";
import { problemSolutionResource } from "./problem-solution.resource";
import { projectResource } from "./project.resource";
import { sessionResource } from "./session.resource";
import { addTag, removeTag, sessionTagLinks, workItemTagLinks } from "./tag-links";
import { tagResource } from "./tag.resource";
import { taskResource } from "./task.resource";
import { workItemResource } from "./work-item.resource";

/** The work service: machines, clients, projects, sessions, tags, tasks, work items and their details. */
export const workModule: ServiceModule = {
  name: "work-service",
  models: workModels,
  services(db: Database, logger: Logger): ServiceRegistration[] {
    const standard = <D>(definition: D, resource: ResourceDefinition, singular: string, plural: string) =>
      standardMethods(createResourceStore(db, resource), { singular, plural }) as unknown as Handlers<D & Parameters<typeof serviceOf>[0]>;
    const sessions = createResourceStore<Session>(db, sessionResource);
    const sessionHandlers: Handlers<typeof SessionServiceService> = {
      ...(standardMethods(sessions, { singular: "Session", plural: "Sessions" }) as unknown as Handlers<typeof SessionServiceService>),
      addSessionTag: (request, ctx) => addTag(sessions, sessionTagLinks, request.sessionId, request.tag, ctx),
      removeSessionTag: (request, ctx) => removeTag(sessions, sessionTagLinks, request.sessionId, request.tag, ctx),
    };
    const workItems = createResourceStore<WorkItem>(db, workItemResource);
    const workItemHandlers: Handlers<typeof WorkItemServiceService> = {
      ...(standardMethods(workItems, { singular: "WorkItem", plural: "WorkItems" }) as unknown as Handlers<typeof WorkItemServiceService>),
      addWorkItemTag: (request, ctx) => addTag(workItems, workItemTagLinks, request.workItemId, request.tag, ctx),
      removeWorkItemTag: (request, ctx) => removeTag(workItems, workItemTagLinks, request.workItemId, request.tag, ctx),
    };
    const name = "work-service";
    return [
      serviceOf(MachineServiceService, standard(MachineServiceService, machineResource, "Machine", "Machines"), name, logger),
      serviceOf(ClientServiceService, standard(ClientServiceService, clientResource, "Client", "Clients"), name, logger),
      serviceOf(ProjectServiceService, standard(ProjectServiceService, projectResource, "Project", "Projects"), name, logger),
      serviceOf(SessionServiceService, sessionHandlers, name, logger),
      serviceOf(TagServiceService, standard(TagServiceService, tagResource, "Tag", "Tags"), name, logger),
      serviceOf(TaskServiceService, standard(TaskServiceService, taskResource, "Task", "Tasks"), name, logger),
      serviceOf(WorkItemServiceService, workItemHandlers, name, logger),
      serviceOf(
        FileChangeServiceService,
        standard(FileChangeServiceService, fileChangeResource, "FileChange", "FileChanges"),
        name,
        logger,
      ),
      serviceOf(
        CommandRunServiceService,
        standard(CommandRunServiceService, commandRunResource, "CommandRun", "CommandRuns"),
        name,
        logger,
      ),
      serviceOf(
        ProblemSolutionServiceService,
        standard(ProblemSolutionServiceService, problemSolutionResource, "ProblemSolution", "ProblemSolutions"),
        name,
        logger,
      ),
      serviceOf(
        DeploymentServiceService,
        standard(DeploymentServiceService, deploymentResource, "Deployment", "Deployments"),
        name,
        logger,
      ),
      serviceOf(
        DatabaseChangeServiceService,
        standard(DatabaseChangeServiceService, databaseChangeResource, "DatabaseChange", "DatabaseChanges"),
        name,
        logger,
      ),
    ];
  },
};
