import { Column, DataType, Model, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

/** An asset: a row of the infrastructure table. */
@Table({ tableName: "infrastructure", timestamps: false })
export class AssetModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare client_id: string;
  @Column(DataType.CHAR(36)) declare site_id: string | null;
  @Column(DataType.CHAR(36)) declare parent_host_id: string | null;
  @Column(DataType.STRING(15)) declare asset_type: string;
  @Column(DataType.STRING(253)) declare hostname: string;
  @Column(DataType.STRING(45)) declare ip_address: string | null;
  @Column(DataType.STRING(17)) declare mac_address: string | null;
  @Column(DataType.STRING(255)) declare os: string | null;
  @Column(DataType.STRING(255)) declare os_version: string | null;
  @Column(DataType.STRING(255)) declare role: string | null;
  @Column(DataType.STRING(21)) declare status: string;
  @Column(DataType.STRING(64)) declare shell_type: string | null;
  @Column(DataType.STRING(64)) declare package_manager: string | null;
  @Column(DataType.BOOLEAN) declare has_gui: boolean | null;
  @Column(DataType.JSON) declare limitations: string[] | null;
  @Column(DataType.JSON) declare aliases: string[] | null;
  @Column(DataType.JSON) declare tags: string[] | null;
  @Column(DataType.TEXT) declare environmental_notes: string | null;
  @Column(DataType.TEXT) declare notes: string | null;
}

/** A tag on an asset: the tag's id and name as the work service knows them. */
@Table({ tableName: "infrastructure_tags", timestamps: false })
export class AssetTagModel extends Model {
  @Column({ type: DataType.CHAR(36), primaryKey: true }) declare id: string;
  @Column(DataType.CHAR(36)) declare infrastructure_id: string;
  @Column(DataType.CHAR(36)) declare tag_id: string;
  @Column(DataType.STRING(100)) declare tag_name: string;
  @Column(DataType.DATE(3)) declare created_at: Date;
}
