import type { Migration } from "@msp/db";
import { col, createTable, dropTable, entityColumns } from "@msp/db";

/** The work service's core: machines, clients, projects, sessions, tags and tasks. */
export const workCore: Migration = {
  name: "20261125000000-WorkCore",
  async up(ctx) {
    await createTable(
      ctx,
      "machines",
      {
        ...entityColumns(),
        hostname: col.string().notNull(),
        fingerprint: col.string().notNull(),
        friendly_name: col.string(),
        machine_type: col.enum(["laptop", "desktop", "workstation", "server", "vm"]),
        platform: col.enum(["linux", "darwin", "win32"]),
        os_version: col.string(),
        username: col.string(),
        home_directory: col.string(1024),
        preferred_shell: col.string(64),
        capabilities: col.json(),
        installed_tools: col.json(),
        available_mcps: col.json(),
        working_directories: col.json(),
        is_primary: col.bool().notNull().default(false),
        is_active: col.bool().notNull().default(true),
        last_seen_at: col.datetime(),
        notes: col.text(),
      },
      {
        unique: ["fingerprint"],
        indexes: ["hostname", "machine_type", "platform", "is_active", "is_primary", "created_at", "last_seen_at"],
      },
    );

    await createTable(
      ctx,
      "clients",
      {
        ...entityColumns(),
        name: col.string().notNull(),
        client_type: col.enum(["msp_client", "internal", "project"]).notNull().default("msp_client"),
        domain_name: col.string(),
        network_subnet: col.string(64),
        primary_contact: col.string(),
        default_hourly_rate: col.decimal(10, 2),
        is_active: col.bool().notNull().default(true),
        notes: col.text(),
      },
      { unique: ["name"], indexes: ["client_type", "is_active", "created_at"] },
    );

    await createTable(
      ctx,
      "projects",
      {
        ...entityColumns(),
        client_id: col.ref("clients", "RESTRICT").notNull(),
        name: col.string().notNull(),
        slug: col.string(128).notNull(),
        category: col
          .enum(["client_project", "internal_product", "dev_tool", "infrastructure", "website", "documentation"])
          .notNull()
          .default("client_project"),
        status: col.enum(["pending", "working", "blocked", "critical", "deferred", "complete"]).notNull().default("pending"),
        priority: col.enum(["critical", "high", "medium", "low"]).notNull().default("medium"),
        description: col.text(),
        repo_url: col.string(1024),
        started_on: col.date(),
        target_on: col.date(),
        completed_on: col.date(),
        estimated_hours: col.decimal(10, 2),
        actual_hours: col.decimal(10, 2),
      },
      {
        unique: ["slug"],
        indexes: [["client_id", "id"], "category", "status", "priority", "repo_url", "created_at", "name"],
        checks: ["estimated_hours IS NULL OR estimated_hours >= 0", "actual_hours IS NULL OR actual_hours >= 0"],
      },
    );

    await createTable(
      ctx,
      "sessions",
      {
        ...entityColumns(),
        client_id: col.ref("clients", "SET NULL"),
        project_id: col.ref("projects", "SET NULL"),
        machine_id: col.ref("machines", "SET NULL"),
        external_session_id: col.string(128),
        title: col.string(),
        summary: col.text(),
        status: col.enum(["in_progress", "completed", "abandoned"]).notNull().default("in_progress"),
        started_at: col.datetime().notNull(),
        ended_at: col.datetime(),
        duration_minutes: col.int(),
        is_billable: col.bool().notNull().default(false),
        billable_hours: col.decimal(10, 2).notNull().default(0),
        technician: col.string(),
        // Names of the session's tags, kept in step with session_tags so reads need no join.
        tags: col.json(),
      },
      {
        unique: [["machine_id", "external_session_id"]],
        indexes: [
          ["client_id", "id"],
          ["project_id", "id"],
          "external_session_id",
          "status",
          "is_billable",
          "technician",
          "started_at",
          "created_at",
        ],
        checks: ["ended_at IS NULL OR ended_at >= started_at", "duration_minutes IS NULL OR duration_minutes >= 0"],
      },
    );

    await createTable(
      ctx,
      "tags",
      {
        ...entityColumns(),
        name: col.string(64).notNull(),
        category: col.enum(["technology", "client", "infrastructure", "problem_type", "action", "service"]),
        description: col.text(),
        usage_count: col.int().notNull().default(0),
      },
      {
        unique: ["name"],
        indexes: ["category", "usage_count", "created_at"],
        checks: [{ sqlite: "name = LOWER(name)", mariadb: "BINARY name = BINARY LOWER(name)" }],
      },
    );

    await createTable(
      ctx,
      "session_tags",
      {
        id: col.id(),
        session_id: col.ref("sessions", "CASCADE").notNull(),
        tag_id: col.ref("tags", "CASCADE").notNull(),
        created_at: col.datetime().notNull(),
      },
      { unique: [["session_id", "tag_id"]] },
    );

    await createTable(
      ctx,
      "tasks",
      {
        ...entityColumns(),
        parent_task_id: col.ref("tasks", "CASCADE"),
        position: col.int().notNull().default(0),
        title: col.string().notNull(),
        description: col.text(),
        task_type: col
          .enum(["implementation", "research", "review", "deployment", "testing", "documentation", "bugfix", "analysis"])
          .notNull()
          .default("implementation"),
        status: col.enum(["pending", "in_progress", "blocked", "completed", "cancelled"]).notNull().default("pending"),
        blocking_reason: col.text(),
        session_id: col.ref("sessions", "SET NULL"),
        client_id: col.ref("clients", "SET NULL"),
        project_id: col.ref("projects", "SET NULL"),
        complexity: col.enum(["trivial", "simple", "moderate", "complex", "very_complex"]),
        depends_on: col.json(),
        started_at: col.datetime(),
        completed_at: col.datetime(),
      },
      { indexes: ["status", "task_type", "created_at", "title", "position"] },
    );
  },
  async down(ctx) {
    for (const table of ["tasks", "session_tags", "tags", "sessions", "projects", "clients", "machines"]) {
      await dropTable(ctx, table);
    }
  },
};
