import * as sqlite3 from "sqlite3";

/** A connection of node-sqlite3 on one file, with promises instead of callbacks. */
export interface SqliteFile {
  readonly raw: sqlite3.Database;
  all<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

/** Opens a SQLite file (read-only by default); rejects when it cannot be opened. */
export function openSqliteFile(path: string, mode: "readonly" | "readwrite" = "readonly"): Promise<SqliteFile> {
  const flags = mode === "readonly" ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE;
  return new Promise((resolve, reject) => {
    const raw = new sqlite3.Database(path, flags, (error) => {
      if (error) reject(error);
      else resolve(wrap(raw));
    });
  });
}

function wrap(raw: sqlite3.Database): SqliteFile {
  return {
    raw,
    all: <T>(sql: string) =>
      new Promise<T[]>((resolve, reject) => raw.all(sql, (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows)))),
    close: () => new Promise<void>((resolve, reject) => raw.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Quotes an SQLite identifier: `"name"`, inner quotes doubled. */
export function quoteSqliteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Rows of every table of the file (SQLite's own `sqlite_*` tables excluded), by table name. */
export async function countSqliteRows(file: SqliteFile): Promise<Record<string, number>> {
  const tables = await file.all<{ name: string }>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  );
  const counts: [string, number][] = [];
  for (const { name } of tables) {
    const [row] = await file.all<{ rows: number }>(`SELECT COUNT(*) AS rows FROM ${quoteSqliteName(name)}`);
    counts.push([name, Number(row?.rows ?? 0)]);
  }
  return Object.fromEntries(counts);
}
