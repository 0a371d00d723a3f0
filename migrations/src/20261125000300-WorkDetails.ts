import type { Migration } from "@msp/db";
import { col, createTable, dropTable, entityColumns } from "@msp/db";

/**
 * What was done in a session: work items (with their tags) and the detail records under them.
 * Deleting a session deletes its work items and details; deleting a work item deletes its
 * details. Infrastructure and service ids belong to the infrastructure service: plain ids, no FK.
 */
export const workDetails: Migration = {
  name: "20261125000300-WorkDetails",
  async up(ctx) {
    // Every detail belongs to a session and, optionally, to one of its work items.
    const detailColumns = () => ({
      ...entityColumns(),
      session_id: col.ref("sessions", "CASCADE").notNull(),
      work_item_id: col.ref("work_items", "CASCADE"),
    });
    const detailIndexes = [["session_id", "id"], ["work_item_id", "id"], "created_at"] as const;

    await createTable(
      ctx,
      "work_items",
      {
        ...entityColumns(),
        session_id: col.ref("sessions", "CASCADE").notNull(),
        category: col
          .enum(["infrastructure", "troubleshooting", "configuration", "development", "maintenance", "security", "documentation"])
          .notNull(),
        category_source: col.enum(["given", "guessed"]).notNull().default("given"),
        title: col.string().notNull(),
        // The composed "Problem / Cause / Fix / Verify" text, or free text; the parts follow.
        description: col.text(),
        problem: col.text(),
        cause: col.text(),
        fix: col.text(),
        verify: col.text(),
        status: col.enum(["completed", "in_progress", "blocked", "pending", "deferred"]).notNull().default("completed"),
        priority: col.enum(["critical", "high", "medium", "low"]),
        is_billable: col.bool().notNull().default(false),
        estimated_minutes: col.int(),
        actual_minutes: col.int(),
        affected_systems: col.json(),
        technologies_used: col.json(),
        position: col.int().notNull().default(0),
        completed_at: col.datetime(),
        // Names of the work item's tags, kept in step with work_item_tags so reads need no join.
        tags: col.json(),
      },
      {
        indexes: [
          ["session_id", "position"],
          ["session_id", "id"],
          "category",
          "category_source",
          "status",
          "priority",
          "is_billable",
          "created_at",
          "completed_at",
        ],
        checks: [
          "estimated_minutes IS NULL OR estimated_minutes >= 0",
          "actual_minutes IS NULL OR actual_minutes >= 0",
          "position >= 0",
          "status = 'completed' OR completed_at IS NULL",
        ],
      },
    );

    await createTable(
      ctx,
      "work_item_tags",
      {
        id: col.id(),
        work_item_id: col.ref("work_items", "CASCADE").notNull(),
        tag_id: col.ref("tags", "CASCADE").notNull(),
        created_at: col.datetime().notNull(),
      },
      { unique: [["work_item_id", "tag_id"]] },
    );

    await createTable(
      ctx,
      "file_changes",
      {
        ...detailColumns(),
        file_path: col.string(1024).notNull(),
        change_type: col.enum(["created", "modified", "deleted", "renamed", "backed_up"]).notNull(),
        previous_path: col.string(1024),
        backup_path: col.string(1024),
        size_bytes: col.bigint(),
        description: col.text(),
      },
      {
        indexes: [...detailIndexes, "file_path", "change_type"],
        checks: ["size_bytes IS NULL OR size_bytes >= 0", "change_type <> 'backed_up' OR backup_path IS NOT NULL"],
      },
    );

    await createTable(
      ctx,
      "commands_run",
      {
        ...detailColumns(),
        command_text: col.text().notNull(),
        host: col.string(),
        shell_type: col.string(64),
        success: col.bool().notNull().default(true),
        exit_code: col.int(),
        output_summary: col.text(),
        error_message: col.text(),
        failure_category: col.enum(["compatibility", "permission", "syntax", "environmental", "network", "other"]),
        resolution: col.text(),
        resolved: col.bool().notNull().default(false),
        position: col.int().notNull().default(0),
      },
      {
        indexes: [...detailIndexes, ["session_id", "position"], "host", "shell_type", "success", "failure_category", "resolved"],
        checks: ["position >= 0", "success = 0 OR failure_category IS NULL"],
      },
    );

    await createTable(
      ctx,
      "problem_solutions",
      {
        ...detailColumns(),
        problem: col.text(),
        symptom: col.text(),
        error_message: col.text(),
        investigation_steps: col.json(),
        root_cause: col.text(),
        solution: col.text().notNull(),
        verification: col.text(),
        rollback_plan: col.text(),
        recurrence_count: col.int().notNull().default(0),
      },
      { indexes: [...detailIndexes, "recurrence_count"], checks: ["recurrence_count >= 0"] },
    );

    await createTable(
      ctx,
      "deployments",
      {
        ...detailColumns(),
        // Owned by the infrastructure service: checked through it, never joined.
        infrastructure_id: col.uuid(),
        service_id: col.uuid(),
        deployment_type: col.enum(["code", "config", "database", "container", "service_restart"]).notNull(),
        version: col.string(),
        description: col.text(),
        deployed_from: col.string(1024),
        deployed_to: col.string(1024),
        rollback_available: col.bool().notNull().default(false),
        rollback_procedure: col.text(),
      },
      { indexes: [...detailIndexes, "infrastructure_id", "service_id", "deployment_type", "rollback_available"] },
    );

    await createTable(
      ctx,
      "database_changes",
      {
        ...detailColumns(),
        database_name: col.string().notNull(),
        // Owned by the infrastructure service: checked through it, never joined.
        infrastructure_id: col.uuid(),
        change_type: col.enum(["schema", "data", "index", "optimization", "cleanup", "migration"]).notNull(),
        sql_executed: col.text(),
        rows_affected: col.bigint(),
        size_freed_bytes: col.bigint(),
        backup_taken: col.bool().notNull().default(false),
        backup_location: col.string(1024),
      },
      {
        indexes: [...detailIndexes, "infrastructure_id", "database_name", "change_type", "backup_taken"],
        checks: ["rows_affected IS NULL OR rows_affected >= 0", "size_freed_bytes IS NULL OR size_freed_bytes >= 0"],
      },
    );
  },
  async down(ctx) {
    for (const table of [
      "database_changes",
      "deployments",
      "problem_solutions",
      "commands_run",
      "file_changes",
      "work_item_tags",
      "work_items",
    ]) {
      await dropTable(ctx, table);
    }
  },
};
