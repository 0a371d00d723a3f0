import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "machines", timestamps: false })
export class MachineModel extends EntityModel {
  @Column(DataType.STRING(255)) declare hostname: string;
  @Column(DataType.STRING(255)) declare fingerprint: string;
  @Column(DataType.STRING(255)) declare friendly_name: string | null;
  @Column(DataType.STRING(16)) declare machine_type: string | null;
  @Column(DataType.STRING(16)) declare platform: string | null;
  @Column(DataType.STRING(255)) declare os_version: string | null;
  @Column(DataType.STRING(255)) declare username: string | null;
  @Column(DataType.STRING(1024)) declare home_directory: string | null;
  @Column(DataType.STRING(64)) declare preferred_shell: string | null;
  @Column(DataType.JSON) declare capabilities: Record<string, unknown> | null;
  @Column(DataType.JSON) declare installed_tools: string[] | null;
  @Column(DataType.JSON) declare available_mcps: string[] | null;
  @Column(DataType.JSON) declare working_directories: string[] | null;
  @Column(DataType.BOOLEAN) declare is_primary: boolean;
  @Column(DataType.BOOLEAN) declare is_active: boolean;
  @Column(DataType.DATE(3)) declare last_seen_at: Date | null;
  @Column(DataType.TEXT) declare notes: string | null;
}
