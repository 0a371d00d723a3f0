import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "api_keys", timestamps: false })
export class ApiKeyModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare user_id: string;
  @Column(DataType.CHAR(36)) declare machine_id: string | null;
  @Column(DataType.STRING(255)) declare name: string;
  @Column(DataType.STRING(32)) declare prefix: string;
  @Column(DataType.STRING(128)) declare key_hash: string;
  @Column(DataType.JSON) declare scopes: string[] | null;
  @Column(DataType.DATE(3)) declare expires_at: Date | null;
  @Column(DataType.DATE(3)) declare last_used_at: Date | null;
  @Column(DataType.DATE(3)) declare revoked_at: Date | null;
}
