import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "context_snippets", timestamps: false })
export class ContextSnippetModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare project_id: string | null;
  @Column(DataType.CHAR(36)) declare client_id: string | null;
  @Column(DataType.CHAR(36)) declare context_id: string | null;
  @Column(DataType.CHAR(36)) declare machine_id: string | null;
  @Column(DataType.STRING(255)) declare machine_name: string | null;
  @Column(DataType.STRING(512)) declare repository: string | null;
  @Column(DataType.STRING(32)) declare category: string;
  @Column(DataType.STRING(512)) declare title: string;
  @Column(DataType.TEXT) declare dense_content: string;
  @Column(DataType.JSON) declare structured_data: Record<string, unknown> | null;
  @Column(DataType.JSON) declare tags: string[] | null;
  @Column(DataType.INTEGER) declare importance: number;
  @Column(DataType.INTEGER) declare usage_count: number;
  @Column(DataType.DATE(3)) declare last_used_at: Date | null;
  @Column(DataType.STRING(64)) declare content_hash: string;
  @Column(DataType.BOOLEAN) declare pinned: boolean;
  @Column(DataType.INTEGER) declare recall_count: number;
  @Column(DataType.DATE(3)) declare last_recalled_at: Date | null;
  @Column(DataType.INTEGER) declare useful_count: number;
  /** When the work was done: the end of the session it came from (null: its own time). */
  @Column(DataType.DATE(3)) declare occurred_at: Date | null;
}
