import type { Migration } from "@msp/db";
import { col, createTable, dropTable, entityColumns } from "@msp/db";

/** Tags are stored lower-case; MariaDB compares case-insensitively unless told to compare bytes. */
const lowerCase = (column: string) => ({ sqlite: `${column} = LOWER(${column})`, mariadb: `BINARY ${column} = BINARY LOWER(${column})` });

/**
 * The recall service: Claude's memory (contexts, snippets, their tags, project states,
 * decisions, environmental insights, failure patterns and the failures they are learned from),
 * plus the staging of multi-part ingests and the receipts that make an ingest happen once.
 * Session, project, client, machine and asset ids belong to other services: plain ids, no FK.
 *
 * Unique keys over nullable columns: both dialects let NULLs repeat in a UNIQUE index, which is
 * what "claude_session_id unique where set" wants. Where NULL must count as a value (a failure
 * pattern with no client, a project state known only by its repository), the service writes a
 * NOT NULL `scope_key` and the unique key is on that.
 */
export const recall: Migration = {
  name: "20261126000000-Recall",
  async up(ctx) {
    // What every memory item carries for recall: where it came from and how it fared.
    const recallColumns = () => ({
      pinned: col.bool().notNull().default(false),
      recall_count: col.int().notNull().default(0),
      last_recalled_at: col.datetime(),
      useful_count: col.int().notNull().default(0),
    });
    const recallChecks = ["recall_count >= 0", "useful_count >= 0"];

    await createTable(
      ctx,
      "conversation_contexts",
      {
        ...entityColumns(),
        session_id: col.uuid(),
        project_id: col.uuid(),
        client_id: col.uuid(),
        machine_id: col.uuid(),
        machine_name: col.string(),
        claude_session_id: col.string(128),
        idempotency_key: col.string(200),
        repository: col.string(512),
        cwd: col.string(1024),
        git_branch: col.string(),
        context_type: col.enum(["session_summary", "project_state", "general"]).notNull().default("general"),
        title: col.string(512).notNull(),
        dense_summary: col.text().notNull(),
        key_decisions: col.json(),
        current_state: col.json(),
        tags: col.json(),
        importance: col.int().notNull().default(5),
        source_tokens: col.bigint().notNull().default(0),
        summary_tokens: col.bigint().notNull().default(0),
        content_hash: col.string(64).notNull(),
        started_at: col.datetime(),
        ended_at: col.datetime(),
        ...recallColumns(),
      },
      {
        unique: ["claude_session_id", "idempotency_key"],
        indexes: [
          ["project_id", "created_at"],
          ["client_id", "created_at"],
          ["repository", "created_at"],
          "session_id",
          "machine_id",
          "context_type",
          "content_hash",
          "importance",
          "pinned",
          "created_at",
        ],
        checks: [
          "importance BETWEEN 0 AND 10",
          "source_tokens >= 0",
          "summary_tokens >= 0",
          "ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at",
          ...recallChecks,
        ],
      },
    );

    await createTable(
      ctx,
      "context_snippets",
      {
        ...entityColumns(),
        project_id: col.uuid(),
        client_id: col.uuid(),
        context_id: col.ref("conversation_contexts", "CASCADE"),
        machine_id: col.uuid(),
        machine_name: col.string(),
        repository: col.string(512),
        category: col.enum(["tech_decision", "configuration", "pattern", "lesson_learned", "command", "credential_reference"]).notNull(),
        title: col.string(512).notNull(),
        dense_content: col.text().notNull(),
        structured_data: col.json(),
        tags: col.json(),
        importance: col.int().notNull().default(5),
        usage_count: col.int().notNull().default(0),
        last_used_at: col.datetime(),
        content_hash: col.string(64).notNull(),
        ...recallColumns(),
      },
      {
        indexes: [
          ["project_id", "content_hash"],
          ["project_id", "created_at"],
          ["client_id", "created_at"],
          ["repository", "content_hash"],
          "category",
          "content_hash",
          "importance",
          "pinned",
          "created_at",
        ],
        checks: ["importance BETWEEN 0 AND 10", "usage_count >= 0", ...recallChecks],
      },
    );

    await createTable(
      ctx,
      "context_tags",
      {
        ...entityColumns(),
        owner_type: col.enum(["context", "snippet"]).notNull(),
        // A context or a snippet (by owner_type): kept by the service, deleted with its owner.
        owner_id: col.uuid().notNull(),
        tag: col.string(64).notNull(),
        project_id: col.uuid(),
        client_id: col.uuid(),
      },
      {
        unique: [["owner_type", "owner_id", "tag"]],
        indexes: [["tag", "project_id"], ["tag", "client_id"], "owner_id", "project_id", "client_id", "created_at"],
        checks: [lowerCase("tag"), "tag <> ''"],
      },
    );

    await createTable(
      ctx,
      "project_states",
      {
        ...entityColumns(),
        project_id: col.uuid(),
        repository: col.string(512),
        // "project:<project_id>", or "repository:<repository>" while the project is unknown.
        scope_key: col.string(600).notNull(),
        client_id: col.uuid(),
        last_session_id: col.uuid(),
        last_context_id: col.ref("conversation_contexts", "SET NULL"),
        current_phase: col.string(),
        progress_percent: col.int(),
        blockers: col.json(),
        next_actions: col.json(),
        summary: col.text(),
        key_files: col.json(),
        important_decisions: col.json(),
        machine_id: col.uuid(),
        machine_name: col.string(),
      },
      {
        unique: ["project_id", "scope_key"],
        indexes: ["repository", "client_id", "current_phase", "progress_percent", "created_at"],
        checks: ["progress_percent IS NULL OR progress_percent BETWEEN 0 AND 100", "project_id IS NOT NULL OR repository IS NOT NULL"],
      },
    );

    await createTable(
      ctx,
      "decision_logs",
      {
        ...entityColumns(),
        project_id: col.uuid(),
        client_id: col.uuid(),
        session_id: col.uuid(),
        context_id: col.ref("conversation_contexts", "CASCADE"),
        repository: col.string(512),
        machine_id: col.uuid(),
        machine_name: col.string(),
        decision_type: col.enum(["technical", "architectural", "process", "security"]).notNull().default("technical"),
        decision: col.text().notNull(),
        rationale: col.text(),
        alternatives: col.json(),
        impact: col.enum(["low", "medium", "high", "critical"]).notNull().default("medium"),
        tags: col.json(),
        subject: col.string(),
        // The subject normalized (lower-case, words only): decisions on the same subject supersede each other.
        subject_key: col.string(),
        superseded_by_id: col.ref("decision_logs", "SET NULL"),
        ...recallColumns(),
      },
      {
        indexes: [
          ["project_id", "subject_key"],
          ["repository", "subject_key"],
          ["project_id", "created_at"],
          ["client_id", "created_at"],
          "session_id",
          "decision_type",
          "impact",
          "subject",
          "superseded_by_id",
          "created_at",
        ],
        // No CHECK on superseded_by_id: MariaDB refuses checks on a column with a SET NULL action.
        checks: recallChecks,
      },
    );

    await createTable(
      ctx,
      "environmental_insights",
      {
        ...entityColumns(),
        client_id: col.uuid().notNull(),
        infrastructure_id: col.uuid(),
        host: col.string(),
        category: col
          .enum([
            "command_constraints",
            "service_configuration",
            "version_limitations",
            "custom_installations",
            "network_constraints",
            "permissions",
          ])
          .notNull(),
        title: col.string(512).notNull(),
        description: col.text(),
        examples: col.json(),
        confidence: col.decimal(3, 2).notNull().default(0.5),
        verification_count: col.int().notNull().default(0),
        priority: col.int().notNull().default(5),
        last_verified_at: col.datetime(),
        ...recallColumns(),
      },
      {
        indexes: [["client_id", "category"], "infrastructure_id", "host", "category", "priority", "pinned", "created_at"],
        checks: ["confidence BETWEEN 0 AND 1", "verification_count >= 0", "priority BETWEEN 0 AND 10", ...recallChecks],
      },
    );

    await createTable(
      ctx,
      "failure_patterns",
      {
        ...entityColumns(),
        client_id: col.uuid(),
        infrastructure_id: col.uuid(),
        host: col.string(),
        // "<client_id or ->:<infrastructure_id or ->": the scope a signature is unique in, NULLs included.
        scope_key: col.string(80).notNull(),
        pattern_type: col
          .enum([
            "command_compatibility",
            "version_mismatch",
            "permission_denied",
            "service_unavailable",
            "configuration_error",
            "environmental_limitation",
          ])
          .notNull(),
        signature: col.string(64).notNull(),
        error_pattern: col.text().notNull(),
        triggering_commands: col.json(),
        description: col.text(),
        root_cause: col.text(),
        recommended_solution: col.text(),
        alternatives: col.json(),
        occurrence_count: col.int().notNull().default(1),
        first_seen_at: col.datetime().notNull(),
        last_seen_at: col.datetime().notNull(),
        severity: col.enum(["low", "medium", "high", "critical"]).notNull().default("medium"),
        is_active: col.bool().notNull().default(true),
        ...recallColumns(),
      },
      {
        unique: [["scope_key", "signature"]],
        indexes: [
          ["client_id", "is_active"],
          "infrastructure_id",
          "host",
          "pattern_type",
          "signature",
          "severity",
          "is_active",
          "occurrence_count",
          "last_seen_at",
          "created_at",
        ],
        checks: ["occurrence_count >= 1", "last_seen_at >= first_seen_at", ...recallChecks],
      },
    );

    await createTable(
      ctx,
      "operation_failures",
      {
        ...entityColumns(),
        session_id: col.uuid(),
        work_item_id: col.uuid(),
        client_id: col.uuid(),
        infrastructure_id: col.uuid(),
        operation_type: col
          .enum(["api_call", "file_operation", "network_request", "database_query", "external_integration", "service_restart", "command"])
          .notNull(),
        description: col.text(),
        target_system: col.string(),
        command: col.text(),
        error_message: col.text().notNull(),
        error_code: col.string(64),
        failure_category: col.string(64),
        resolution: col.text(),
        resolved: col.bool().notNull().default(false),
        resolved_at: col.datetime(),
        signature: col.string(64).notNull(),
        failure_pattern_id: col.ref("failure_patterns", "SET NULL"),
      },
      {
        indexes: [
          "session_id",
          "work_item_id",
          ["client_id", "created_at"],
          "infrastructure_id",
          "operation_type",
          "failure_category",
          "resolved",
          "signature",
          "created_at",
        ],
        checks: ["resolved = 1 OR resolved_at IS NULL"],
      },
    );

    // Parts of a multi-part ingest until all arrived; purged once assembled, and after 24 hours.
    await createTable(
      ctx,
      "ingest_parts",
      {
        id: col.id(),
        idempotency_key: col.string(200).notNull(),
        part_index: col.int().notNull(),
        part_count: col.int().notNull(),
        content: col.text().notNull(),
        received_at: col.datetime().notNull(),
      },
      {
        unique: [["idempotency_key", "part_index"]],
        indexes: ["received_at"],
        checks: ["part_count >= 2", "part_index >= 0 AND part_index < part_count"],
      },
    );

    // One row per ingest that stored something: the same idempotency key again stores nothing.
    await createTable(
      ctx,
      "ingest_receipts",
      {
        id: col.id(),
        idempotency_key: col.string(200).notNull(),
        claude_session_id: col.string(128).notNull(),
        context_id: col.ref("conversation_contexts", "SET NULL"),
        // stale: a shorter save of a session already stored further; nothing was written.
        status: col.enum(["stored", "updated", "stale"]).notNull(),
        created_at: col.datetime().notNull(),
      },
      { unique: ["idempotency_key"], indexes: ["claude_session_id", "created_at"] },
    );
  },
  async down(ctx) {
    for (const table of [
      "ingest_receipts",
      "ingest_parts",
      "operation_failures",
      "failure_patterns",
      "environmental_insights",
      "decision_logs",
      "project_states",
      "context_tags",
      "context_snippets",
      "conversation_contexts",
    ]) {
      await dropTable(ctx, table);
    }
  },
};
