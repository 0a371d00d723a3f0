import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "sites", timestamps: false })
export class SiteModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare client_id: string;
  @Column(DataType.STRING(255)) declare name: string;
  @Column(DataType.STRING(49)) declare network_subnet: string | null;
  @Column(DataType.BOOLEAN) declare vpn_required: boolean;
  @Column(DataType.STRING(49)) declare vpn_subnet: string | null;
  @Column(DataType.STRING(45)) declare gateway_ip: string | null;
  @Column(DataType.JSON) declare dns_servers: string[] | null;
  @Column(DataType.TEXT) declare notes: string | null;
}
