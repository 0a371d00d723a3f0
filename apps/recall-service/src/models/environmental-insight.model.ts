import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "environmental_insights", timestamps: false })
export class EnvironmentalInsightModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare client_id: string;
  @Column(DataType.CHAR(36)) declare infrastructure_id: string | null;
  @Column(DataType.STRING(255)) declare host: string | null;
  @Column(DataType.STRING(32)) declare category: string;
  @Column(DataType.STRING(512)) declare title: string;
  @Column(DataType.TEXT) declare description: string | null;
  @Column(DataType.JSON) declare examples: string[] | null;
  @Column(DataType.DECIMAL(3, 2)) declare confidence: string;
  @Column(DataType.INTEGER) declare verification_count: number;
  @Column(DataType.INTEGER) declare priority: number;
  @Column(DataType.DATE(3)) declare last_verified_at: Date | null;
  @Column(DataType.BOOLEAN) declare pinned: boolean;
  @Column(DataType.INTEGER) declare recall_count: number;
  @Column(DataType.DATE(3)) declare last_recalled_at: Date | null;
  @Column(DataType.INTEGER) declare useful_count: number;
}
