import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "tasks", timestamps: false })
export class TaskModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare parent_task_id: string | null;
  @Column(DataType.INTEGER) declare position: number;
  @Column(DataType.STRING(255)) declare title: string;
  @Column(DataType.TEXT) declare description: string | null;
  @Column(DataType.STRING(32)) declare task_type: string;
  @Column(DataType.STRING(16)) declare status: string;
  @Column(DataType.TEXT) declare blocking_reason: string | null;
  @Column(DataType.CHAR(36)) declare session_id: string | null;
  @Column(DataType.CHAR(36)) declare client_id: string | null;
  @Column(DataType.CHAR(36)) declare project_id: string | null;
  @Column(DataType.STRING(16)) declare complexity: string | null;
  @Column(DataType.JSON) declare depends_on: string[] | null;
  @Column(DataType.DATE(3)) declare started_at: Date | null;
  @Column(DataType.DATE(3)) declare completed_at: Date | null;
}
