import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "failure_patterns", timestamps: false })
export class FailurePatternModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare client_id: string | null;
  @Column(DataType.CHAR(36)) declare infrastructure_id: string | null;
  @Column(DataType.STRING(255)) declare host: string | null;
  @Column(DataType.STRING(80)) declare scope_key: string;
  @Column(DataType.STRING(32)) declare pattern_type: string;
  @Column(DataType.STRING(64)) declare signature: string;
  @Column(DataType.TEXT) declare error_pattern: string;
  @Column(DataType.JSON) declare triggering_commands: string[] | null;
  @Column(DataType.TEXT) declare description: string | null;
  @Column(DataType.TEXT) declare root_cause: string | null;
  @Column(DataType.TEXT) declare recommended_solution: string | null;
  @Column(DataType.JSON) declare alternatives: string[] | null;
  @Column(DataType.INTEGER) declare occurrence_count: number;
  @Column(DataType.DATE(3)) declare first_seen_at: Date;
  @Column(DataType.DATE(3)) declare last_seen_at: Date;
  @Column(DataType.STRING(16)) declare severity: string;
  @Column(DataType.BOOLEAN) declare is_active: boolean;
  @Column(DataType.BOOLEAN) declare pinned: boolean;
  @Column(DataType.INTEGER) declare recall_count: number;
  @Column(DataType.DATE(3)) declare last_recalled_at: Date | null;
  @Column(DataType.INTEGER) declare useful_count: number;
}
