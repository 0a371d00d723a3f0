import { startServiceStack } from "@msp/testing";
import { BillableTimeServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/billable_time";
import { ClientServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { CommandRunServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/command_run";
import { DatabaseChangeServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/database_change";
import { DeploymentServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/deployment";
import { ExternalIntegrationServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/external_integration";
import { FileChangeServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/file_change";
import { MachineServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/machine";
import { ProblemSolutionServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/problem_solution";
import { ProjectServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/project";
import { SessionServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { TagServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/tag";
import { TaskServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/task";
import { TicketLinkServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/ticket_link";
import { WorkItemServiceClient } from "@msp/proto/src/gen/ts/msp/work/v1/work_item";
import { workModule } from "../work-module";

/** A running work service on its own database, with a client for each of its services. */
export function startWorkStack() {
  return startServiceStack(workModule, {
    machines: MachineServiceClient,
    clients: ClientServiceClient,
    projects: ProjectServiceClient,
    sessions: SessionServiceClient,
    tags: TagServiceClient,
    tasks: TaskServiceClient,
    workItems: WorkItemServiceClient,
    fileChanges: FileChangeServiceClient,
    commandRuns: CommandRunServiceClient,
    problemSolutions: ProblemSolutionServiceClient,
    deployments: DeploymentServiceClient,
    databaseChanges: DatabaseChangeServiceClient,
    billableTime: BillableTimeServiceClient,
    ticketLinks: TicketLinkServiceClient,
    externalIntegrations: ExternalIntegrationServiceClient,
  });
}

export type WorkStack = Awaited<ReturnType<typeof startWorkStack>>;
