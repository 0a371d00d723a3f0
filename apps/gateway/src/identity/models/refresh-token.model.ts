import { Column, DataType, Model, Table } from "sequelize-typescript";

/** One refresh token issued (its jti, never the token), in the sign-in (family) it continues. */
@Table({ tableName: "refresh_tokens", timestamps: false })
export class RefreshTokenModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.STRING(64)) declare jti: string;
  @Column(DataType.CHAR(36)) declare family_id: string;
  @Column(DataType.CHAR(36)) declare user_id: string;
  @Column(DataType.DATE(3)) declare expires_at: Date;
  @Column(DataType.DATE(3)) declare rotated_at: Date | null;
  @Column(DataType.DATE(3)) declare revoked_at: Date | null;
  @Column(DataType.DATE(3)) declare created_at: Date;
}
