import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "operation_failures", timestamps: false })
export class OperationFailureModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare session_id: string | null;
  @Column(DataType.CHAR(36)) declare work_item_id: string | null;
  @Column(DataType.CHAR(36)) declare client_id: string | null;
  @Column(DataType.CHAR(36)) declare infrastructure_id: string | null;
  @Column(DataType.STRING(32)) declare operation_type: string;
  @Column(DataType.TEXT) declare description: string | null;
  @Column(DataType.STRING(255)) declare target_system: string | null;
  @Column(DataType.TEXT) declare command: string | null;
  @Column(DataType.TEXT) declare error_message: string;
  @Column(DataType.STRING(64)) declare error_code: string | null;
  @Column(DataType.STRING(64)) declare failure_category: string | null;
  @Column(DataType.TEXT) declare resolution: string | null;
  @Column(DataType.BOOLEAN) declare resolved: boolean;
  @Column(DataType.DATE(3)) declare resolved_at: Date | null;
  @Column(DataType.STRING(64)) declare signature: string;
  @Column(DataType.CHAR(36)) declare failure_pattern_id: string | null;
}
