import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "problem_solutions", timestamps: false })
export class ProblemSolutionModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare session_id: string;
  @Column(DataType.CHAR(36)) declare work_item_id: string | null;
  @Column(DataType.TEXT) declare problem: string | null;
  @Column(DataType.TEXT) declare symptom: string | null;
  @Column(DataType.TEXT) declare error_message: string | null;
  @Column(DataType.JSON) declare investigation_steps: string[] | null;
  @Column(DataType.TEXT) declare root_cause: string | null;
  @Column(DataType.TEXT) declare solution: string;
  @Column(DataType.TEXT) declare verification: string | null;
  @Column(DataType.TEXT) declare rollback_plan: string | null;
  @Column(DataType.INTEGER) declare recurrence_count: number;
}
