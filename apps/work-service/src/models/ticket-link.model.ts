import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "ticket_links", timestamps: false })
export class TicketLinkModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare session_id: string;
  @Column(DataType.CHAR(36)) declare client_id: string | null;
  @Column(DataType.STRING(11)) declare system: string;
  @Column(DataType.STRING(128)) declare ticket_id: string;
  @Column(DataType.STRING(64)) declare ticket_number: string | null;
  @Column(DataType.STRING(255)) declare subject: string | null;
  @Column(DataType.STRING(1024)) declare url: string | null;
  @Column(DataType.STRING(64)) declare ticket_status: string | null;
  @Column(DataType.STRING(9)) declare link_type: string;
}
