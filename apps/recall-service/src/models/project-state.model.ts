import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "project_states", timestamps: false })
export class ProjectStateModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare project_id: string | null;
  @Column(DataType.STRING(512)) declare repository: string | null;
  @Column(DataType.STRING(600)) declare scope_key: string;
  @Column(DataType.CHAR(36)) declare client_id: string | null;
  @Column(DataType.CHAR(36)) declare last_session_id: string | null;
  @Column(DataType.CHAR(36)) declare last_context_id: string | null;
  @Column(DataType.STRING(255)) declare current_phase: string | null;
  @Column(DataType.INTEGER) declare progress_percent: number | null;
  @Column(DataType.JSON) declare blockers: string[] | null;
  @Column(DataType.JSON) declare next_actions: string[] | null;
  @Column(DataType.TEXT) declare summary: string | null;
  @Column(DataType.JSON) declare key_files: string[] | null;
  @Column(DataType.JSON) declare important_decisions: string[] | null;
  @Column(DataType.CHAR(36)) declare machine_id: string | null;
  @Column(DataType.STRING(255)) declare machine_name: string | null;
  /** When the work was done: the end of the newest session the state holds (null: its own time). */
  @Column(DataType.DATE(3)) declare occurred_at: Date | null;
}
