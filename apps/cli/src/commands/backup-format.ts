// What `msp admin backup`, `backups` and `verify-backup` take and print. Pure functions, no I/O.
import type { Backup } from "../platform/platform-types";
import { enumChoice, enumLabel, int64, shortTime } from "./audit-format";
import { formatTable } from "./cred-format";

/** The backup types --type takes (msp.audit.v1.BackupType without its prefix; pre_migration is the platform's own). */
export const backupTypes = ["manual", "daily", "weekly", "monthly"] as const;

/** --type as the gateway's JSON enum name: "weekly" -> "BACKUP_TYPE_WEEKLY". */
export function backupTypeEnum(input: string): string {
  return `BACKUP_TYPE_${enumChoice(input, "--type", "BACKUP_TYPE_", backupTypes, "a backup type").toUpperCase()}`;
}

/** A backup's status without its prefix: "BACKUP_STATUS_VERIFY_FAILED" -> "VERIFY_FAILED". */
export function statusName(backup: Backup): string {
  return (backup.status ?? "").replace(/^BACKUP_STATUS_/, "");
}

/** A backup's status for people: "verify failed", "verified", "running". */
export function statusLabel(backup: Backup): string {
  return enumLabel(backup.status, "BACKUP_STATUS_").replace(/_/g, " ");
}

/**
 * Whether a backup is done: FAILED, VERIFIED and VERIFY_FAILED always end it; COMPLETED does
 * only when no verification was asked for (with one, it comes before VERIFYING).
 */
export function isFinal(backup: Backup, verifying: boolean): boolean {
  const status = statusName(backup);
  if (status === "FAILED" || status === "VERIFIED" || status === "VERIFY_FAILED") return true;
  return status === "COMPLETED" && !verifying;
}

/** A backup that ended badly: exit code 1. */
export function isFailure(backup: Backup): boolean {
  const status = statusName(backup);
  return status === "FAILED" || status === "VERIFY_FAILED";
}

/** A size for people: "12.3 MiB (12,908,544 bytes)". */
export function sizeLabel(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const exact = `${bytes.toLocaleString("en-US")} bytes`;
  return unit === 0 ? exact : `${value.toFixed(1)} ${units[unit]} (${exact})`;
}

/** The lines of one backup: its status first, then file, size, checksum, times and what verification found. */
export function backupLines(b: Backup): string[] {
  const size = int64(b.sizeBytes);
  const rows: [string, string | undefined][] = [
    ["Type", `${enumLabel(b.backupType, "BACKUP_TYPE_")}${b.dialect ? ` (${b.dialect})` : ""}`],
    ["File", b.filePath],
    ["Size", b.sizeBytes === undefined ? undefined : sizeLabel(size)],
    ["Checksum", b.checksum ? `sha256 ${b.checksum}` : undefined],
    ["Started", b.startedAt],
    ["Completed", b.completedAt],
    ["Verified", b.verifiedAt],
    ["Verification", b.verification ? indentLines(b.verification.trim(), 13) : undefined],
  ];
  return [
    `Backup ${b.id}: ${statusLabel(b)}`,
    ...rows
      .filter(([, value]) => value !== undefined && value !== "")
      .flatMap(([label, value]) => `${label.padEnd(12)} ${value}`.split("\n")),
  ];
}

/** Text over several lines, each after the first indented to line up under the first. */
function indentLines(text: string, width: number): string {
  return text.split(/\r?\n/).join(`\n${" ".repeat(width)}`);
}

/** The table of `msp admin backups`. */
export function backupTable(backups: readonly Backup[]): string[] {
  if (backups.length === 0) return ["No backups."];
  return formatTable(
    ["ID", "TYPE", "STATUS", "STARTED", "SIZE", "FILE"],
    backups.map((b) => [
      b.id,
      enumLabel(b.backupType, "BACKUP_TYPE_"),
      statusLabel(b),
      shortTime(b.startedAt),
      b.sizeBytes === undefined ? "-" : compactSize(int64(b.sizeBytes)),
      b.filePath || "-",
    ]),
  );
}

function compactSize(bytes: number): string {
  const label = sizeLabel(bytes);
  return label.replace(/ \(.*\)$/, "");
}
