import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "projects", timestamps: false })
export class ProjectModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare client_id: string;
  @Column(DataType.STRING(255)) declare name: string;
  @Column(DataType.STRING(128)) declare slug: string;
  @Column(DataType.STRING(32)) declare category: string;
  @Column(DataType.STRING(16)) declare status: string;
  @Column(DataType.STRING(16)) declare priority: string;
  @Column(DataType.TEXT) declare description: string | null;
  @Column(DataType.STRING(1024)) declare repo_url: string | null;
  @Column(DataType.DATEONLY) declare started_on: string | null;
  @Column(DataType.DATEONLY) declare target_on: string | null;
  @Column(DataType.DATEONLY) declare completed_on: string | null;
  @Column(DataType.DECIMAL(10, 2)) declare estimated_hours: string | null;
  @Column(DataType.DECIMAL(10, 2)) declare actual_hours: string | null;
  @Column(DataType.DECIMAL(10, 2)) declare hourly_rate: string | null;
}
