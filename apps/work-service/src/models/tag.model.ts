import { Column, DataType, Model, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "tags", timestamps: false })
export class TagModel extends EntityModel {
  @Column(DataType.STRING(64)) declare name: string;
  @Column(DataType.STRING(32)) declare category: string | null;
  @Column(DataType.TEXT) declare description: string | null;
  @Column(DataType.INTEGER) declare usage_count: number;
}

/** A tag on a session; the pair is unique. */
@Table({ tableName: "session_tags", timestamps: false })
export class SessionTagModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.CHAR(36)) declare session_id: string;
  @Column(DataType.CHAR(36)) declare tag_id: string;
  @Column(DataType.DATE(3)) declare created_at: Date;
}
