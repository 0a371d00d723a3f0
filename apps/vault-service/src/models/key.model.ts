import { Column, DataType, Model, Table } from "sequelize-typescript";

@Table({ tableName: "encryption_keys", timestamps: false })
export class EncryptionKeyModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.STRING(32)) declare purpose: string;
  @Column(DataType.STRING(128)) declare wrapped_key: string;
  @Column(DataType.STRING(32)) declare algorithm: string;
  @Column(DataType.STRING(10)) declare status: "active" | "rewrapping" | "retired";
  @Column(DataType.STRING(255)) declare created_by: string;
  @Column(DataType.DATE(3)) declare created_at: Date;
  @Column(DataType.DATE(3)) declare retired_at: Date | null;
}
