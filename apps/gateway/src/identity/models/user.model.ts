import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "users", timestamps: false })
export class UserModel extends EntityModel {
  @Column(DataType.STRING(64)) declare username: string;
  @Column(DataType.STRING(255)) declare email: string | null;
  @Column(DataType.STRING(255)) declare password_hash: string;
  @Column(DataType.STRING(16)) declare role: string;
  @Column(DataType.BOOLEAN) declare is_active: boolean;
  @Column(DataType.DATE(3)) declare last_login_at: Date | null;
  @Column(DataType.INTEGER) declare failed_logins: number;
  @Column(DataType.DATE(3)) declare locked_until: Date | null;
  /** Moved on by whatever must end the user's tokens at once (sessions.ts); every access token carries it. */
  @Column(DataType.INTEGER) declare security_version: number;
}
