import { createHash } from "node:crypto";
import type { Database } from "@msp/db";
import { uuidv7 } from "@msp/db";

/** Memory tables a test can write rows into. */
export type MemoryTable =
  | "conversation_contexts"
  | "context_snippets"
  | "decision_logs"
  | "environmental_insights"
  | "failure_patterns"
  | "project_states";

/** A timestamp as both dialects store it: UTC, millisecond precision, no zone. */
export function sqlTime(time: Date): string {
  return time.toISOString().slice(0, 23).replace("T", " ");
}

const hashOf = (text: string) => createHash("sha256").update(text).digest("hex");

/** The columns a row of each table must have, so tests name only what they test. */
function defaults(table: MemoryTable, values: Record<string, unknown>): Record<string, unknown> {
  const text = (key: string, fallback: string) => {
    const value = values[key];
    return typeof value === "string" ? value : fallback;
  };
  switch (table) {
    case "conversation_contexts":
      return {
        title: "Context",
        dense_summary: "",
        context_type: "session_summary",
        content_hash: hashOf(text("dense_summary", uuidv7())),
      };
    case "context_snippets":
      return { title: "Snippet", dense_content: "", category: "pattern", content_hash: hashOf(text("dense_content", uuidv7())) };
    case "decision_logs":
      return { decision: "Decision" };
    case "environmental_insights":
      return { title: "Insight", category: "command_constraints", client_id: uuidv7() };
    case "failure_patterns": {
      const seen = sqlTime(new Date());
      return {
        pattern_type: "command_compatibility",
        signature: hashOf(uuidv7()),
        scope_key: `${text("client_id", "-")}:-`,
        error_pattern: "error",
        first_seen_at: seen,
        last_seen_at: seen,
      };
    }
    case "project_states":
      return { scope_key: values["project_id"] ? `project:${text("project_id", "")}` : `repository:${text("repository", "")}` };
  }
}

/**
 * Inserts one row with raw SQL (as ingest would have written it) and returns its id. JSON values
 * (arrays, objects) are written as JSON text; Dates as SQL timestamps.
 */
export async function insertRow(db: Database, table: MemoryTable, values: Record<string, unknown> = {}): Promise<string> {
  const now = sqlTime(new Date());
  const row: Record<string, unknown> = {
    id: uuidv7(),
    revision: 1,
    created_at: now,
    updated_at: now,
    ...defaults(table, values),
    ...values,
  };
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) row[key] = sqlTime(value);
    else if (typeof value === "object" && value !== null) row[key] = JSON.stringify(value);
    else if (typeof value === "boolean") row[key] = value ? 1 : 0;
  }
  const columns = Object.keys(row);
  await db.sequelize.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`, {
    replacements: Object.values(row),
  });
  return row["id"] as string;
}
