import { Column, DataType, Model, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "work_items", timestamps: false })
export class WorkItemModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare session_id: string;
  @Column(DataType.STRING(16)) declare category: string;
  @Column(DataType.STRING(8)) declare category_source: string;
  @Column(DataType.STRING(255)) declare title: string;
  @Column(DataType.TEXT) declare description: string | null;
  @Column(DataType.TEXT) declare problem: string | null;
  @Column(DataType.TEXT) declare cause: string | null;
  @Column(DataType.TEXT) declare fix: string | null;
  @Column(DataType.TEXT) declare verify: string | null;
  @Column(DataType.STRING(16)) declare status: string;
  @Column(DataType.STRING(8)) declare priority: string | null;
  @Column(DataType.BOOLEAN) declare is_billable: boolean;
  @Column(DataType.INTEGER) declare estimated_minutes: number | null;
  @Column(DataType.INTEGER) declare actual_minutes: number | null;
  @Column(DataType.JSON) declare affected_systems: string[] | null;
  @Column(DataType.JSON) declare technologies_used: string[] | null;
  @Column(DataType.INTEGER) declare position: number;
  @Column(DataType.DATE(3)) declare completed_at: Date | null;
  @Column(DataType.DATE(3)) declare started_at: Date | null;
  @Column(DataType.JSON) declare tags: string[] | null;
}

/** A tag on a work item; the pair is unique. */
@Table({ tableName: "work_item_tags", timestamps: false })
export class WorkItemTagModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.CHAR(36)) declare work_item_id: string;
  @Column(DataType.CHAR(36)) declare tag_id: string;
  @Column(DataType.DATE(3)) declare created_at: Date;
}
