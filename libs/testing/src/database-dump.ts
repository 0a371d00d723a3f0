import { QueryTypes } from "sequelize";
import type { DatabaseConfig } from "@msp/db";
import { createDatabase } from "@msp/db";

/** One stored value as text, and where it is: table.column. */
export interface StoredValue {
  where: string;
  text: string;
}

/** Every table of a database, and every value stored in them. */
export interface DatabaseDump {
  tables: string[];
  values: StoredValue[];
}

/**
 * Every value of every column of every table of a database, as text, for tests that prove what is
 * not stored (a planted secret). The tables are listed from the database itself (sqlite_master,
 * SQLite's full-text shadow tables included; information_schema on MariaDB), so a table added
 * later is read too. Binary values are read as UTF-8 and as Latin-1; JSON as its text.
 */
export async function dumpDatabase(config: DatabaseConfig): Promise<DatabaseDump> {
  const db = createDatabase(config);
  try {
    const select = <T extends object>(sql: string) => db.sequelize.query<T>(sql, { type: QueryTypes.SELECT });
    const tables =
      db.dialect === "sqlite"
        ? (await select<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((t) => t.name)
        : (
            await select<{ name: string }>(
              "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
            )
          ).map((t) => t.name);
    const quote = (name: string) => (db.dialect === "mariadb" ? `\`${name}\`` : `"${name}"`);
    const values: StoredValue[] = [];
    for (const table of tables) {
      for (const row of await select<Record<string, unknown>>(`SELECT * FROM ${quote(table)}`)) {
        for (const [column, value] of Object.entries(row)) values.push(...textsOf(`${table}.${column}`, value));
      }
    }
    return { tables, values };
  } finally {
    await db.close();
  }
}

function textsOf(where: string, value: unknown): StoredValue[] {
  if (value === null || value === undefined) return [];
  if (Buffer.isBuffer(value))
    return [
      { where, text: value.toString("utf8") },
      { where, text: value.toString("latin1") },
    ];
  if (typeof value === "string") return [{ where, text: value }];
  if (value instanceof Date) return [{ where, text: value.toISOString() }];
  if (typeof value === "object") return [{ where, text: JSON.stringify(value) }];
  return [{ where, text: String(value as number | boolean | bigint) }];
}

/** A text to look for, and the name a finding reports it by. */
export interface Needle {
  name: string;
  value: string;
}

/**
 * Where each needle is found among `texts`: as given, JSON-escaped or base64 (a secret encoded on
 * the way is the same secret). One line per finding: "<name> in <where>[ (encoded)]".
 */
export function findNeedles(needles: readonly Needle[], texts: ReadonlyArray<{ where: string; text: string }>): string[] {
  // One text per place (NUL between values, which no needle holds): a dump has tens of thousands of values.
  const byPlace = new Map<string, string[]>();
  for (const { where, text } of texts) {
    const list = byPlace.get(where);
    if (list === undefined) byPlace.set(where, [text]);
    else list.push(text);
  }
  const places = [...byPlace].map(([where, list]) => ({ where, text: list.join("\0") }));
  return needles.flatMap(({ name, value }) => {
    const forms = [...new Set([value, JSON.stringify(value).slice(1, -1), Buffer.from(value, "utf8").toString("base64")])];
    return places.flatMap(({ where, text }) =>
      forms.filter((form) => text.includes(form)).map((form) => `${name} in ${where}${form === value ? "" : " (encoded)"}`),
    );
  });
}
