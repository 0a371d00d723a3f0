import { Column, DataType, Model, Table } from "sequelize-typescript";

/** A backup of the platform's database. */
@Table({ tableName: "backup_log", timestamps: false })
export class BackupLogModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.INTEGER) declare revision: number;
  @Column(DataType.DATE(3)) declare created_at: Date;
  @Column(DataType.DATE(3)) declare updated_at: Date;
  @Column(DataType.STRING(16)) declare backup_type: string;
  @Column(DataType.STRING(1024)) declare file_path: string | null;
  @Column(DataType.BIGINT) declare size_bytes: number | null;
  @Column(DataType.DATE(3)) declare started_at: Date;
  @Column(DataType.DATE(3)) declare completed_at: Date | null;
  @Column(DataType.STRING(16)) declare status: string;
  @Column(DataType.TEXT) declare verification: string | null;
  @Column(DataType.STRING(64)) declare checksum: string | null;
  @Column(DataType.STRING(16)) declare dialect: string;
  @Column(DataType.DATE(3)) declare verified_at: Date | null;
  @Column(DataType.JSON) declare table_counts: Record<string, number> | null;
}
