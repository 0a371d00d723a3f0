import type { TableCountCheck } from "./backup-types";

/** Every table of either side with its two counts, and one line per table that differs. */
export function compareTableCounts(
  expected: Readonly<Record<string, number>>,
  restored: Readonly<Record<string, number>>,
): { tables: TableCountCheck[]; mismatches: string[] } {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(restored)])].sort();
  const tables: TableCountCheck[] = [];
  const mismatches: string[] = [];
  for (const name of names) {
    const want = Object.hasOwn(expected, name) ? expected[name] : undefined;
    const got = Object.hasOwn(restored, name) ? restored[name] : undefined;
    tables.push({ name, expected: want ?? 0, restored: got ?? 0 });
    if (want === undefined) mismatches.push(`${name}: ${got ?? 0} rows in the restored copy, but the backup recorded no such table`);
    else if (got === undefined) mismatches.push(`${name}: the backup recorded ${want} rows, but the restored copy has no such table`);
    else if (want !== got) mismatches.push(`${name}: the backup recorded ${want} rows, the restored copy has ${got}`);
  }
  return { tables, mismatches };
}
