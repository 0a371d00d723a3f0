import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "database_changes", timestamps: false })
export class DatabaseChangeModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare session_id: string;
  @Column(DataType.CHAR(36)) declare work_item_id: string | null;
  @Column(DataType.STRING(255)) declare database_name: string;
  @Column(DataType.CHAR(36)) declare infrastructure_id: string | null;
  @Column(DataType.STRING(16)) declare change_type: string;
  @Column(DataType.TEXT) declare sql_executed: string | null;
  @Column(DataType.BIGINT) declare rows_affected: number | null;
  @Column(DataType.BIGINT) declare size_freed_bytes: number | null;
  @Column(DataType.BOOLEAN) declare backup_taken: boolean;
  @Column(DataType.STRING(1024)) declare backup_location: string | null;
}
