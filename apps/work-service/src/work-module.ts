import type { Database } from "@msp/db";
import type { Handlers, ServiceRegistration } from "@msp/grpc-kit";
import { serviceOf } from "@msp/grpc-kit";
import type { Logger } from "@msp/logging";
import type { ResourceDefinition } from "@msp/resource-kit";
import { createResourceStore, standardMethods } from "@msp/resource-kit";
import type { ServiceModule } from "@msp/service-runtime";
import { ClientServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/client";
import { MachineServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/machine";
import { ProjectServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/project";
import type { Session } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { SessionServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/session";
import { TagServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/tag";
import { TaskServiceService } from "@msp/proto/src/gen/ts/msp/work/v1/task";
import { clientResource } from "./client.resource";
import { machineResource } from "./machine.resource";
import { workModels } from "./models";
import { projectResource } from "./project.resource";
import { sessionResource } from "./session.resource";
import { addSessionTag, removeSessionTag } from "./session-tags";
import { tagResource } from "./tag.resource";
import { taskResource } from "./task.resource";

/** The work service: machines, clients, projects, sessions, tags and tasks. */
export const workModule: ServiceModule = {
  name: "work-service",
  models: workModels,
  services(db: Database, logger: Logger): ServiceRegistration[] {
    const standard = <D>(definition: D, resource: ResourceDefinition, singular: string, plural: string) =>
      standardMethods(createResourceStore(db, resource), { singular, plural }) as unknown as Handlers<D & Parameters<typeof serviceOf>[0]>;
    const sessions = createResourceStore<Session>(db, sessionResource);
    const sessionHandlers: Handlers<typeof SessionServiceService> = {
      ...(standardMethods(sessions, { singular: "Session", plural: "Sessions" }) as unknown as Handlers<typeof SessionServiceService>),
      addSessionTag: (request, ctx) => addSessionTag(sessions, request.sessionId, request.tag, ctx),
      removeSessionTag: (request, ctx) => removeSessionTag(sessions, request.sessionId, request.tag, ctx),
    };
    const name = "work-service";
    return [
      serviceOf(MachineServiceService, standard(MachineServiceService, machineResource, "Machine", "Machines"), name, logger),
      serviceOf(ClientServiceService, standard(ClientServiceService, clientResource, "Client", "Clients"), name, logger),
      serviceOf(ProjectServiceService, standard(ProjectServiceService, projectResource, "Project", "Projects"), name, logger),
      serviceOf(SessionServiceService, sessionHandlers, name, logger),
      serviceOf(TagServiceService, standard(TagServiceService, tagResource, "Tag", "Tags"), name, logger),
      serviceOf(TaskServiceService, standard(TaskServiceService, taskResource, "Task", "Tasks"), name, logger),
    ];
  },
};
