import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "commands_run", timestamps: false })
export class CommandRunModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare session_id: string;
  @Column(DataType.CHAR(36)) declare work_item_id: string | null;
  @Column(DataType.TEXT) declare command_text: string;
  @Column(DataType.STRING(255)) declare host: string | null;
  @Column(DataType.STRING(64)) declare shell_type: string | null;
  @Column(DataType.BOOLEAN) declare success: boolean;
  @Column(DataType.INTEGER) declare exit_code: number | null;
  @Column(DataType.TEXT) declare output_summary: string | null;
  @Column(DataType.TEXT) declare error_message: string | null;
  @Column(DataType.STRING(16)) declare failure_category: string | null;
  @Column(DataType.TEXT) declare resolution: string | null;
  @Column(DataType.BOOLEAN) declare resolved: boolean;
  @Column(DataType.INTEGER) declare position: number;
}
