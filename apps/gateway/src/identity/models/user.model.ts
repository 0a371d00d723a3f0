import { Column, DataType, Model, Table } from "sequelize-typescript";

@Table({ tableName: "users", timestamps: false })
export class UserModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.INTEGER) declare revision: number;
  @Column(DataType.DATE(3)) declare created_at: Date;
  @Column(DataType.DATE(3)) declare updated_at: Date;
  @Column(DataType.STRING(64)) declare username: string;
  @Column(DataType.STRING(255)) declare email: string | null;
  @Column(DataType.STRING(255)) declare password_hash: string;
  @Column(DataType.STRING(16)) declare role: string;
  @Column(DataType.BOOLEAN) declare is_active: boolean;
  @Column(DataType.DATE(3)) declare last_login_at: Date | null;
  @Column(DataType.INTEGER) declare failed_logins: number;
  @Column(DataType.DATE(3)) declare locked_until: Date | null;
}
