import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "clients", timestamps: false })
export class ClientModel extends EntityModel {
  @Column(DataType.STRING(255)) declare name: string;
  @Column(DataType.STRING(16)) declare client_type: string;
  @Column(DataType.STRING(255)) declare domain_name: string | null;
  @Column(DataType.STRING(64)) declare network_subnet: string | null;
  @Column(DataType.STRING(255)) declare primary_contact: string | null;
  @Column(DataType.DECIMAL(10, 2)) declare default_hourly_rate: string | null;
  @Column(DataType.BOOLEAN) declare is_active: boolean;
  @Column(DataType.TEXT) declare notes: string | null;
  @Column(DataType.INTEGER) declare billing_increment_minutes: number;
  @Column(DataType.STRING(7)) declare billing_rounding_direction: string;
  @Column(DataType.INTEGER) declare billing_minimum_minutes: number;
  @Column(DataType.STRING(11)) declare billing_rounding_scope: string;
}
