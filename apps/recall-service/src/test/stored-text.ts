import { QueryTypes } from "sequelize";
import type { Database } from "@msp/db";

/** One text column of one table, as the database schema names it. */
export interface TextColumn {
  table: string;
  column: string;
}

/** Column types that can hold text: character, text, JSON and binary columns (FTS index blobs included). */
const sqliteText = /char|clob|text|json|blob|^$/i;
const mariadbText = new Set([
  "char",
  "varchar",
  "tinytext",
  "text",
  "mediumtext",
  "longtext",
  "json",
  "enum",
  "set",
  "binary",
  "varbinary",
  "blob",
  "mediumblob",
  "longblob",
  "tinyblob",
]);

/** Every text column of every table of the database, read from its schema (sqlite_master / information_schema). */
export async function textColumns(db: Database): Promise<TextColumn[]> {
  const select = <T extends object>(sql: string, replacements: unknown[] = []) =>
    db.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });
  if (db.dialect === "sqlite") {
    const tables = await select<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    const columns: TextColumn[] = [];
    for (const { name } of tables) {
      const info = await select<{ name: string; type: string }>("SELECT name, type FROM pragma_table_info(?)", [name]);
      for (const c of info) if (sqliteText.test(c.type)) columns.push({ table: name, column: c.name });
    }
    return columns;
  }
  const rows = await select<{ table_name: string; column_name: string; data_type: string }>(
    "SELECT table_name AS table_name, column_name AS column_name, data_type AS data_type FROM information_schema.columns WHERE table_schema = DATABASE()",
  );
  return rows.filter((r) => mariadbText.has(r.data_type.toLowerCase())).map((r) => ({ table: r.table_name, column: r.column_name }));
}

/** Every value of every text column, as text (binary read as UTF-8 and Latin-1), with where it is stored. */
export async function storedTexts(db: Database): Promise<{ where: string; text: string }[]> {
  const q = (name: string) => (db.dialect === "mariadb" ? `\`${name}\`` : `"${name}"`);
  const texts: { where: string; text: string }[] = [];
  for (const { table, column } of await textColumns(db)) {
    const rows = await db.sequelize.query<Record<string, unknown>>(`SELECT ${q(column)} AS v FROM ${q(table)}`, {
      type: QueryTypes.SELECT,
    });
    for (const row of rows) {
      const value = row["v"];
      if (value === null || value === undefined) continue;
      const where = `${table}.${column}`;
      if (Buffer.isBuffer(value)) {
        texts.push({ where, text: value.toString("utf8") }, { where, text: value.toString("latin1") });
      } else {
        texts.push({ where, text: typeof value === "string" ? value : JSON.stringify(value) });
      }
    }
  }
  return texts;
}

/** Passwords a session set with `htpasswd -b` and then used with `curl -u` for the same user: found by structure, never written down. */
export function basicAuthPasswords(raw: string): string[] {
  const set = new Map<string, string>();
  for (const match of raw.matchAll(/htpasswd\s+-[A-Za-z]*b[A-Za-z]*\s+\S+\s+([\w.-]+)\s+([^\s"\\]+)/g)) {
    set.set(`${match[1]}:${match[2]}`, match[2] ?? "");
  }
  const used = [...raw.matchAll(/curl\s[^"\n]*?-u\s+([\w.-]+:[^\s"\\]+)/g)].map((match) => match[1] ?? "");
  return [...new Set(used.filter((pair) => set.has(pair)).map((pair) => set.get(pair) ?? ""))];
}
