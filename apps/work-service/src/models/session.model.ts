import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "sessions", timestamps: false })
export class SessionModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare client_id: string | null;
  @Column(DataType.CHAR(36)) declare project_id: string | null;
  @Column(DataType.CHAR(36)) declare machine_id: string | null;
  @Column(DataType.STRING(128)) declare external_session_id: string | null;
  @Column(DataType.STRING(255)) declare title: string | null;
  @Column(DataType.TEXT) declare summary: string | null;
  @Column(DataType.STRING(16)) declare status: string;
  @Column(DataType.DATE(3)) declare started_at: Date;
  @Column(DataType.DATE(3)) declare ended_at: Date | null;
  @Column(DataType.INTEGER) declare duration_minutes: number | null;
  @Column(DataType.BOOLEAN) declare is_billable: boolean;
  @Column(DataType.DECIMAL(10, 2)) declare billable_hours: string;
  @Column(DataType.STRING(255)) declare technician: string | null;
  @Column(DataType.JSON) declare tags: string[] | null;
  @Column(DataType.INTEGER) declare billable_minutes: number;
  @Column(DataType.DECIMAL(14, 2)) declare billable_amount: string;
}
