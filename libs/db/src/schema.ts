import { createHash } from "node:crypto";
import type { QueryInterface, Sequelize } from "sequelize";
import type { Dialect } from "./database";

/** What a migration gets: the connection and which dialect it is writing DDL for. */
export interface MigrationContext {
  sequelize: Sequelize;
  queryInterface: QueryInterface;
  dialect: Dialect;
}

type OnDelete = "CASCADE" | "SET NULL" | "RESTRICT";

interface ColumnSpec {
  kind: "char36" | "string" | "text" | "bool" | "int" | "bigint" | "decimal" | "datetime" | "date" | "json" | "enum";
  length?: number;
  precision?: [number, number];
  values?: readonly string[];
  notNull: boolean;
  defaultValue?: string | number | boolean;
  references?: { table: string; onDelete: OnDelete };
  primaryKey?: boolean;
}

/** A column being described; chain notNull() / default() on it. */
export class Column {
  constructor(readonly spec: ColumnSpec) {}
  notNull(): Column {
    return new Column({ ...this.spec, notNull: true });
  }
  default(value: string | number | boolean): Column {
    return new Column({ ...this.spec, defaultValue: value });
  }
  /** Part of the table's primary key (a natural key; entity tables use col.id()). */
  primaryKey(): Column {
    return new Column({ ...this.spec, notNull: true, primaryKey: true });
  }
}

const column = (kind: ColumnSpec["kind"], extra: Partial<ColumnSpec> = {}) => new Column({ kind, notNull: false, ...extra });

/** Column builders shared by every migration, so both dialects get the same schema. */
export const col = {
  id: () => column("char36", { notNull: true, primaryKey: true }),
  ref: (table: string, onDelete: OnDelete) => column("char36", { references: { table, onDelete } }),
  uuid: () => column("char36"),
  string: (length = 255) => column("string", { length }),
  text: () => column("text"),
  bool: () => column("bool"),
  int: () => column("int"),
  bigint: () => column("bigint"),
  decimal: (precision: number, scale: number) => column("decimal", { precision: [precision, scale] }),
  datetime: () => column("datetime"),
  date: () => column("date"),
  json: () => column("json"),
  /** A closed set of values, checked by the database. */
  enum: (values: readonly string[]) => column("enum", { values, length: Math.max(...values.map((v) => v.length)) }),
};

/** The columns every entity table has: id, optimistic-concurrency revision, timestamps. */
export function entityColumns(): Record<string, Column> {
  return {
    id: col.id(),
    revision: col.int().notNull().default(1),
    created_at: col.datetime().notNull(),
    updated_at: col.datetime().notNull(),
  };
}

export interface TableOptions {
  /** Single or composite indexes: ["client_id"] or [["session_id", "tag_id"]]. */
  indexes?: readonly (string | readonly string[])[];
  unique?: readonly (string | readonly string[])[];
  /**
   * Extra CHECK expressions in portable SQL, such as "ended_at IS NULL OR ended_at >= started_at",
   * or one per dialect where they differ.
   */
  checks?: readonly (string | Readonly<Record<Dialect, string>>)[];
}

export async function createTable(
  ctx: MigrationContext,
  table: string,
  columns: Record<string, Column>,
  options: TableOptions = {},
): Promise<void> {
  const q = quoter(ctx.dialect);
  const parts: string[] = [];
  const checks: string[] = [];
  for (const [name, { spec }] of Object.entries(columns)) {
    parts.push(columnDefinition(q, name, spec, ctx.dialect));
    if (spec.values) checks.push(enumCheck(q, name, spec.values));
  }
  const primary = Object.entries(columns)
    .filter(([, c]) => c.spec.primaryKey)
    .map(([name]) => q(name));
  parts.push(`PRIMARY KEY (${primary.join(", ")})`);
  for (const [name, { spec }] of Object.entries(columns)) {
    if (!spec.references) continue;
    parts.push(
      `CONSTRAINT ${q(constraintName(`fk_${table}_${name}`))} FOREIGN KEY (${q(name)}) REFERENCES ${q(spec.references.table)} (${q("id")}) ON DELETE ${spec.references.onDelete}`,
    );
  }
  for (const unique of options.unique ?? []) {
    const cols = typeof unique === "string" ? [unique] : unique;
    parts.push(`CONSTRAINT ${q(constraintName(`uq_${table}_${cols.join("_")}`))} UNIQUE (${cols.map(q).join(", ")})`);
  }
  const extraChecks = (options.checks ?? []).map((check) => (typeof check === "string" ? check : check[ctx.dialect]));
  [...checks, ...extraChecks].forEach((check, i) => {
    parts.push(`CONSTRAINT ${q(`ck_${table}_${i + 1}`)} CHECK (${check})`);
  });
  const suffix = ctx.dialect === "mariadb" ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci" : "";
  await ctx.sequelize.query(`CREATE TABLE ${q(table)} (\n  ${parts.join(",\n  ")}\n)${suffix}`);

  // Every foreign key and every filtered column gets an index; InnoDB indexes foreign keys itself.
  const indexed = new Set<string>();
  const foreignKeys = ctx.dialect === "sqlite" ? Object.entries(columns).filter(([, c]) => c.spec.references) : [];
  const indexes = [...foreignKeys.map(([name]) => [name]), ...(options.indexes ?? []).map((i) => (typeof i === "string" ? [i] : [...i]))];
  for (const cols of indexes) {
    const key = cols.join(",");
    if (indexed.has(key)) continue;
    indexed.add(key);
    await ctx.sequelize.query(
      `CREATE INDEX ${q(constraintName(`ix_${table}_${cols.join("_")}`))} ON ${q(table)} (${cols.map(q).join(", ")})`,
    );
  }
}

/**
 * Adds a column to an existing table, with its own CHECK (enumerations are checked too). The
 * check is a column constraint, so dropColumn takes it along on both dialects. A NOT NULL
 * column needs a default, which existing rows get.
 */
export async function addColumn(ctx: MigrationContext, table: string, name: string, column: Column, check?: string): Promise<void> {
  const q = quoter(ctx.dialect);
  const { spec } = column;
  if (spec.references || spec.primaryKey) throw new Error(`addColumn ${table}.${name}: keys and references need createTable`);
  if (spec.notNull && spec.defaultValue === undefined) throw new Error(`addColumn ${table}.${name}: a NOT NULL column needs a default`);
  const checks = [...(spec.values ? [enumCheck(q, name, spec.values)] : []), ...(check ? [check] : [])];
  const constraint = checks.length > 0 ? ` CHECK (${checks.map((c) => `(${c})`).join(" AND ")})` : "";
  await ctx.sequelize.query(`ALTER TABLE ${q(table)} ADD COLUMN ${columnDefinition(q, name, spec, ctx.dialect)}${constraint}`);
}

/** Removes a column added by addColumn (and its check). */
export async function dropColumn(ctx: MigrationContext, table: string, name: string): Promise<void> {
  const q = quoter(ctx.dialect);
  await ctx.sequelize.query(`ALTER TABLE ${q(table)} DROP COLUMN ${q(name)}`);
}

/** MariaDB allows 64 characters in a name: longer ones keep their start and get a hash of the whole. */
function constraintName(name: string): string {
  if (name.length <= 64) return name;
  return `${name.slice(0, 55)}_${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
}

function quoter(dialect: Dialect): (name: string) => string {
  return (name) => (dialect === "mariadb" ? `\`${name}\`` : `"${name}"`);
}

function columnDefinition(q: (name: string) => string, name: string, spec: ColumnSpec, dialect: Dialect): string {
  let sql = `${q(name)} ${columnType(spec, dialect)}`;
  if (spec.notNull) sql += " NOT NULL";
  if (spec.defaultValue !== undefined) sql += ` DEFAULT ${literal(spec.defaultValue)}`;
  return sql;
}

function enumCheck(q: (name: string) => string, name: string, values: readonly string[]): string {
  return `${q(name)} IN (${values.map(literal).join(", ")})`;
}

export async function dropTable(ctx: MigrationContext, table: string): Promise<void> {
  const q = ctx.dialect === "mariadb" ? `\`${table}\`` : `"${table}"`;
  await ctx.sequelize.query(`DROP TABLE IF EXISTS ${q}`);
}

function columnType(spec: ColumnSpec, dialect: Dialect): string {
  switch (spec.kind) {
    case "char36":
      return "CHAR(36)";
    case "string":
    case "enum":
      return `VARCHAR(${spec.length ?? 255})`;
    case "text":
      return dialect === "mariadb" ? "MEDIUMTEXT" : "TEXT";
    case "bool":
      return "TINYINT(1)";
    case "int":
      return dialect === "mariadb" ? "INT" : "INTEGER";
    case "bigint":
      return "BIGINT";
    case "decimal":
      return `DECIMAL(${spec.precision?.[0] ?? 12},${spec.precision?.[1] ?? 2})`;
    case "datetime":
      return dialect === "mariadb" ? "DATETIME(3)" : "DATETIME";
    case "date":
      return "DATE";
    case "json":
      return dialect === "mariadb" ? "JSON" : "TEXT";
  }
}

function literal(value: string | number | boolean): string {
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "number") return String(value);
  return `'${value.replace(/'/g, "''")}'`;
}
