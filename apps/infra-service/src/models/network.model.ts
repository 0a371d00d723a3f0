import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "networks", timestamps: false })
export class NetworkModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare client_id: string;
  @Column(DataType.CHAR(36)) declare site_id: string | null;
  @Column(DataType.STRING(255)) declare name: string;
  @Column(DataType.STRING(8)) declare network_type: string;
  @Column(DataType.STRING(49)) declare cidr: string;
  @Column(DataType.STRING(33)) declare range_start: string;
  @Column(DataType.STRING(33)) declare range_end: string;
  @Column(DataType.STRING(45)) declare gateway_ip: string | null;
  @Column(DataType.INTEGER) declare vlan_id: number | null;
  @Column(DataType.BOOLEAN) declare overlap_allowed: boolean;
  @Column(DataType.TEXT) declare notes: string | null;
}

@Table({ tableName: "firewall_rules", timestamps: false })
export class FirewallRuleModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare infrastructure_id: string;
  @Column(DataType.STRING(255)) declare name: string | null;
  @Column(DataType.STRING(49)) declare source_cidr: string | null;
  @Column(DataType.STRING(49)) declare destination_cidr: string | null;
  @Column(DataType.STRING(1024)) declare port_range: string | null;
  @Column(DataType.STRING(4)) declare protocol: string;
  @Column(DataType.STRING(5)) declare action: string;
  @Column(DataType.INTEGER) declare position: number;
  @Column(DataType.BOOLEAN) declare is_enabled: boolean;
  @Column(DataType.TEXT) declare notes: string | null;
}
