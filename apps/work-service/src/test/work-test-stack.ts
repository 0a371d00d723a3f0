import type { ServiceError } from "@grpc/grpc-js";
import { status } from "@grpc/grpc-js";
import { connect, startTestService } from "@msp/testing";
import type { TestService } from "@msp/testing";
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
export async function startWorkStack() {
  const service: TestService = await startTestService(workModule);
  const clients = {
    machines: connect(MachineServiceClient, service),
    clients: connect(ClientServiceClient, service),
    projects: connect(ProjectServiceClient, service),
    sessions: connect(SessionServiceClient, service),
    tags: connect(TagServiceClient, service),
    tasks: connect(TaskServiceClient, service),
    workItems: connect(WorkItemServiceClient, service),
    fileChanges: connect(FileChangeServiceClient, service),
    commandRuns: connect(CommandRunServiceClient, service),
    problemSolutions: connect(ProblemSolutionServiceClient, service),
    deployments: connect(DeploymentServiceClient, service),
    databaseChanges: connect(DatabaseChangeServiceClient, service),
    billableTime: connect(BillableTimeServiceClient, service),
    ticketLinks: connect(TicketLinkServiceClient, service),
    externalIntegrations: connect(ExternalIntegrationServiceClient, service),
  };
  return {
    ...clients,
    service,
    async stop() {
      for (const client of Object.values(clients)) client.close();
      await service.stop();
    },
  };
}

export type WorkStack = Awaited<ReturnType<typeof startWorkStack>>;

/** Expects a call to fail with a gRPC status, and the message to mention `mentions`. */
export async function expectStatus(promise: Promise<unknown>, code: status, mentions?: string | RegExp): Promise<ServiceError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${status[code]}, but the call succeeded`);
    },
    (e: unknown) => e as ServiceError,
  );
  if (error.code !== code) throw new Error(`expected ${status[code]}, got ${status[error.code] ?? error.code}: ${error.details}`);
  if (mentions !== undefined) expect(error.details).toMatch(mentions);
  return error;
}
