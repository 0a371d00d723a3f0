import { AuditOutboxModel } from "@msp/resource-kit";
import { ClientModel } from "./client.model";
import { MachineModel } from "./machine.model";
import { ProjectModel } from "./project.model";
import { SessionModel } from "./session.model";
import { SessionTagModel, TagModel } from "./tag.model";
import { TaskModel } from "./task.model";

export { ClientModel, MachineModel, ProjectModel, SessionModel, SessionTagModel, TagModel, TaskModel };

/** Every model the work service registers with its database. */
export const workModels = [MachineModel, ClientModel, ProjectModel, SessionModel, TagModel, SessionTagModel, TaskModel, AuditOutboxModel];
