import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "security_incidents", timestamps: false })
export class SecurityIncidentModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare client_id: string | null;
  @Column(DataType.CHAR(36)) declare infrastructure_id: string | null;
  @Column(DataType.CHAR(36)) declare service_id: string | null;
  @Column(DataType.STRING(19)) declare incident_type: string;
  @Column(DataType.STRING(8)) declare severity: string;
  @Column(DataType.DATE(3)) declare occurred_at: Date;
  @Column(DataType.TEXT) declare description: string;
  @Column(DataType.TEXT) declare findings: string | null;
  @Column(DataType.TEXT) declare remediation_steps: string | null;
  @Column(DataType.STRING(13)) declare status: string;
  @Column(DataType.DATE(3)) declare resolved_at: Date | null;
  @Column(DataType.TEXT) declare notes: string | null;
}

@Table({ tableName: "integration_credentials", timestamps: false })
export class IntegrationCredentialModel extends EntityModel {
  @Column(DataType.STRING(11)) declare integration: string;
  @Column(DataType.STRING(11)) declare credential_type: string;
  @Column(DataType.STRING(255)) declare name: string | null;
  @Column(DataType.STRING(255)) declare username: string | null;
  @Column(DataType.STRING(2048)) declare api_base_url: string | null;
  @Column(DataType.STRING(2048)) declare webhook_url: string | null;
  @Column(DataType.DATE(3)) declare expires_at: Date | null;
  @Column(DataType.DATE(3)) declare last_tested_at: Date | null;
  @Column(DataType.STRING(6)) declare last_test_status: string | null;
  @Column(DataType.BOOLEAN) declare is_active: boolean;
  @Column(DataType.BOOLEAN) declare has_secret: boolean;
  @Column(DataType.BOOLEAN) declare has_refresh_token: boolean;
  @Column(DataType.BOOLEAN) declare has_webhook_secret: boolean;
  @Column(DataType.TEXT) declare secret: string | null;
  @Column(DataType.STRING(24)) declare secret_nonce: string | null;
  @Column(DataType.TEXT) declare refresh_token: string | null;
  @Column(DataType.STRING(24)) declare refresh_token_nonce: string | null;
  @Column(DataType.TEXT) declare webhook_secret: string | null;
  @Column(DataType.STRING(24)) declare webhook_secret_nonce: string | null;
  @Column(DataType.CHAR(36)) declare key_id: string | null;
}
