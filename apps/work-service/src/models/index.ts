import { AuditOutboxModel } from "@msp/resource-kit";
import { BillableTimeModel } from "./billable-time.model";
import { ClientModel } from "./client.model";
import { CommandRunModel } from "./command-run.model";
import { DatabaseChangeModel } from "./database-change.model";
import { DeploymentModel } from "./deployment.model";
import { ExternalIntegrationModel } from "./external-integration.model";
import { FileChangeModel } from "./file-change.model";
import { MachineModel } from "./machine.model";
import { ProblemSolutionModel } from "./problem-solution.model";
import { ProjectModel } from "./project.model";
import { SessionModel } from "./session.model";
import { SessionTagModel, TagModel } from "./tag.model";
import { TaskModel } from "./task.model";
import { TicketLinkModel } from "./ticket-link.model";
import { WorkItemModel, WorkItemTagModel } from "./work-item.model";

export {
  BillableTimeModel,
  ClientModel,
  CommandRunModel,
  DatabaseChangeModel,
  DeploymentModel,
  ExternalIntegrationModel,
  FileChangeModel,
  MachineModel,
  ProblemSolutionModel,
  ProjectModel,
  SessionModel,
  SessionTagModel,
  TagModel,
  TaskModel,
  TicketLinkModel,
  WorkItemModel,
  WorkItemTagModel,
};

/** Every model the work service registers with its database. */
export const workModels = [
  MachineModel,
  ClientModel,
  ProjectModel,
  SessionModel,
  TagModel,
  SessionTagModel,
  TaskModel,
  WorkItemModel,
  WorkItemTagModel,
  FileChangeModel,
  CommandRunModel,
  ProblemSolutionModel,
  DeploymentModel,
  DatabaseChangeModel,
  BillableTimeModel,
  TicketLinkModel,
  ExternalIntegrationModel,
  AuditOutboxModel,
];
