import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "external_integrations", timestamps: false })
export class ExternalIntegrationModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare session_id: string | null;
  @Column(DataType.CHAR(36)) declare work_item_id: string | null;
  @Column(DataType.STRING(64)) declare integration_type: string;
  @Column(DataType.STRING(255)) declare external_id: string | null;
  @Column(DataType.STRING(1024)) declare external_url: string | null;
  @Column(DataType.STRING(8)) declare action: string;
  @Column(DataType.STRING(8)) declare direction: string;
  @Column(DataType.JSON) declare request_data: Record<string, unknown> | null;
  @Column(DataType.JSON) declare response_data: Record<string, unknown> | null;
}
