import { Column, DataType, Model, Table } from "sequelize-typescript";

@Table({ tableName: "revoked_tokens", timestamps: false })
export class RevokedTokenModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.STRING(64)) declare jti: string;
  @Column(DataType.DATE(3)) declare expires_at: Date;
  @Column(DataType.DATE(3)) declare created_at: Date;
}
