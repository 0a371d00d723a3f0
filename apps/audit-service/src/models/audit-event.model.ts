import { Column, DataType, Model, Table } from "sequelize-typescript";

/** A chained event (the drain writes these rows with plain SQL; the model serves List). */
@Table({ tableName: "audit_events", timestamps: false })
export class AuditEventModel extends Model {
  @Column({ type: DataType.BIGINT, primaryKey: true }) declare seq: number;
  @Column(DataType.CHAR(36)) declare id: string;
  @Column(DataType.DATE(3)) declare occurred_at: Date;
  @Column(DataType.STRING(64)) declare service: string;
  @Column(DataType.STRING(128)) declare method: string;
  @Column(DataType.STRING(255)) declare principal: string;
  @Column(DataType.STRING(64)) declare resource_type: string;
  @Column(DataType.STRING(64)) declare resource_id: string | null;
  @Column(DataType.STRING(16)) declare action: string;
  @Column(DataType.STRING(16)) declare outcome: string;
  @Column(DataType.TEXT) declare request_summary: string | null;
  @Column(DataType.STRING(64)) declare source_ip: string | null;
  @Column(DataType.STRING(64)) declare prev_hash: string;
  @Column(DataType.STRING(64)) declare hash: string;
  @Column(DataType.DATE(3)) declare chained_at: Date;
}

/** A signed checkpoint of the chain. */
@Table({ tableName: "audit_checkpoints", timestamps: false })
export class AuditCheckpointModel extends Model {
  @Column({ type: DataType.BIGINT, primaryKey: true }) declare seq: number;
  @Column(DataType.STRING(64)) declare hash: string;
  @Column(DataType.DATE(3)) declare signed_at: Date;
  @Column(DataType.BIGINT) declare prev_seq: number;
  @Column(DataType.STRING(128)) declare signature: string;
  @Column(DataType.STRING(32)) declare public_key_id: string;
}
