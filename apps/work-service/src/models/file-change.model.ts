import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "file_changes", timestamps: false })
export class FileChangeModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare session_id: string;
  @Column(DataType.CHAR(36)) declare work_item_id: string | null;
  @Column(DataType.STRING(1024)) declare file_path: string;
  @Column(DataType.STRING(16)) declare change_type: string;
  @Column(DataType.STRING(1024)) declare previous_path: string | null;
  @Column(DataType.STRING(1024)) declare backup_path: string | null;
  @Column(DataType.BIGINT) declare size_bytes: number | null;
  @Column(DataType.TEXT) declare description: string | null;
}
