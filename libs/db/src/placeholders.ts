/** `?, ?, ?` for `count` bound values, as in `id IN (${sqlPlaceholders(ids.length)})`. */
export function sqlPlaceholders(count: number): string {
  return Array.from({ length: count }, () => "?").join(", ");
}
