import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

/** A stretch of work for a client: raw minutes as given, billed figures derived (billable-time-rules.ts). */
@Table({ tableName: "billable_time", timestamps: false })
export class BillableTimeModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare session_id: string | null;
  @Column(DataType.CHAR(36)) declare work_item_id: string | null;
  @Column(DataType.CHAR(36)) declare client_id: string;
  @Column(DataType.CHAR(36)) declare project_id: string | null;
  @Column(DataType.DATE(3)) declare started_at: Date;
  @Column(DataType.DATE(3)) declare ended_at: Date | null;
  @Column(DataType.INTEGER) declare duration_minutes: number;
  @Column(DataType.INTEGER) declare rounded_minutes: number;
  @Column(DataType.DECIMAL(10, 2)) declare hourly_rate: string | null;
  @Column(DataType.DECIMAL(10, 2)) declare effective_hourly_rate: string | null;
  @Column(DataType.STRING(8)) declare rate_source: string;
  @Column(DataType.DECIMAL(14, 2)) declare amount: string;
  @Column(DataType.STRING(11)) declare rounding_scope: string;
  @Column(DataType.BOOLEAN) declare is_billable: boolean;
  @Column(DataType.STRING(12)) declare category: string | null;
  @Column(DataType.TEXT) declare description: string | null;
  @Column(DataType.BOOLEAN) declare is_invoiced: boolean;
  @Column(DataType.DATE(3)) declare invoiced_at: Date | null;
  @Column(DataType.STRING(64)) declare invoice_reference: string | null;
  @Column(DataType.STRING(19)) declare source: string;
  @Column(DataType.STRING(12)) declare review_status: string;
  @Column(DataType.DATE(3)) declare reviewed_at: Date | null;
  @Column(DataType.STRING(255)) declare reviewed_by: string | null;
  @Column(DataType.STRING(500)) declare review_note: string | null;
}
