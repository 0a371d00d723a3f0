import { Column, DataType, Table } from "sequelize-typescript";
import { EntityModel } from "@msp/resource-kit";

@Table({ tableName: "conversation_contexts", timestamps: false })
export class ConversationContextModel extends EntityModel {
  @Column(DataType.CHAR(36)) declare session_id: string | null;
  @Column(DataType.CHAR(36)) declare project_id: string | null;
  @Column(DataType.CHAR(36)) declare client_id: string | null;
  @Column(DataType.CHAR(36)) declare machine_id: string | null;
  @Column(DataType.STRING(255)) declare machine_name: string | null;
  @Column(DataType.STRING(128)) declare claude_session_id: string | null;
  @Column(DataType.STRING(200)) declare idempotency_key: string | null;
  @Column(DataType.STRING(512)) declare repository: string | null;
  @Column(DataType.STRING(1024)) declare cwd: string | null;
  @Column(DataType.STRING(255)) declare git_branch: string | null;
  @Column(DataType.STRING(16)) declare context_type: string;
  @Column(DataType.STRING(512)) declare title: string;
  @Column(DataType.TEXT) declare dense_summary: string;
  @Column(DataType.JSON) declare key_decisions: string[] | null;
  @Column(DataType.JSON) declare current_state: Record<string, unknown> | null;
  @Column(DataType.JSON) declare tags: string[] | null;
  @Column(DataType.INTEGER) declare importance: number;
  @Column(DataType.BIGINT) declare source_tokens: number;
  @Column(DataType.BIGINT) declare summary_tokens: number;
  @Column(DataType.STRING(64)) declare content_hash: string;
  @Column(DataType.DATE(3)) declare started_at: Date | null;
  @Column(DataType.DATE(3)) declare ended_at: Date | null;
  /** A language model's summary of the session (AttachSessionSummary), beside dense_summary. */
  @Column(DataType.TEXT) declare model_summary: string | null;
  @Column(DataType.STRING(128)) declare model_summary_model: string | null;
  @Column(DataType.BIGINT) declare model_summary_tokens: number | null;
  @Column(DataType.DATE(3)) declare model_summary_at: Date | null;
  @Column(DataType.BOOLEAN) declare pinned: boolean;
  @Column(DataType.INTEGER) declare recall_count: number;
  @Column(DataType.DATE(3)) declare last_recalled_at: Date | null;
  @Column(DataType.INTEGER) declare useful_count: number;
}
