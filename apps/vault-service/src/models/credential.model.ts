import { Column, DataType, Model, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "credentials", timestamps: false })
export class CredentialModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare client_id: string | null;
  @Column(DataType.CHAR(36)) declare infrastructure_id: string | null;
  @Column(DataType.CHAR(36)) declare service_id: string | null;
  @Column(DataType.STRING(17)) declare credential_type: string;
  @Column(DataType.STRING(255)) declare name: string;
  @Column(DataType.STRING(255)) declare username: string | null;
  @Column(DataType.TEXT) declare public_part: string | null;
  @Column(DataType.STRING(2048)) declare url: string | null;
  @Column(DataType.STRING(255)) declare host: string | null;
  @Column(DataType.INTEGER) declare port: number | null;
  @Column(DataType.BOOLEAN) declare requires_vpn: boolean;
  @Column(DataType.BOOLEAN) declare requires_2fa: boolean;
  @Column(DataType.TEXT) declare access_notes: string | null;
  @Column(DataType.DATE(3)) declare expires_at: Date | null;
  @Column(DataType.DATE(3)) declare rotated_at: Date | null;
  @Column(DataType.STRING(255)) declare rotated_by: string | null;
  @Column(DataType.BOOLEAN) declare is_active: boolean;
  @Column(DataType.BOOLEAN) declare has_secret: boolean;
  @Column(DataType.INTEGER) declare secret_version: number;
  @Column(DataType.TEXT) declare secret: string | null;
  @Column(DataType.STRING(24)) declare secret_nonce: string | null;
  @Column(DataType.CHAR(36)) declare key_id: string | null;
}

@Table({ tableName: "credential_versions", timestamps: false })
export class CredentialVersionModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.CHAR(36)) declare credential_id: string;
  @Column(DataType.INTEGER) declare version: number;
  @Column(DataType.TEXT) declare secret: string;
  @Column(DataType.STRING(24)) declare secret_nonce: string;
  @Column(DataType.CHAR(36)) declare key_id: string;
  @Column(DataType.DATE(3)) declare replaced_at: Date;
  @Column(DataType.STRING(255)) declare replaced_by: string;
  @Column(DataType.DATE(3)) declare created_at: Date;
}

@Table({ tableName: "credential_permissions", timestamps: false })
export class CredentialPermissionModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.CHAR(36)) declare credential_id: string;
  @Column(DataType.STRING(64)) declare principal: string;
  @Column(DataType.STRING(6)) declare level: string;
  @Column(DataType.STRING(255)) declare granted_by: string;
  @Column(DataType.DATE(3)) declare granted_at: Date;
}

@Table({ tableName: "credential_access_log", timestamps: false })
export class CredentialAccessModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.CHAR(36)) declare credential_id: string;
  @Column(DataType.STRING(6)) declare action: string;
  @Column(DataType.STRING(255)) declare principal: string;
  @Column(DataType.STRING(64)) declare principal_id: string | null;
  @Column(DataType.STRING(64)) declare source_ip: string | null;
  @Column(DataType.STRING(255)) declare user_agent: string | null;
  @Column(DataType.STRING(500)) declare reason: string | null;
  @Column(DataType.STRING(6)) declare outcome: string;
  @Column(DataType.STRING(500)) declare detail: string | null;
  @Column(DataType.INTEGER) declare version: number | null;
  @Column(DataType.DATE(3)) declare at: Date;
}
