import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "services", timestamps: false })
export class ServiceModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare infrastructure_id: string;
  @Column(DataType.STRING(255)) declare name: string;
  @Column(DataType.STRING(64)) declare service_type: string | null;
  @Column(DataType.STRING(2048)) declare external_url: string | null;
  @Column(DataType.STRING(2048)) declare internal_url: string | null;
  @Column(DataType.INTEGER) declare port: number | null;
  @Column(DataType.STRING(32)) declare protocol: string | null;
  @Column(DataType.STRING(8)) declare status: string;
  @Column(DataType.STRING(128)) declare version: string | null;
  @Column(DataType.TEXT) declare notes: string | null;
}

@Table({ tableName: "service_relationships", timestamps: false })
export class ServiceRelationshipModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare from_service_id: string;
  @Column(DataType.CHAR(36)) declare to_service_id: string;
  @Column(DataType.STRING(17)) declare relationship: string;
  @Column(DataType.TEXT) declare notes: string | null;
}
