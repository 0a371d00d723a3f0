import { Column, DataType, Model, Table } from "sequelize-typescript";

/** One part of a multi-part ingest, kept until all parts arrived (at most 24 hours). */
@Table({ tableName: "ingest_parts", timestamps: false })
export class IngestPartModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.STRING(200)) declare idempotency_key: string;
  @Column(DataType.INTEGER) declare part_index: number;
  @Column(DataType.INTEGER) declare part_count: number;
  @Column(DataType.TEXT) declare content: string;
  @Column(DataType.DATE(3)) declare received_at: Date;
}

/** The record of an ingest that stored something: its idempotency key is spent. */
@Table({ tableName: "ingest_receipts", timestamps: false })
export class IngestReceiptModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.STRING(200)) declare idempotency_key: string;
  @Column(DataType.STRING(128)) declare claude_session_id: string;
  @Column(DataType.CHAR(36)) declare context_id: string | null;
  @Column(DataType.STRING(16)) declare status: string;
  @Column(DataType.DATE(3)) declare created_at: Date;
}
