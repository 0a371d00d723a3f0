import type { ResourceDefinition } from "@msp/resource-kit";
import { BackupSchema } from "@msp/proto/src/gen/es/msp/audit/v1/audit_pb";
import { BackupLogModel } from "../models";

/** The backup log, read through the API; rows are written by the backup jobs (backup-jobs.ts). */
export const backupResource: ResourceDefinition = {
  name: "backup",
  model: BackupLogModel,
  schema: BackupSchema,
  outputOnly: ["file_path", "size_bytes", "started_at", "completed_at", "status", "verification", "checksum", "dialect", "verified_at"],
  filterable: ["backup_type", "status", "started_at"],
  orderable: ["started_at"],
  defaultOrderBy: "started_at desc",
};
