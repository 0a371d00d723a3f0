import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "m365_tenants", timestamps: false })
export class M365TenantModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare client_id: string;
  @Column(DataType.CHAR(36)) declare tenant_id: string;
  @Column(DataType.STRING(255)) declare tenant_name: string | null;
  @Column(DataType.STRING(255)) declare default_domain: string | null;
  @Column(DataType.STRING(320)) declare admin_email: string | null;
  @Column(DataType.TEXT) declare notes: string | null;
}

@Table({ tableName: "infrastructure_changes", timestamps: false })
export class InfrastructureChangeModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare work_item_id: string | null;
  @Column(DataType.CHAR(36)) declare session_id: string | null;
  @Column(DataType.CHAR(36)) declare infrastructure_id: string | null;
  @Column(DataType.STRING(14)) declare change_type: string;
  @Column(DataType.STRING(1024)) declare target_system: string;
  @Column(DataType.TEXT) declare before_state: string | null;
  @Column(DataType.TEXT) declare after_state: string | null;
  @Column(DataType.BOOLEAN) declare is_permanent: boolean;
  @Column(DataType.TEXT) declare rollback_procedure: string | null;
  @Column(DataType.BOOLEAN) declare verified: boolean;
  @Column(DataType.TEXT) declare verification_notes: string | null;
}
