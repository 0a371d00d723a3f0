import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

/** A tag on a context or a snippet; the triple (owner_type, owner_id, tag) is unique. */
@Table({ tableName: "context_tags", timestamps: false })
export class ContextTagModel extends EntityModel {
  @Column(DataType.STRING(16)) declare owner_type: string;
  @Column(DataType.CHAR(36)) declare owner_id: string;
  @Column(DataType.STRING(64)) declare tag: string;
  @Column(DataType.CHAR(36)) declare project_id: string | null;
  @Column(DataType.CHAR(36)) declare client_id: string | null;
}
