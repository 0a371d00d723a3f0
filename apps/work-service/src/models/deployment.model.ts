import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "deployments", timestamps: false })
export class DeploymentModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare session_id: string;
  @Column(DataType.CHAR(36)) declare work_item_id: string | null;
  @Column(DataType.CHAR(36)) declare infrastructure_id: string | null;
  @Column(DataType.CHAR(36)) declare service_id: string | null;
  @Column(DataType.STRING(16)) declare deployment_type: string;
  @Column(DataType.STRING(255)) declare version: string | null;
  @Column(DataType.TEXT) declare description: string | null;
  @Column(DataType.STRING(1024)) declare deployed_from: string | null;
  @Column(DataType.STRING(1024)) declare deployed_to: string | null;
  @Column(DataType.BOOLEAN) declare rollback_available: boolean;
  @Column(DataType.TEXT) declare rollback_procedure: string | null;
}
