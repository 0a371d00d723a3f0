import { AuditOutboxModel } from "@msp/resource-kit";
import { AuditCheckpointModel, AuditEventModel } from "./audit-event.model";
import { BackupLogModel } from "./backup.model";

export { AuditCheckpointModel, AuditEventModel, AuditOutboxModel, BackupLogModel };

/** The audit service's tables (the chain's state and lease are reached with plain SQL). */
export const auditModels = [AuditEventModel, AuditCheckpointModel, BackupLogModel, AuditOutboxModel];
