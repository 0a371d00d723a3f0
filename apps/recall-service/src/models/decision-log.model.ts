import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "decision_logs", timestamps: false })
export class DecisionLogModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare project_id: string | null;
  @Column(DataType.CHAR(36)) declare client_id: string | null;
  @Column(DataType.CHAR(36)) declare session_id: string | null;
  @Column(DataType.CHAR(36)) declare context_id: string | null;
  @Column(DataType.STRING(512)) declare repository: string | null;
  @Column(DataType.CHAR(36)) declare machine_id: string | null;
  @Column(DataType.STRING(255)) declare machine_name: string | null;
  @Column(DataType.STRING(16)) declare decision_type: string;
  @Column(DataType.TEXT) declare decision: string;
  @Column(DataType.TEXT) declare rationale: string | null;
  @Column(DataType.JSON) declare alternatives: string[] | null;
  @Column(DataType.STRING(16)) declare impact: string;
  @Column(DataType.JSON) declare tags: string[] | null;
  @Column(DataType.STRING(255)) declare subject: string | null;
  @Column(DataType.STRING(255)) declare subject_key: string | null;
  @Column(DataType.CHAR(36)) declare superseded_by_id: string | null;
  @Column(DataType.BOOLEAN) declare pinned: boolean;
  @Column(DataType.INTEGER) declare recall_count: number;
  @Column(DataType.DATE(3)) declare last_recalled_at: Date | null;
  @Column(DataType.INTEGER) declare useful_count: number;
  /** When the work was done: the end of the session it came from (null: its own time). */
  @Column(DataType.DATE(3)) declare occurred_at: Date | null;
}
