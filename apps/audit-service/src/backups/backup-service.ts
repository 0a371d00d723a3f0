import type { BackupType as StoredType } from "@msp/backup";
import { invalidArgument } from "@msp/errors";
import type { Handlers } from "@msp/grpc-kit";
import type { ResourceStore } from "@msp/resource-kit";
import { standardMethods } from "@msp/resource-kit";
import type { Backup } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import { BackupServiceService, BackupType } from "@msp/proto/src/gen/ts/msp/audit/v1/audit";
import type { BackupJobs } from "./backup-jobs";

/** The kinds of backup a caller may ask for (pre-migration backups are taken by the migration runner). */
const requestable: Partial<Record<BackupType, StoredType>> = {
  [BackupType.BACKUP_TYPE_UNSPECIFIED]: "manual",
  [BackupType.BACKUP_TYPE_MANUAL]: "manual",
  [BackupType.BACKUP_TYPE_DAILY]: "daily",
  [BackupType.BACKUP_TYPE_WEEKLY]: "weekly",
  [BackupType.BACKUP_TYPE_MONTHLY]: "monthly",
};

/** BackupService: start a backup or a verified restore, read the log (admins, by its policy). */
export function backupHandlers(backups: ResourceStore<Backup>, jobs: BackupJobs): Handlers<typeof BackupServiceService> {
  return {
    ...standardMethods(BackupServiceService, backups, { singular: "Backup", plural: "Backups" }),
    createBackup: async (request, ctx) => {
      const type = requestable[request.backupType];
      if (type === undefined) throw invalidArgument("backup_type", "must be manual, daily, weekly or monthly");
      return backups.get(await jobs.start(type, request.verify, ctx));
    },
    verifyBackup: async (request, ctx) => {
      const backup = await backups.get(request.id);
      await jobs.startVerify(backup.id, ctx);
      return backups.get(backup.id);
    },
  };
}
